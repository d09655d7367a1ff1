package org.jctdb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jctdb.leader.LockResult;
import org.jctdb.os.ProcessGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "!helper args" cluster locks: CTDB's own helper, shell-script helpers and broken ones. */
class MutexHelperLockIT {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Path CTDB_HELPER = Path.of("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper");

    @TempDir
    Path dir;

    private final List<ClusterLock> locks = new ArrayList<>();

    private ClusterLock fromConfig(String value, LockEvents events, long acquireTimeoutMs) {
        ClusterLock l = ClusterLocks.fromConfig(
                        value, FcntlHelperLockIT.helper(), events, new HelperProcessLock.Timing(acquireTimeoutMs))
                .orElseThrow();
        locks.add(l);
        return l;
    }

    @AfterEach
    void closeAll() {
        locks.forEach(ClusterLock::close);
    }

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void realCtdbHelperTakesTheSameLockAsOurs() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(CTDB_HELPER)) {
            if (ci) {
                throw new AssertionError(CTDB_HELPER + " missing: install the ctdb package");
            }
            Assumptions.abort(CTDB_HELPER + " not installed (apt-get install ctdb); skipping");
        }
        Path file = dir.resolve("reclock");
        LockEvents ctdb = new LockEvents();
        HelperProcessLock viaBang = (HelperProcessLock) fromConfig("!" + CTDB_HELPER + " " + file, ctdb, 5_000);
        viaBang.acquire();
        ctdb.expect(LockResult.TAKEN, WAIT);
        assertThat(ProcLocks.writeLockHolders(file))
                .containsExactly(viaBang.helperPid().orElseThrow());

        LockEvents ours = new LockEvents();
        ClusterLock plain = fromConfig(file.toString(), ours, 5_000);
        plain.acquire();
        ours.expect(LockResult.CONTENTION, WAIT);

        viaBang.release();
        await().atMost(WAIT).until(() -> ProcLocks.writeLockHolders(file).isEmpty());
        plain.acquire();
        ours.expect(LockResult.TAKEN, WAIT);
        viaBang.acquire();
        ctdb.expect(LockResult.CONTENTION, WAIT);
    }

    @Test
    void shellScriptHelperWithArgumentsSplitOnBlanks() throws Exception {
        Path seen = dir.resolve("args");
        Path helper = script(
                "helper.sh",
                "printf '%s|' \"$@\" > " + seen + "\necho 'helper says hello' >&2\n" + "printf 0\nexec sleep 1000");
        LockEvents events = new LockEvents();
        ClusterLock l = fromConfig("!" + helper + "  alpha\tbeta   gamma", events, 5_000);
        l.acquire();
        events.expect(LockResult.TAKEN, WAIT);
        assertThat(Files.readString(seen)).isEqualTo("alpha|beta|gamma|");
        l.release();
        events.expectNothing(Duration.ofMillis(300));
    }

    @Test
    void helperExitingAfterTakingIsLost() throws Exception {
        Path helper = script("flaky.sh", "printf 0\nsleep 0.3\nexit 7");
        LockEvents events = new LockEvents();
        fromConfig("!" + helper, events, 5_000).acquire();
        events.expect(LockResult.TAKEN, WAIT);
        assertThat(events.expect(LockResult.LOST, WAIT).detail()).contains("exit status 7");
    }

    @Test
    void garbageIsAClearErrorAndTheNextAttemptWorks() throws Exception {
        Path helper = script("garbage.sh", "printf 'x'\nexec sleep 1000");
        LockEvents events = new LockEvents();
        ClusterLock l = fromConfig("!" + helper, events, 5_000);
        l.acquire();
        assertThat(events.expect(LockResult.ERROR, WAIT).detail()).contains("unexpected byte 0x78 ('x')");
        l.acquire(); // a bounded retry: again a clear error, never a hang
        events.expect(LockResult.ERROR, WAIT);
    }

    @Test
    void exitingAtOnceIsAnError() throws Exception {
        LockEvents events = new LockEvents();
        ClusterLock l = fromConfig("!/bin/false", events, 5_000);
        l.acquire();
        assertThat(events.expect(LockResult.ERROR, WAIT).detail())
                .contains("exited before answering")
                .contains("exit status 1");
    }

    @Test
    void missingHelperIsAnError() throws Exception {
        LockEvents events = new LockEvents();
        fromConfig("!" + dir.resolve("nope"), events, 5_000).acquire();
        assertThat(events.expect(LockResult.ERROR, WAIT).detail()).contains("cannot start helper");
    }

    @Test
    void neverAnsweringTimesOutAndTheWholeGroupIsKilled() throws Exception {
        String marker = "987" + ProcessHandle.current().pid();
        Path helper = script("silent.sh", "sleep " + marker + " &\nsleep " + marker);
        LockEvents events = new LockEvents();
        ClusterLock l = fromConfig("!" + helper, events, 1_000);
        long started = System.nanoTime();
        l.acquire();
        await().atMost(WAIT).until(() -> sleepers(marker) == 2);
        assertThat(events.expect(LockResult.TIMEOUT, WAIT).detail()).contains("did not answer within 1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> sleepers(marker) == 0);
        l.acquire(); // retry is bounded by the same deadline
        events.expect(LockResult.TIMEOUT, WAIT);
        await().atMost(WAIT).until(() -> sleepers(marker) == 0);
    }

    @Test
    void statusLinesOnStderrReportUnresponsiveAndResponsive() throws Exception {
        Path helper = script(
                "slow.sh",
                "printf 0\nsleep 0.2\necho 'jctdb-status: unresponsive probe hung 5s' >&2\n"
                        + "sleep 0.2\necho 'jctdb-status: responsive probe answered' >&2\nexec sleep 1000");
        LockEvents events = new LockEvents();
        fromConfig("!" + helper, events, 5_000).acquire();
        events.expect(LockResult.TAKEN, WAIT);
        assertThat(events.expect(LockResult.UNRESPONSIVE, WAIT).detail()).contains("probe hung");
        events.expect(LockResult.RESPONSIVE_AGAIN, WAIT);
    }

    private static long sleepers(String marker) {
        return ProcessHandle.allProcesses()
                .filter(ProcessGroups::running)
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> a.length > 0 && a[a.length - 1].equals(marker))
                        .orElse(false))
                .count();
    }
}
