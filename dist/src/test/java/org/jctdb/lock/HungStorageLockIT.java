package org.jctdb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.config.Installation;
import org.jctdb.leader.LockResult;
import org.jctdb.os.ProcessGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock file on a FUSE passthrough whose daemon we SIGSTOP: callers hang in the kernel like
 * on a hung cluster file system. The held lock must be reported UNRESPONSIVE (not LOST), with one
 * re-check in flight, and RESPONSIVE_AGAIN once the file system answers.
 */
class HungStorageLockIT {
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private Path mnt;
    private Process fuse;
    private HelperProcessLock lock;

    @BeforeEach
    void mount() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        String why = null;
        if (!Files.isReadable(Path.of("/dev/fuse")) || !"root".equals(System.getProperty("user.name"))) {
            why = "needs root and /dev/fuse";
        } else if (new ProcessBuilder("/usr/bin/python3", "-c", "import fusepy")
                        .start()
                        .waitFor()
                != 0) {
            why = "needs python3-fusepy (apt-get install python3-fusepy)";
        }
        if (why != null) {
            if (ci) {
                throw new AssertionError("CI=true but " + why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        Path backing = Files.createDirectory(dir.resolve("backing"));
        mnt = Files.createDirectory(dir.resolve("mnt"));
        Path script = Installation.current().home().resolve("dist").resolve("src/test/resources/fuse/passthrough.py");
        fuse = new ProcessBuilder("/usr/bin/python3", script.toString(), backing.toString(), mnt.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("fuse.log").toFile())
                .start();
        await().atMost(WAIT)
                .until(() -> Files.readString(Path.of("/proc/mounts")).contains(" " + mnt + " "));
    }

    @AfterEach
    void unmount() throws Exception {
        if (fuse == null) {
            return;
        }
        signal("CONT", fuse.pid());
        if (lock != null) {
            lock.close();
        }
        new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).start().waitFor(5, TimeUnit.SECONDS);
        fuse.destroy();
        if (!fuse.waitFor(5, TimeUnit.SECONDS)) {
            fuse.destroyForcibly();
        }
    }

    @Test
    void hungRecheckIsUnresponsiveNotLostAndRecovers() throws Exception {
        Path file = mnt.resolve("reclock");
        LockEvents events = new LockEvents();
        lock = new HelperProcessLock(
                "fcntl lock on " + file,
                List.of(FcntlHelperLockIT.helper().toString(), file.toString(), "1", "2"),
                events,
                new HelperProcessLock.Timing(5_000));
        lock.acquire();
        events.expect(LockResult.TAKEN, WAIT);
        long helper = lock.helperPid().orElseThrow();

        signal("STOP", fuse.pid());
        events.expect(LockResult.UNRESPONSIVE, WAIT);
        // Exactly one re-check in flight however long the hang lasts; the lock stays held.
        long probes = ProcessHandle.of(helper)
                .orElseThrow()
                .children()
                .filter(ProcessGroups::running)
                .count();
        assertThat(probes).isEqualTo(1);
        events.expectNothing(Duration.ofSeconds(3));
        assertThat(ProcessHandle.of(helper)
                        .orElseThrow()
                        .children()
                        .filter(ProcessGroups::running)
                        .count())
                .isEqualTo(1);

        signal("CONT", fuse.pid());
        events.expect(LockResult.RESPONSIVE_AGAIN, WAIT);
        events.expectNothing(Duration.ofSeconds(3)); // re-checks pass again: still held, not LOST
        assertThat(ProcLocks.writeLockHolders(file)).containsExactly(helper);
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-s", sig, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
    }
}
