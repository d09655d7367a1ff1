package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jctdb.control.ControlFrames;
import org.jctdb.control.ControlReply;
import org.jctdb.testing.LocalClusterHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jctdb command's fast path as built: bin/jctdb must map the class-data-sharing archive made
 * at package time (a class path or flag that differs from the dump makes the JVM ignore it
 * silently, which only shows as a slow command), load every class of a round trip from it, and
 * load no class of the frameworks the daemon uses.
 */
class CliStartupIT {
    @TempDir
    Path dir;

    @Test
    void aRoundTripLoadsItsClassesFromTheArchiveAndNoFramework() throws Exception {
        Path socket = dir.resolve("run").resolve("jctdbd.socket");
        Files.createDirectories(socket.getParent());
        Path classLog = dir.resolve("classes.log");
        AtomicReference<List<String>> request = new AtomicReference<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread daemon = new Thread(() -> answerOnce(server, request));
            daemon.start();
            // -Xshare:on: the JVM refuses to start instead of running without the archive.
            Process p = jctdb(dir, "-Xshare:on -Xlog:class+load=info:file=" + classLog, false, "-X", "pnn");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jctdb finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code; stderr: %s", err).isEqualTo(3);
            assertThat(out).isEqualTo("|PNN|\n|2|\n");
            assertThat(err).isEqualTo("warning\n");
            daemon.join(10_000);
        }
        assertThat(request.get()).containsExactly("-X", "pnn");
        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded).as("class-load log").isNotEmpty();
        List<String> ours =
                loaded.stream().filter(l -> l.contains(" org.jctdb.")).toList();
        assertThat(ours)
                .as("our classes")
                .anyMatch(l -> l.contains("org.jctdb.cli.Main "))
                .anyMatch(l -> l.contains("org.jctdb.control.ControlClient "))
                .allMatch(l -> l.contains("source: shared objects file"));
        List<String> notShared = loaded.stream()
                .filter(l -> !l.contains("source: shared objects file"))
                .toList();
        // What the archive cannot hold: JFR event classes and classes spun at run time.
        assertThat(notShared)
                .as("classes not from the archive")
                .allMatch(l -> l.contains("jdk.internal.event.") || l.contains("__JVM_LookupDefineClass__"));
        assertThat(loaded)
                .as("no framework on the fast path")
                .noneMatch(l -> l.contains(" picocli.")
                        || l.contains(" com.fasterxml.")
                        || l.contains(" ch.qos.logback.")
                        || l.contains(" io.netty.")
                        || l.contains(" org.slf4j."));
    }

    @Test
    void theCClientMakesTheSameRoundTrip() throws Exception {
        Path socket = dir.resolve("run").resolve("jctdbd.socket");
        Files.createDirectories(socket.getParent());
        AtomicReference<List<String>> request = new AtomicReference<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread daemon = new Thread(() -> answerOnce(server, request));
            daemon.start();
            Process p = jctdb(dir, "", true, "-n", "1", "-X", "pnn", "\u00e9t\u00e9");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jctdb finished").isTrue();
            assertThat(p.exitValue()).isEqualTo(3);
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("|PNN|\n|2|\n");
            assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("warning\n");
            daemon.join(10_000);
        }
        assertThat(request.get()).containsExactly("-n", "1", "-X", "pnn", "\u00e9t\u00e9");
    }

    @Test
    void withoutADaemonItSaysSoAndExitsOne() throws Exception {
        for (boolean fast : new boolean[] {false, true}) {
            Process p = jctdb(dir, "-Xshare:on", fast, "pnn");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("fast client %s", fast).isEqualTo(1);
            assertThat(err)
                    .as("fast client %s", fast)
                    .isEqualTo("Failed to connect to JCTDB daemon (" + dir.resolve("run/jctdbd.socket") + ")\n");
        }
    }

    @Test
    void theCClientHandsCommandsWithoutADaemonToJava() throws Exception {
        Process p = jctdb(dir, "", true, "config", "get", "cluster", "leader timeout");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo("5");
    }

    /** Runs bin/jctdb; {@code fast} lets it use the C client, otherwise it must take the JVM path. */
    private static Process jctdb(Path base, String jvmOpts, boolean fast, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(LocalClusterHarness.home().resolve("bin/jctdb").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CTDB_BASE", base.toString());
        pb.environment().remove("CTDB_SOCKET");
        pb.environment().put("JCTDB_CLI_JVM_OPTS", jvmOpts);
        if (fast) {
            pb.environment().remove("JCTDB_NO_FAST");
        } else {
            pb.environment().put("JCTDB_NO_FAST", "1");
        }
        return pb.start();
    }

    /** A stand-in daemon: one request, a reply with output on both streams and exit code 3. */
    private static void answerOnce(ServerSocketChannel server, AtomicReference<List<String>> request) {
        try (SocketChannel c = server.accept()) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(c)));
            request.set(ControlFrames.readRequest(in));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(c)));
            ControlFrames.writeReply(out, new ControlReply(3, "|PNN|\n|2|\n", "warning\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
