package org.jctdb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jctdb.lab.ClusterFs;
import org.jctdb.lab.Commands;
import org.jctdb.lab.NetworkNamespace;
import org.jctdb.testing.NodeShell.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster filesystem fixture with real processes, real fcntl locks and real FUSE waits. */
class ClusterFsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private ClusterFs fs;
    private Path file;
    private Path probe;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @BeforeAll
    static void requireFuseAndNamespaces() {
        TestEnvironment.require(ClusterFs.unavailableReason());
        TestEnvironment.require(NetworkNamespace.unavailableReason());
    }

    @BeforeEach
    void mount() throws IOException {
        Path backing = Files.createDirectories(tmp.resolve("backing"));
        Files.writeString(backing.resolve("reclock"), "x");
        fs = ClusterFs.mount(backing, Files.createDirectories(tmp.resolve("mnt")));
        file = fs.mountPoint().resolve("reclock");
        probe = tmp.resolve("fcntl_probe.py");
        try (InputStream in = ClusterFsIT.class.getResourceAsStream("fcntl_probe.py")) {
            Files.copy(in, probe);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        fs.close(); // first: thaws, so the node processes below can end
        assertThat(ClusterFs.isMounted(fs.mountPoint())).as("mount left behind").isFalse();
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    @Test
    void locksFollowKernelPosixSemanticsAcrossNodesAndProcesses() throws Exception {
        NetworkNamespace ns = track(NetworkNamespace.create("jctdb-cfs"));
        NodeShell nodeB = track(NodeShell.startInNetns(tmp.resolve("nodeB"), ns.name()));
        fs.registerNodeNetns("B", ns.name());
        LockHolder holder = track(LockHolder.start(probe, file));
        fs.registerNode("A", holder.pid());
        String busy = "busy pid=" + holder.pid();
        assertThat(holder.nextLine()).isEqualTo("locked pid=" + holder.pid());

        assertThat(tryLock(nodeB)).as("node B").isEqualTo(busy);
        assertThat(holder.command("try")).as("second process of node A").isEqualTo("child-try " + busy);
        assertThat(holder.command("touch"))
                .as("fork+exec child closing the file")
                .isEqualTo("child-touch rc=0 touched");
        assertThat(tryLock(nodeB)).as("after the child's close").isEqualTo(busy);
        assertThat(holder.command("exec")).as("holder re-execs itself").isEqualTo("re-executed pid=" + holder.pid());
        assertThat(tryLock(nodeB)).as("after the holder's exec").isEqualTo(busy);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(ch.tryLock()).as("this JVM, FileChannel.tryLock (fcntl)").isNull();
        }
        assertThat(tryLock(nodeB)).as("after this JVM closed the file").isEqualTo(busy);

        holder.exitAndWait();
        assertThat(tryLock(nodeB)).as("right after the holder exited").isEqualTo("free");
    }

    @Test
    void freezingANodeByAncestryHoldsOnlyThatNodesCallers() throws Exception {
        Nodes n = twoNodes();
        fs.freeze("A");
        Job stuck = n.a.run("stat -c %s " + file);
        Job victim = n.a.run("stat -c %s " + file);
        await().atMost(WAIT).until(() -> Procs.blockedInFuse(stuck.pid()) && Procs.blockedInFuse(victim.pid()));
        // Both requests are in the daemon's hands (not merely queued in the kernel).
        await().atMost(WAIT).until(() -> blockedInDaemon("A") == 2);

        Job other = n.b.run("stat -c %s " + file);
        await().atMost(WAIT).until(() -> other.exitCode().isPresent());
        assertThat(other.exitCode()).as(other.output()).contains(0);
        assertThat(stuck.exitCode()).isEmpty();

        // Like a hung cluster filesystem client, a frozen caller outlives even SIGKILL.
        Commands.run(WAIT, "kill", "-KILL", Long.toString(victim.pid())).requireOk();
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> Procs.stateAndWchan(victim.pid()).orElse("").equals("D " + Procs.FUSE_WAIT));

        fs.thaw("A");
        await().atMost(WAIT)
                .until(() -> stuck.exitCode().isPresent() && victim.exitCode().isPresent());
        assertThat(stuck.exitCode()).contains(0);
        assertThat(stuck.output().strip()).isEqualTo("1");
        assertThat(victim.exitCode()).contains(137);
        assertThat(fs.log()).contains("freeze node A").contains("thaw node A (2 blocked requests released)");
    }

    @Test
    void freezingANodeByNetworkNamespaceHoldsOnlyThatNodesCallers() throws Exception {
        Nodes n = twoNodes();
        fs.freeze("B");
        Job stuck = n.b.run("cat " + file);
        await().atMost(WAIT).until(() -> Procs.blockedInFuse(stuck.pid()));
        Job other = n.a.run("cat " + file);
        await().atMost(WAIT).until(() -> other.exitCode().isPresent());
        assertThat(other.output()).isEqualTo("x");

        long cpuBefore = cpuTicks(fs.daemonPid());
        await("daemon CPU while a frozen request waits")
                .during(Duration.ofSeconds(1))
                .atMost(WAIT)
                .until(() -> cpuTicks(fs.daemonPid()) - cpuBefore <= 2);
        assertThat(stuck.exitCode()).isEmpty();

        fs.thaw("B");
        await().atMost(WAIT).until(() -> stuck.exitCode().isPresent());
        assertThat(stuck.output()).isEqualTo("x");
    }

    @Test
    void aFrozenCallOnAnOpenFileDoesNotBlockOtherNodesRenamingIt() throws Exception {
        Nodes n = twoNodes();
        LockHolder holder = track(LockHolder.start(probe, file));
        assertThat(holder.nextLine()).startsWith("locked");
        fs.registerNode("A", holder.pid());
        fs.freeze("A");
        holder.send("read");
        await().atMost(WAIT).until(() -> blockedInDaemon("A") == 1);

        Job rename = n.b.run("mv " + file + " " + file + ".new");
        await().atMost(WAIT).until(() -> rename.exitCode().isPresent());
        assertThat(rename.exitCode()).as(rename.output()).contains(0);

        fs.thaw("A");
        assertThat(holder.nextLine()).isEqualTo("read 1 bytes");
    }

    @Test
    void freezeAllHoldsEveryCallerAndThawAllLeavesNodeFreezesInPlace() throws Exception {
        Nodes n = twoNodes();
        fs.freeze("A");
        fs.freezeAll();
        Job a = n.a.run("stat " + file);
        Job b = n.b.run("stat " + file);
        Process outsider = new ProcessBuilder("stat", file.toString()).start();
        await().atMost(WAIT)
                .until(() -> Procs.blockedInFuse(a.pid())
                        && Procs.blockedInFuse(b.pid())
                        && Procs.blockedInFuse(outsider.pid()));

        fs.thawAll();
        assertThat(outsider.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(outsider.exitValue()).isZero();
        await().atMost(WAIT).until(() -> b.exitCode().isPresent());
        assertThat(b.exitCode()).contains(0);
        await().atMost(WAIT).until(() -> Procs.blockedInFuse(a.pid()));
        assertThat(a.exitCode()).as("node A is still frozen on its own").isEmpty();

        fs.thaw("A");
        await().atMost(WAIT).until(() -> a.exitCode().isPresent());
        assertThat(a.exitCode()).contains(0);
    }

    @Test
    void closingAFrozenMountLeavesNoMountAndNoStuckProcessEvenWhenInterrupted() throws Exception {
        Nodes n = twoNodes();
        LockHolder holder = track(LockHolder.start(probe, file)); // keeps a file open on the mount
        assertThat(holder.nextLine()).startsWith("locked");
        fs.freeze("A");
        Job a = n.a.run("stat " + file);
        await().atMost(WAIT).until(() -> Procs.blockedInFuse(a.pid()));
        fs.freezeAll();
        Job b = n.b.run("stat " + file);
        await().atMost(WAIT).until(() -> Procs.blockedInFuse(b.pid()));

        Thread.currentThread().interrupt();
        fs.close();
        assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
        fs.close(); // idempotent

        assertThat(ClusterFs.isMounted(fs.mountPoint())).isFalse();
        assertThat(fs.daemonAlive()).isFalse();
        await().atMost(WAIT)
                .until(() -> a.exitCode().isPresent() && b.exitCode().isPresent());
        assertThat(Procs.blockedInFuse(holder.pid())).isFalse();
        assertThatThrownBy(() -> fs.freeze("A")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void daemonThawsAndUnmountsWhenTheWatchedProcessEnds() throws Exception {
        Path backing = Files.createDirectories(tmp.resolve("backing2"));
        Path mnt = Files.createDirectories(tmp.resolve("mnt2"));
        Process owner = new ProcessBuilder("sleep", "600").start();
        try (ClusterFs other = ClusterFs.mount(backing, mnt, owner.pid());
                NodeShell a = NodeShell.start(tmp.resolve("nodeA2"))) {
            other.registerNode("A", a.pid());
            other.freeze("A");
            Job stuck = a.run("stat " + mnt);
            await().atMost(WAIT).until(() -> Procs.blockedInFuse(stuck.pid()));
            owner.destroy();
            await().atMost(WAIT).until(() -> !other.daemonAlive() && !ClusterFs.isMounted(mnt));
            await().atMost(WAIT).until(() -> stuck.exitCode().isPresent());
            assertThat(other.log()).contains("watched process " + owner.pid() + " ended");
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void badArgumentsGetAClearErrorAndANonZeroExit() throws Exception {
        String script = ClusterFs.script().toString();
        Commands.Result none = Commands.run(WAIT, ClusterFs.PYTHON, script);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.output()).contains("usage:").contains("a COMMAND is required");

        Commands.Result missing = Commands.run(
                WAIT,
                ClusterFs.PYTHON,
                script,
                "mount",
                "--run-dir",
                tmp.resolve("run").toString(),
                tmp.resolve("nope").toString(),
                tmp.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("backing directory").contains("is not an existing directory");

        Commands.Result twice = Commands.run(
                WAIT,
                ClusterFs.PYTHON,
                script,
                "mount",
                "--run-dir",
                tmp.resolve("run").toString(),
                fs.backingDir().toString(),
                fs.mountPoint().toString());
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.output()).contains("already a mount point");

        assertThatThrownBy(() -> fs.freeze("nosuch")).hasMessageContaining("unknown node 'nosuch'");
        assertThatThrownBy(() -> fs.registerNode("A", Integer.MAX_VALUE)).hasMessageContaining("no process");
        assertThatThrownBy(() -> fs.registerNodeNetns("A", "jctdb-no-such-netns"))
                .hasMessageContaining("No such file");
    }

    // ------------------------------------------------------------------ helpers

    private record Nodes(NodeShell a, NodeShell b) {}

    /** Node A: a shell attributed by ancestry. Node B: a shell in its own network namespace. */
    private Nodes twoNodes() throws IOException {
        NetworkNamespace ns = track(NetworkNamespace.create("jctdb-cfs"));
        NodeShell a = track(NodeShell.start(tmp.resolve("nodeA")));
        NodeShell b = track(NodeShell.startInNetns(tmp.resolve("nodeB"), ns.name()));
        fs.registerNode("A", a.pid());
        fs.registerNodeNetns("B", ns.name());
        return new Nodes(a, b);
    }

    private int blockedInDaemon(String node) throws IOException {
        for (var n : fs.status().path("nodes")) {
            if (n.path("name").asText().equals(node)) {
                return n.path("blocked").asInt();
            }
        }
        throw new AssertionError("node " + node + " not in status " + fs.status());
    }

    private String tryLock(NodeShell node) throws IOException {
        Job job = node.run(ClusterFs.PYTHON + " " + probe + " try " + file);
        await().atMost(WAIT).until(() -> job.exitCode().isPresent());
        assertThat(job.exitCode()).as(job.output()).contains(0);
        return job.output().strip();
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
    }

    /** The probe's "hold" mode as a direct child of this JVM, driven line by line. */
    private static final class LockHolder implements AutoCloseable {
        private final Process process;
        private final OutputStream stdin;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private LockHolder(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(this::pump, "lock-holder-out");
            reader.setDaemon(true);
            reader.start();
        }

        static LockHolder start(Path probe, Path file) throws IOException {
            return new LockHolder(
                    new ProcessBuilder(List.of(ClusterFs.PYTHON, probe.toString(), "hold", file.toString()))
                            .redirectErrorStream(true)
                            .start());
        }

        long pid() {
            return process.pid();
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).as("lock holder answered within " + WAIT).isNotNull();
            return line;
        }

        String command(String cmd) throws IOException, InterruptedException {
            send(cmd);
            return nextLine();
        }

        void send(String cmd) throws IOException {
            stdin.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        void exitAndWait() throws IOException, InterruptedException {
            stdin.write("exit\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        private void pump() {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        }

        @Override
        public void close() {
            Commands.killTree(process);
        }
    }
}
