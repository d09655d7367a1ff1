package org.jctdb.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcFs over a made-up /proc: odd command names, zombies, vanished processes, other entries. */
class ProcFsTest {
    @TempDir
    Path root;

    private void stat(int pid, String comm, char state, int ppid, int pgrp, int sid) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Integer.toString(pid)));
        Files.writeString(
                dir.resolve("stat"),
                pid + " (" + comm + ") " + state + " " + ppid + " " + pgrp + " " + sid
                        + " 0 -1 4194560 120 0 0 0 0 0 0 0 20 0 1 0 " + (1000 + pid)
                        + " 2699264 223 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
    }

    @Test
    void sessionsAndMembersAreReadFromEachStatLine() throws Exception {
        stat(700, "sh", 'S', 1, 700, 700);
        stat(701, "odd ) (name 9 9 9", 'D', 700, 701, 700); // own group, same session, tricky name
        stat(702, "sleep", 'Z', 700, 700, 700); // zombie: not alive
        stat(703, "probe", 'R', 1, 703, 703);
        stat(704, "dead", 'Z', 1, 704, 704); // a session with only a zombie
        Files.createDirectories(root.resolve("705")); // exited between the listing and the read
        Files.createDirectories(root.resolve("self"));
        Files.writeString(root.resolve("uptime"), "1 2\n");
        ProcFs fs = new ProcFs(root);

        assertThat(fs.liveSessionsAmong(Set.of(700, 701, 703, 704, 999))).containsExactlyInAnyOrder(700, 703);
        assertThat(fs.liveSessionsAmong(Set.of(703))).containsExactly(703);
        assertThat(fs.liveSessionsAmong(Set.of())).isEmpty();
        assertThat(fs.session(700)).extracting(ProcInfo::pid).containsExactlyInAnyOrder(700, 701, 702);
        assertThat(fs.aliveInSession(700)).extracting(ProcInfo::pid).containsExactlyInAnyOrder(700, 701);
        ProcInfo odd =
                fs.session(700).stream().filter(p -> p.pid() == 701).findFirst().orElseThrow();
        assertThat(odd.comm()).isEqualTo("odd ) (name 9 9 9");
        assertThat(odd.pgrp()).isEqualTo(701);
        assertThat(odd.state()).isEqualTo('D');
        assertThat(odd.startTicks()).isEqualTo(1701);
        assertThat(fs.session(704)).extracting(ProcInfo::state).containsExactly('Z');
        assertThat(fs.all()).hasSize(5);
        assertThat(fs.session(999)).isEmpty();
    }

    @Test
    void anUnreadableRootGivesNothing() {
        ProcFs fs = new ProcFs(root.resolve("missing"));
        assertThat(fs.all()).isEmpty();
        assertThat(fs.liveSessionsAmong(Set.of(1))).isEmpty();
    }

    @Test
    void theRealProcFsFindsThisProcessInItsSession() {
        ProcFs fs = ProcFs.system();
        ProcInfo me = fs.stat((int) ProcessHandle.current().pid());
        assertThat(fs.liveSessionsAmong(Set.of(me.session(), Integer.MAX_VALUE)))
                .containsExactly(me.session());
        assertThat(fs.session(me.session())).extracting(ProcInfo::pid).contains(me.pid());
    }

    @Test
    void theRealProcFsSeesASessionUntilItsLastProcessIsGone() throws Exception {
        Assumptions.assumeTrue(SessionSpawner.get().isPresent());
        // the leader exits at once and leaves a child behind in its session
        Process p = SessionSpawner.get()
                .orElseThrow()
                .start(List.of("/bin/sh", "-c", "sleep 1000 & echo $!"), Map.of(), root.resolve("out"));
        p.waitFor();
        int sid = (int) p.pid();
        int child = Integer.parseInt(Files.readString(root.resolve("out")).trim());
        ProcFs fs = ProcFs.system();
        try {
            assertThat(fs.liveSessionsAmong(Set.of(sid))).containsExactly(sid);
            assertThat(fs.aliveInSession(sid)).extracting(ProcInfo::pid).containsExactly(child);
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> fs.liveSessionsAmong(Set.of(sid)).isEmpty());
    }
}
