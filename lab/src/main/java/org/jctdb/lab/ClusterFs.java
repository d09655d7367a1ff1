package org.jctdb.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jctdb.config.Installation;

/**
 * A shared cluster filesystem for tests and the fault lab: {@code tools/clusterfs/jctdb-clusterfs} mounts a
 * backing directory through FUSE with kernel fcntl lock semantics, and can freeze the requests
 * of one node (callers stay blocked in the kernel) or of every node (daemon SIGSTOPped).
 *
 * <p>{@link #close()} always thaws before it unmounts, so a failing or interrupted test leaves
 * neither a frozen mount nor a stuck process; a JVM shutdown hook and the daemon's own watch
 * of this JVM's pid cover the cases where close() is never reached.
 */
public final class ClusterFs implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CLEANUP_STEP = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_GRACE = Duration.ofMillis(300);

    private final Path backingDir;
    private final Path mountPoint;
    private final Path runDir;
    private final Process daemon;
    private final ClusterFsControl control;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private ClusterFs(Path backingDir, Path mountPoint, Path runDir, Process daemon) {
        this.backingDir = backingDir;
        this.mountPoint = mountPoint;
        this.runDir = runDir;
        this.daemon = daemon;
        this.control = new ClusterFsControl(runDir.resolve("control.sock"));
        this.shutdownHook = new Thread(this::cleanup, "clusterfs-cleanup " + mountPoint);
    }

    /** Mounts backingDir at mountPoint (both existing directories) and waits until it answers. */
    public static ClusterFs mount(Path backingDir, Path mountPoint) throws IOException {
        return mount(backingDir, mountPoint, ProcessHandle.current().pid());
    }

    /** As {@link #mount(Path, Path)}, but the daemon cleans up when {@code watchPid} ends. */
    public static ClusterFs mount(Path backingDir, Path mountPoint, long watchPid) throws IOException {
        Path backing = backingDir.toRealPath();
        Path mnt = mountPoint.toRealPath();
        // Short and outside the mount: a Unix socket path is limited to 107 bytes.
        Path runDir = Files.createTempDirectory(Path.of("/tmp"), "jctdb-cfs-");
        Path log = runDir.resolve("clusterfs.log");
        List<String> cmd = List.of(
                PYTHON,
                script().toString(),
                "mount",
                "--run-dir",
                runDir.toString(),
                "--watch-pid",
                Long.toString(watchPid),
                backing.toString(),
                mnt.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ClusterFs fs = new ClusterFs(backing, mnt, runDir, p);
        Runtime.getRuntime().addShutdownHook(fs.shutdownHook);
        try {
            fs.awaitMounted();
            return fs;
        } catch (IOException | RuntimeException e) {
            fs.close();
            throw e;
        }
    }

    private void awaitMounted() throws IOException {
        long until = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < until) {
            if (!daemon.isAlive()) {
                throw new IOException("jctdb-clusterfs exited with " + daemon.exitValue() + " while mounting "
                        + mountPoint + "; log:\n" + log());
            }
            if (Files.exists(control.socket())) {
                try {
                    if (control.request("ping", CONTROL_TIMEOUT).path("mounted").asBoolean()) {
                        return;
                    }
                } catch (IOException e) {
                    last = e;
                }
            }
            Commands.parkBriefly();
        }
        throw new IOException("jctdb-clusterfs did not answer within " + START_TIMEOUT + " ("
                + (last == null ? "no control socket" : last.getMessage()) + "); log:\n" + log());
    }

    /** The daemon script: -Djctdb.clusterfs, else tools/clusterfs under the install directory ({@link Home}). */
    public static Path script() {
        String explicit = System.getProperty("jctdb.clusterfs");
        if (explicit != null) {
            return Path.of(explicit);
        }
        return Installation.current().home().resolve("tools/clusterfs/jctdb-clusterfs");
    }

    // ------------------------------------------------------------------ nodes and freezing

    /** Callers that are {@code rootPid} or any of its descendants belong to node {@code name}. */
    public void registerNode(String name, long rootPid) throws IOException {
        request("register " + checkName(name) + " pid " + rootPid);
    }

    /** Callers in network namespace /var/run/netns/{@code netnsName} belong to node {@code name}. */
    public void registerNodeNetns(String name, String netnsName) throws IOException {
        request("register " + checkName(name) + " netns " + checkName(netnsName));
    }

    /** Callers in the network namespace of process {@code pid} belong to node {@code name}. */
    public void registerNodeNetnsOf(String name, long pid) throws IOException {
        request("register " + checkName(name) + " netns-of " + pid);
    }

    public void unregisterNode(String name) throws IOException {
        request("unregister " + checkName(name));
    }

    /** From now on every request by a caller of {@code node} waits in the daemon until thawed. */
    public void freeze(String node) throws IOException {
        request("freeze " + checkName(node));
    }

    public void thaw(String node) throws IOException {
        request("thaw " + checkName(node));
    }

    /** Thaws every node frozen with {@link #freeze(String)}. */
    public void thawNodes() throws IOException {
        request("thaw-nodes");
    }

    /** Every node hangs: the daemon is SIGSTOPped (the control channel then answers nothing). */
    public void freezeAll() throws IOException {
        signal("STOP");
    }

    /** Undoes {@link #freezeAll()} (SIGCONT); nodes frozen one by one stay frozen. */
    public void thawAll() throws IOException {
        signal("CONT");
    }

    /** The daemon's view: {"pid":..,"mounted":..,"nodes":[{"name","frozen","blocked","pids","netns"}]}. */
    public JsonNode status() throws IOException {
        return request("status");
    }

    private JsonNode request(String line) throws IOException {
        requireOpen();
        return control.request(line, CONTROL_TIMEOUT);
    }

    private void signal(String sig) throws IOException {
        requireOpen();
        Commands.run(COMMAND_TIMEOUT, "kill", "-" + sig, Long.toString(daemon.pid()))
                .requireOk();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cluster filesystem at " + mountPoint + " is closed");
        }
    }

    private static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("bad node or namespace name: " + name);
        }
        return name;
    }

    // ------------------------------------------------------------------ accessors

    public Path backingDir() {
        return backingDir;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public long daemonPid() {
        return daemon.pid();
    }

    public boolean daemonAlive() {
        return daemon.isAlive();
    }

    /** What the daemon logged so far: mounts, registrations, every freeze, thaw and held request. */
    public String log() {
        try {
            return Files.readString(runDir.resolve("clusterfs.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** True if some mount sits at path, read from /proc/self/mountinfo without touching the mount. */
    public static boolean isMounted(Path path) {
        try {
            String target = path.toAbsolutePath().normalize().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].replace("\\040", " ").equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ teardown

    /** Same as {@link #close()}. */
    public void unmount() {
        close();
    }

    /**
     * Thaws everything, lazily unmounts, and stops the daemon (SIGTERM, then SIGKILL, which
     * also fails any request still pending). Idempotent; never throws; safe when interrupted.
     */
    @Override
    public void close() {
        cleanup();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs cleanup() again, a no-op
        }
    }

    private void cleanup() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        List<String> problems = new ArrayList<>();
        try {
            attempt(problems, () -> Commands.run(CLEANUP_STEP, "kill", "-CONT", Long.toString(daemon.pid())));
            if (daemon.isAlive()) {
                attempt(problems, () -> control.request("thaw-nodes", CONTROL_TIMEOUT));
            }
            attempt(problems, this::lazyUnmount);
            // Files still open on the detached mount keep the daemon serving them; SIGTERM
            // makes it abort the connection after a short grace; SIGKILL is the last resort.
            if (!Commands.waitUninterruptibly(daemon, EXIT_GRACE)) {
                daemon.destroy();
                if (!Commands.waitUninterruptibly(daemon, CLEANUP_STEP)) {
                    problems.add("daemon " + daemon.pid() + " ignored SIGTERM; killing it");
                    Commands.killTree(daemon);
                    Commands.waitUninterruptibly(daemon, CLEANUP_STEP);
                }
            }
            if (isMounted(mountPoint)) {
                attempt(problems, this::lazyUnmount);
            }
            attempt(problems, this::deleteRunDir);
        } finally {
            if (!problems.isEmpty()) {
                System.err.println("ClusterFs cleanup of " + mountPoint + ": " + String.join("; ", problems));
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void lazyUnmount() throws IOException {
        if (!isMounted(mountPoint)) {
            return;
        }
        String mnt = mountPoint.toString();
        for (List<String> cmd : List.of(
                List.of("fusermount3", "-uz", mnt), List.of("fusermount", "-uz", mnt), List.of("umount", "-l", mnt))) {
            try {
                if (Commands.run(CLEANUP_STEP, cmd).ok() && !isMounted(mountPoint)) {
                    return;
                }
            } catch (IOException e) {
                // that tool is missing: try the next one
            }
        }
        if (isMounted(mountPoint)) {
            throw new IOException("could not unmount " + mnt);
        }
    }

    private void deleteRunDir() throws IOException {
        try (Stream<Path> files = Files.walk(runDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<String> problems, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            problems.add(e.toString());
        }
    }

    // ------------------------------------------------------------------ availability

    private static volatile Optional<String> unavailable;

    /** Why this machine cannot run the fixture (not root, no /dev/fuse, no fusepy), if so. */
    public static Optional<String> unavailableReason() {
        Optional<String> r = unavailable;
        if (r == null) {
            r = probe();
            unavailable = r;
        }
        return r;
    }

    private static Optional<String> probe() {
        if (!Files.isExecutable(Path.of(PYTHON)) || !Files.isExecutable(script())) {
            return Optional.of("need " + PYTHON + " and an executable " + script());
        }
        try {
            // The script's own check: root, /dev/fuse, python3-fusepy with libfuse2.
            Commands.Result r = Commands.run(COMMAND_TIMEOUT, PYTHON, script().toString(), "check");
            return r.ok() ? Optional.empty() : Optional.of(r.output().strip());
        } catch (IOException e) {
            return Optional.of("cannot run " + PYTHON + ": " + e.getMessage());
        }
    }
}
