package org.jctdb.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Real children: session, descriptors, signals, environment, exit codes, exec failures, reaping. */
class SessionSpawnerTest {
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "ONLY_THIS", "yes");

    @TempDir
    Path tmp;

    SessionSpawner spawner;
    Path out;

    @BeforeEach
    void setUp() {
        assumeTrue(SessionSpawner.get().isPresent(), "glibc posix_spawn with closefrom (Linux, glibc 2.34+)");
        spawner = SessionSpawner.get().orElseThrow();
        out = tmp.resolve("out");
    }

    private String run(String shell) throws Exception {
        Process p = spawner.start(List.of("/bin/sh", "-c", shell), ENV, out);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Files.readString(out).strip();
    }

    private Path script(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void childLeadsItsOwnSessionAndGroupInRootWithOnlyTheThreeStandardDescriptors() throws Exception {
        Process p = spawner.start(
                List.of(
                        "/bin/sh",
                        "-c",
                        "cut -d' ' -f5,6 /proc/$$/stat; pwd; ls /proc/$$/fd; read x; echo \"read=$?\""),
                ENV,
                out);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).as("pgid and sid").isEqualTo(p.pid() + " " + p.pid());
        assertThat(lines.get(1)).isEqualTo("/");
        // while ls runs, the shell holds 0-2 only (the daemon's other descriptors are closed)
        assertThat(lines.subList(2, lines.size() - 1)).containsExactly("0", "1", "2");
        assertThat(lines.get(lines.size() - 1))
                .as("stdin is /dev/null: read hits EOF")
                .isEqualTo("read=1");
        assertThat(p.exitValue()).isZero();
    }

    /** libc's pthread_sigmask, to block a signal in the spawning thread as the JVM does in its own. */
    interface SigMask extends Library {
        SigMask C = Native.load(Platform.C_LIBRARY_NAME, SigMask.class);

        int pthread_sigmask(int how, long[] set, long[] old);
    }

    @Test
    void noSignalIsBlockedOrIgnoredInTheChild() throws Exception {
        // The JVM blocks SIGQUIT in threads it starts, and a daemon started in the background of a
        // shell script inherits SIGINT ignored: here SIGWINCH is blocked in the spawning thread and
        // SIGINT ignored in this JVM, and neither may reach the child.
        SignalHandler before = Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        CompletableFuture<String> status = new CompletableFuture<>();
        try {
            Thread t = new Thread(() -> {
                try {
                    long[] winch = new long[16];
                    winch[0] = 1L << (28 - 1);
                    assertThat(SigMask.C.pthread_sigmask(0 /* SIG_BLOCK */, winch, null))
                            .isZero();
                    // grep's own status: a shell blocks every signal while it waits for a child
                    Process p =
                            spawner.start(List.of("/bin/grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"), ENV, out);
                    p.waitFor();
                    status.complete(Files.readString(out));
                } catch (Throwable e) {
                    status.completeExceptionally(e);
                }
            });
            t.start();
            status.get(10, TimeUnit.SECONDS);
        } finally {
            Signal.handle(new Signal("INT"), before);
        }
        Map<String, Long> masks = status.get()
                .lines()
                .map(l -> l.split(":\\s+"))
                .collect(Collectors.toMap(f -> f[0], f -> Long.parseUnsignedLong(f[1], 16)));
        assertThat(masks.get("SigBlk")).isZero();
        // signals 1-31 (bit n-1); glibc keeps its two internal real-time signals (32, 33) to itself
        assertThat(masks.get("SigIgn") & 0x7fffffffL).isZero();
    }

    @Test
    void stdoutAndStderrGoToTheOneFileAndTheEnvironmentIsExactlyTheGivenOne() throws Exception {
        String text = run("echo to-out; echo to-err >&2; echo \"only=$ONLY_THIS home=${HOME:-unset}\"");
        assertThat(text).isEqualTo("to-out\nto-err\nonly=yes home=unset");
    }

    @Test
    void aChangedEnvironmentReachesTheNextChild() throws Exception {
        assertThat(run("echo \"$ONLY_THIS\"")).isEqualTo("yes");
        Process p = spawner.start(
                List.of("/bin/sh", "-c", "echo \"${ONLY_THIS-unset} $OTHER\""), Map.of("OTHER", "x"), out);
        p.waitFor();
        assertThat(Files.readString(out).strip()).isEqualTo("unset x");
        assertThat(run("echo \"$ONLY_THIS\"")).isEqualTo("yes");
    }

    @Test
    void exitCodesAndDeathBySignalAreReportedAsTheJdkDoes() throws Exception {
        Process three = spawner.start(List.of("/bin/sh", "-c", "exit 3"), ENV, out);
        assertThat(three.waitFor()).isEqualTo(3);
        Process killed = spawner.start(List.of("/bin/sh", "-c", "kill -9 $$"), ENV, out);
        assertThat(killed.waitFor()).isEqualTo(128 + 9);
        assertThat(killed.onExit().get(10, TimeUnit.SECONDS)).isSameAs(killed);
    }

    @Test
    void theChildIsReapedSoNoZombieIsLeft() throws Exception {
        Process p = spawner.start(List.of("/bin/sh", "-c", "exit 0"), ENV, out);
        long pid = p.pid();
        assertThat(p.toHandle().pid()).isEqualTo(pid);
        p.onExit().get(10, TimeUnit.SECONDS);
        assertThat(p.isAlive()).isFalse();
        assertThat(p.toHandle().isAlive()).isFalse();
        assertThat(ProcessHandle.of(pid)).as("no zombie under pid " + pid).isEmpty();
    }

    @Test
    void destroySignalsTheChild() throws Exception {
        Process p = spawner.start(List.of("/bin/sh", "-c", "exec sleep 1000"), ENV, out);
        assertThat(p.isAlive()).isTrue();
        p.destroy();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(128 + 15);
    }

    @Test
    void execFailuresAreReportedWithTheirErrnoAndNothingRuns() throws Exception {
        assertThatThrownBy(() -> spawner.start(List.of(tmp.resolve("missing").toString()), ENV, out))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("error=2, No such file or directory");
        Path badInterpreter = script("bad-interpreter", "#!/nonexistent/sh\nexit 0\n");
        assertThatThrownBy(() -> spawner.start(List.of(badInterpreter.toString()), ENV, out))
                .hasMessageContaining("error=2,");
        Path notExecutable = script("not-executable", "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        // (root too: exec needs an execute bit)
        assertThatThrownBy(() -> spawner.start(List.of(notExecutable.toString()), ENV, out))
                .hasMessageContaining("error=13, Permission denied");
    }

    @Test
    void aFileWithoutInterpreterLineRunsUnderSh() throws Exception {
        Path plain = script("plain", "echo \"plain $1\"\nexit 4\n");
        Process p = spawner.start(List.of(plain.toString(), "monitor"), ENV, out);
        assertThat(p.waitFor()).isEqualTo(4);
        assertThat(Files.readString(out)).isEqualTo("plain monitor\n");
    }

    @Test
    void relativeProgramsAndBadEnvironmentAreRefused() {
        assertThatThrownBy(() -> spawner.start(List.of("sh", "-c", "exit 0"), ENV, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> spawner.start(List.of("/bin/true"), Map.of("A=B", "c"), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A=B");
    }
}
