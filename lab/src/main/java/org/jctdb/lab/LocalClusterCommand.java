package org.jctdb.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jctdb.config.Installation;
import org.jctdb.control.ControlClient;
import org.jctdb.control.ControlReply;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jctdb local-cluster up|down|status}: a cluster of daemons on this machine, for trying and testing. */
@Command(
        name = "local-cluster",
        description = "Run a cluster of JCTDB daemons on this machine (127.0.0.x).",
        subcommands = {
            LocalClusterCommand.Up.class,
            LocalClusterCommand.Down.class,
            LocalClusterCommand.Status.class,
            ClusterFsCommands.Freeze.class,
            ClusterFsCommands.Thaw.class
        })
final class LocalClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }

    /** Options every subcommand shares. */
    static final class Where {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Directory of the cluster (default: ./local-cluster).")
        Path dir = Path.of("local-cluster");

        Path dir() {
            return dir.toAbsolutePath().normalize();
        }
    }

    static Path home() {
        return Installation.current().home();
    }

    static Optional<ControlReply> query(Path socket, String... argv) {
        try {
            return Optional.of(ControlClient.call(socket, List.of(argv), 3000));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Command(name = "up", description = "Write the configuration, start the daemons and wait until all are connected.")
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Where where;

        @Option(names = "--nodes", description = "Number of nodes (default 3).")
        int nodes = 3;

        @Option(names = "--base-address", paramLabel = "IP", description = "Address of node 0 (default 127.0.0.1).")
        String base = "127.0.0.1";

        @Option(names = "--port", description = "TCP port between nodes (default 4379).")
        int port = 4379;

        @Option(names = "--tunable", paramLabel = "NAME=VALUE", description = "A tunable for every node (repeatable).")
        List<String> tunables = new ArrayList<>();

        @Option(names = "--no-lock", description = "Run without a cluster lock.")
        boolean noLock;

        @Option(
                names = "--no-key",
                description = "Run without peer authentication ([cluster] authentication = none), "
                        + "as CTDB does; by default every node gets the same new cluster.key.")
        boolean noKey;

        @Option(
                names = "--cluster-lock",
                paramLabel = "LOCK",
                description =
                        "The [cluster] cluster lock for every node, e.g. '!/usr/libexec/ctdb/ctdb_mutex_fcntl_helper PATH' "
                                + "(default: a lock file under DIR/shared, or on the cluster filesystem). `etcd` or `zookeeper` "
                                + "starts a server of that kind (--lock-members, 1 by default) (Debian's etcd-server / zookeeper) in DIR/etcd or "
                                + "DIR/zookeeper, with a 5 s lease; `down` stops it. With --cluster-fs and such a lock, "
                                + "the cluster filesystem is probed as a [health] extra path.")
        String clusterLock;

        @Option(
                names = "--lock-members",
                paramLabel = "N",
                description =
                        "Members of the etcd or ZooKeeper server --cluster-lock etcd|zookeeper starts: 1 (default) or 3.")
        int lockMembers = 1;

        @Option(names = "--timeout", description = "Seconds to wait for all nodes to connect (default 30).")
        int timeout = 30;

        @Option(
                names = "--cluster-fs",
                description = "Put the cluster lock on a freezable FUSE cluster filesystem "
                        + "(tools/clusterfs; needs root and python3-fusepy); freeze a node's storage with "
                        + "`jctdb local-cluster freeze K`.")
        boolean clusterFs;
        /** Lease of the local etcd / ZooKeeper lock: failover after kill -9 within it plus the election. */
        static final int LOCAL_LEASE_SECONDS = 5;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (nodes < 1 || nodes > 64) {
                err.println("--nodes must be from 1 to 64");
                return 1;
            }
            InetAddress baseAddress;
            try {
                baseAddress = LocalCluster.parseBase(base);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 1;
            }
            LocalCluster lc = new LocalCluster(where.dir(), nodes, baseAddress, port);
            for (long pid : lc.readPids()) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    err.println("A local cluster is already running from " + lc.dir()
                            + "; stop it first with: jctdb local-cluster down --dir " + lc.dir());
                    return 1;
                }
            }
            if (clusterFs) {
                Files.createDirectories(lc.clusterFsBacking().resolve(".ctdb"));
                Files.createDirectories(lc.clusterFsMount());
                ClusterFsCommands.Result r = ClusterFsCommands.tool(
                        lc,
                        "mount",
                        "--background",
                        lc.clusterFsBacking().toString(),
                        lc.clusterFsMount().toString());
                if (r.code() != 0) {
                    err.println("Cannot mount the cluster filesystem: " + r.output());
                    return 1;
                }
                out.println("Cluster filesystem mounted at " + lc.clusterFsMount());
            }
            Optional<LocalLockServer.Kind> kind =
                    clusterLock == null || noLock ? Optional.empty() : LocalLockServer.Kind.of(clusterLock);
            if (lockMembers != 1 && lockMembers != 3) {
                err.println("--lock-members must be 1 or 3, not " + lockMembers);
                return 1;
            }
            if (kind.isPresent()) {
                Optional<String> missing = LocalLockServer.missing(kind.get());
                if (missing.isPresent()) {
                    err.println("Cannot start the " + kind.get().word + " server: " + missing.get());
                    return 1;
                }
                LocalLockServer server;
                try {
                    server = LocalLockServer.start(
                            kind.get(), lc.dir().resolve(kind.get().word), "127.0.0.1", lockMembers, 60_000);
                } catch (IOException e) {
                    err.println(e.getMessage());
                    return 1;
                }
                clusterLock = server.clusterLock(LOCAL_LEASE_SECONDS);
                out.printf(
                        "Started %s (%d member%s, pid %d) on 127.0.0.1:%d; cluster lock = %s%n",
                        kind.get().word,
                        server.members(),
                        server.members() == 1 ? "" : "s",
                        server.pid(),
                        server.port(),
                        clusterLock);
            }
            lc.write(
                    tunables,
                    noLock
                            ? Optional.empty()
                            : Optional.of(
                                    clusterLock != null
                                            ? clusterLock
                                            : lc.lockFile().toString()),
                    !noKey);
            if (clusterFs
                    && clusterLock != null
                    && (clusterLock.startsWith("etcd:") || clusterLock.startsWith("zookeeper:"))) {
                // The lock is not on the cluster filesystem, so nothing would probe it: probe it as a site would.
                lc.probe(lc.clusterFsMount().resolve(".ctdb"));
            }
            Path jctdbd = home().resolve("bin").resolve("jctdbd");
            long started = System.nanoTime();
            // Start every daemon at once; each launcher returns when its daemon is ready (or failed).
            List<Process> launchers = new ArrayList<>();
            for (int k = 0; k < nodes; k++) {
                out.printf("Starting node %d (%s) ...%n", k, lc.address(k).getHostAddress());
                ProcessBuilder pb = new ProcessBuilder(jctdbd.toString()).redirectErrorStream(true);
                pb.environment().put("CTDB_BASE", lc.nodeDir(k).toString());
                pb.environment().remove("CTDB_SOCKET");
                launchers.add(pb.start());
            }
            out.flush();
            List<String> pids = new ArrayList<>();
            boolean failed = false;
            for (int k = 0; k < nodes; k++) {
                Process p = launchers.get(k);
                String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    err.printf(
                            "Node %d failed to start:%n%s%nLast lines of %s:%n%s%n",
                            k, said.strip(), lc.logFile(k), lc.logTail(k, 20));
                    failed = true;
                    continue;
                }
                String pid = Files.readString(lc.nodeDir(k).resolve("run").resolve("jctdbd.pid"))
                        .strip();
                pids.add(k + " " + pid);
                if (clusterFs) {
                    ClusterFsCommands.tool(lc, "register", "node" + k, "--pid", pid);
                }
            }
            Files.write(lc.pidsFile(), pids);
            if (failed) {
                err.printf("Stop the nodes that did start with: jctdb local-cluster down --dir %s%n", lc.dir());
                return 1;
            }
            return waitConnected(lc, out, err, started) ? printStatus(lc, out) : 1;
        }

        private boolean waitConnected(LocalCluster lc, PrintWriter out, PrintWriter err, long startNanos)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            // Two steps, each reported once it changes: every node sees every other connected; then
            // every node sees every node healthy (no flag set). The second only once the first is done.
            int lastShown = -1;
            boolean allConnected = false;
            while (System.nanoTime() < deadline) {
                List<String> statuses = statuses(lc);
                if (!allConnected) {
                    int connected = count(statuses, CONNECTED);
                    if (connected == nodes) {
                        allConnected = true;
                        lastShown = -1;
                        out.printf(
                                "All %d nodes connected after %.1f s%n", nodes, (System.nanoTime() - startNanos) / 1e9);
                    } else if (connected != lastShown) {
                        out.printf("Waiting for the nodes to connect: %d of %d see all others%n", connected, nodes);
                        out.flush();
                        lastShown = connected;
                    }
                }
                if (allConnected) {
                    int healthy = count(statuses, HEALTHY);
                    if (healthy == nodes) {
                        out.printf("All %d nodes OK after %.1f s%n", nodes, (System.nanoTime() - startNanos) / 1e9);
                        return true;
                    }
                    if (healthy != lastShown) {
                        out.printf(
                                "Waiting for the nodes to become healthy: %d of %d see every node healthy%n",
                                healthy, nodes);
                        out.flush();
                        lastShown = healthy;
                    }
                }
                Thread.sleep(100);
            }
            err.printf("Timed out after %d s: not all nodes connected and healthy.%n", timeout);
            for (int k = 0; k < nodes; k++) {
                err.printf("--- node %d: last lines of %s%n%s%n", k, lc.logFile(k), lc.logTail(k, 10));
            }
            return false;
        }

        /** A -X status row whose Disconnected column is 0. */
        private static final Pattern CONNECTED = Pattern.compile("\\|\\d+\\|[^|]+\\|0\\|.*");
        /** A -X status row with every flag column 0. */
        private static final Pattern HEALTHY =
                Pattern.compile("\\|\\d+\\|[^|]+\\|0\\|0\\|0\\|0\\|0\\|0\\|0\\|0\\|[YN]\\|");

        /** Each node's -X status (null where it does not answer). */
        private List<String> statuses(LocalCluster lc) {
            List<String> out = new ArrayList<>();
            for (int k = 0; k < nodes; k++) {
                Optional<ControlReply> r = query(lc.socket(k), "-X", "status");
                out.add(r.isPresent() && r.get().exitCode() == 0 ? r.get().stdout() : null);
            }
            return out;
        }

        /** How many nodes report every row matching {@code row}. */
        private static int count(List<String> statuses, Pattern row) {
            int ok = 0;
            for (String s : statuses) {
                if (s != null && s.lines().skip(1).allMatch(l -> row.matcher(l).matches())) {
                    ok++;
                }
            }
            return ok;
        }

        private int printStatus(LocalCluster lc, PrintWriter out) {
            out.printf("Status from node 0 (CTDB_BASE=%s):%n", lc.nodeDir(0));
            query(lc.socket(0), "status").ifPresent(r -> out.print(r.stdout()));
            out.printf(
                    "Try: CTDB_BASE=%s bin/jctdb status%nStop: bin/jctdb local-cluster down --dir %s%n",
                    lc.nodeDir(0), lc.dir());
            return 0;
        }
    }

    @Command(
            name = "down",
            description = "Stop every daemon of the cluster's directory (by the PID file of each node, "
                    + "also nodes restarted by hand), and the lock server or cluster filesystem `up` started.")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Where where;

        @Override
        public Integer call() throws IOException {
            LocalCluster lc = new LocalCluster(where.dir(), 0, null, 0);
            List<ProcessHandle> running = new ArrayList<>();
            // The PIDs `up` wrote, and each node's own PID file: a node restarted by hand is there only.
            Set<Long> pids = new TreeSet<>(lc.readPids());
            pids.addAll(lc.nodePids());
            for (long pid : pids) {
                ProcessHandle.of(pid)
                        .filter(ProcessHandle::isAlive)
                        .filter(Down::isOurs)
                        .ifPresent(running::add);
            }
            running.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (ProcessHandle h : running) {
                while (h.isAlive() && System.nanoTime() < deadline) {
                    try {
                        h.onExit().get(100, TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        // still alive: keep waiting until the deadline
                    }
                }
                if (h.isAlive()) {
                    spec.commandLine().getErr().printf("Daemon %d did not stop on SIGTERM; sending SIGKILL%n", h.pid());
                    h.destroyForcibly();
                }
            }
            Files.deleteIfExists(lc.pidsFile());
            spec.commandLine().getOut().printf("Stopped %d daemon(s) of %s%n", running.size(), lc.dir());
            for (LocalLockServer.Kind k : LocalLockServer.Kind.values()) {
                if (LocalLockServer.stop(lc.dir().resolve(k.word))) {
                    spec.commandLine().getOut().printf("Stopped the %s server%n", k.word);
                }
            }
            if (Files.isDirectory(lc.clusterFsRunDir())) {
                ClusterFsCommands.Result r = ClusterFsCommands.tool(
                        lc, "unmount", lc.clusterFsMount().toString());
                spec.commandLine()
                        .getOut()
                        .println(
                                r.code() == 0
                                        ? "Cluster filesystem unmounted"
                                        : "Cluster filesystem unmount failed: " + r.output());
                if (r.code() == 0) {
                    deleteTree(lc.clusterFsRunDir());
                }
            }
            return 0;
        }

        private static void deleteTree(Path p) throws IOException {
            try (var walk = Files.walk(p)) {
                for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        }

        /** Only ever signal a JCTDB daemon, even if a PID has been reused. */
        private static boolean isOurs(ProcessHandle h) {
            return h.info()
                    .commandLine()
                    .map(c -> c.contains("org.jctdb.daemon.DaemonMain"))
                    .orElse(false);
        }
    }

    @Command(name = "status", description = "Show which daemons of the local cluster run, and the cluster status.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Where where;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            LocalCluster lc = new LocalCluster(where.dir(), 0, null, 0);
            List<String> lines = Files.exists(lc.pidsFile()) ? Files.readAllLines(lc.pidsFile()) : List.of();
            if (lines.isEmpty()) {
                out.println("No local cluster is running from " + lc.dir());
                return 1;
            }
            int alive = 0;
            for (String line : lines) {
                String[] f = line.strip().split("\\s+");
                boolean up = ProcessHandle.of(Long.parseLong(f[1]))
                        .map(ProcessHandle::isAlive)
                        .orElse(false);
                alive += up ? 1 : 0;
                out.printf("node %s: pid %s %s%n", f[0], f[1], up ? "running" : "NOT RUNNING");
            }
            for (String line : lines) {
                int k = Integer.parseInt(line.strip().split("\\s+")[0]);
                Optional<ControlReply> r = query(lc.socket(k), "status");
                if (r.isPresent()) {
                    out.printf("Status from node %d:%n%s", k, r.get().stdout());
                    break;
                }
            }
            return alive == lines.size() ? 0 : 1;
        }
    }
}
