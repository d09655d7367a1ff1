package org.jctdb.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jctdb.config.ClusterKeys;
import org.jctdb.config.Installation;
import org.jctdb.control.ControlClient;
import org.jctdb.control.ControlReply;

/**
 * A JCTDB cluster on real network stacks: one network namespace per node and one for a client,
 * joined by a bridge in its own namespace. Node and public addresses come from 198.18.X.0/24
 * (inside 198.18.0.0/15, reserved for benchmarks) and exist only inside these namespaces.
 * Each node runs bin/jctdbd in its namespace with its own CTDB_BASE and our 10.interface
 * script. Everything (daemons, namespaces, bridge, files) goes on {@link #close}, also from a
 * shutdown hook if the test JVM exits early.
 */
public final class NetnsCluster implements AutoCloseable {
    private static final Duration CMD = Duration.ofSeconds(20);
    public static final String IFACE = "eth0";

    public final Path dir;
    public final int nodes;
    private final int subnet;
    private final List<String> publicIps = new ArrayList<>();
    private final List<NetworkNamespace> namespaces = new ArrayList<>();
    private NetworkNamespace bridge;
    private NetworkNamespace client;
    private final List<NetworkNamespace> nodeNs = new ArrayList<>();
    private final Thread hook = new Thread(this::cleanUp, "netns-cluster-cleanup");
    private boolean closed;

    private final String prefix;
    private final Path lockFile;

    private NetnsCluster(Path dir, int nodes, int subnet, String prefix, Path lockFile) {
        this.dir = dir;
        this.nodes = nodes;
        this.subnet = subnet;
        this.prefix = prefix;
        this.lockFile = lockFile != null ? lockFile : dir.resolve("shared").resolve("cluster.lock");
    }

    /** Why this machine cannot run such a cluster (not root, no namespaces, no build), if so. */
    public static Optional<String> unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespace tests need root");
        }
        if (!Files.isRegularFile(Installation.current().helper("jctdb-fast"))) {
            return Optional.of("JCTDB is not built here (mvn package)");
        }
        return NetworkNamespace.unavailableReason();
    }

    /** Creates the network and the configuration of {@code nodes} nodes and {@code ips} public addresses. */
    public static NetnsCluster create(int nodes, int ips, Map<String, Long> tunables) throws IOException {
        return create("jip", Files.createTempDirectory("jctdb-netns-"), null, nodes, ips, tunables);
    }

    /**
     * As {@link #create(int, int, Map)}, with namespaces named {@code prefix}-br/-nK/-cl-PID-N,
     * the node directories in {@code dir} (removed on close) and the cluster lock at
     * {@code lockFile} (null: dir/shared/cluster.lock), e.g. on a {@link ClusterFs} mount.
     */
    public static NetnsCluster create(
            String prefix, Path dir, Path lockFile, int nodes, int ips, Map<String, Long> tunables) throws IOException {
        NetnsCluster c =
                new NetnsCluster(dir, nodes, ThreadLocalRandom.current().nextInt(1, 250), prefix, lockFile);
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            c.network();
            c.configure(ips, tunables);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    public String nodeAddress(int k) {
        return "198.18." + subnet + "." + (11 + k);
    }

    public List<String> publicIps() {
        return List.copyOf(publicIps);
    }

    public String nodeNs(int k) {
        return nodeNs.get(k).name();
    }

    public String clientNs() {
        return client.name();
    }

    public List<String> nodeNamespaces() {
        List<String> out = new ArrayList<>();
        nodeNs.forEach(n -> out.add(n.name()));
        return out;
    }

    /** The node whose namespace is {@code ns}, or -1. */
    public int nodeOf(String ns) {
        return nodeNamespaces().indexOf(ns);
    }

    public Path nodeDir(int k) {
        return dir.resolve("node." + k);
    }

    private void network() throws IOException {
        bridge = track(NetworkNamespace.create(prefix + "-br"));
        ip(bridge.name(), "link", "add", "br0", "type", "bridge");
        ip(bridge.name(), "link", "set", "br0", "up");
        for (int k = 0; k < nodes; k++) {
            NetworkNamespace ns = track(NetworkNamespace.create(prefix + "-n" + k));
            nodeNs.add(ns);
            attach(ns, "v" + k, nodeAddress(k));
        }
        client = track(NetworkNamespace.create(prefix + "-cl"));
        attach(client, "vc", "198.18." + subnet + ".200");
    }

    private void attach(NetworkNamespace ns, String bridgeSide, String address) throws IOException {
        ip(bridge.name(), "link", "add", bridgeSide, "type", "veth", "peer", "name", IFACE, "netns", ns.name());
        ip(bridge.name(), "link", "set", bridgeSide, "master", "br0");
        ip(bridge.name(), "link", "set", bridgeSide, "up");
        ip(ns.name(), "link", "set", "lo", "up");
        ip(ns.name(), "addr", "add", address + "/24", "dev", IFACE);
        ip(ns.name(), "link", "set", IFACE, "up");
    }

    private NetworkNamespace track(NetworkNamespace ns) {
        namespaces.add(ns);
        return ns;
    }

    private static void ip(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        Commands.run(CMD, cmd).requireOk();
    }

    private void configure(int ips, Map<String, Long> tunables) throws IOException {
        StringBuilder nodesFile = new StringBuilder();
        StringBuilder publicFile = new StringBuilder();
        for (int k = 0; k < nodes; k++) {
            nodesFile.append(nodeAddress(k)).append('\n');
        }
        for (int j = 0; j < ips; j++) {
            String ip = "198.18." + subnet + "." + (101 + j);
            publicIps.add(ip);
            publicFile.append(ip).append("/24 ").append(IFACE).append('\n');
        }
        Path lock = lockFile;
        if (lock.startsWith(dir)) {
            Files.createDirectories(lock.getParent());
        }
        StringBuilder tun = new StringBuilder();
        tunables.forEach((n, v) -> tun.append(n).append('=').append(v).append('\n'));
        byte[] script;
        try (InputStream in = NetnsCluster.class.getResourceAsStream("/org/jctdb/event/scripts/10.interface.script")) {
            script = in.readAllBytes();
        }
        String key = "# the lab cluster's key (peer authentication)\n" + ClusterKeys.generateLine() + "\n";
        for (int k = 0; k < nodes; k++) {
            Path nd = nodeDir(k);
            Path events = nd.resolve("events").resolve("legacy");
            Files.createDirectories(events);
            ClusterKeys.write(nd.resolve(ClusterKeys.FILE_NAME), key, true);
            Path s = events.resolve("10.interface.script");
            Files.write(s, script);
            Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
            writeConf(k, lock.toString(), "");
            Files.writeString(nd.resolve("nodes"), nodesFile);
            Files.writeString(nd.resolve("public_addresses"), publicFile);
            Files.writeString(nd.resolve("ctdb.tunables"), tun);
        }
    }

    private void writeConf(int k, String clusterLock, String extra) throws IOException {
        Path nd = nodeDir(k);
        Files.writeString(
                nd.resolve("ctdb.conf"),
                "[logging]\n\tlocation = file:" + nd.resolve("log.jctdb")
                        + "\n\tlog level = INFO\n[cluster]\n\tcluster lock = " + clusterLock + "\n\tnode address = "
                        + nodeAddress(k) + "\n" + extra);
    }

    /**
     * Configures every node with {@code clusterLock} (an etcd or ZooKeeper lock) as its {@code [cluster]
     * cluster lock} (before they start); the directory the lock file would be in is then probed as a
     * {@code [health] extra path}, so the cluster filesystem's health is still watched.
     */
    public void clusterLock(String clusterLock) throws IOException {
        for (int k = 0; k < nodes; k++) {
            writeConf(k, clusterLock, "[health]\n\textra paths = " + lockFile.getParent() + "\n");
        }
    }

    /**
     * Joins the host's own network namespace to the bridge (a veth pair, {@code PREFIX-coSUBNET} on the
     * host) with address .250 of the node subnet, and returns that address: a server the host runs
     * there (the lab's etcd or ZooKeeper) is reachable from every node. The pair goes with the
     * bridge's namespace.
     */
    public String attachHost() throws IOException {
        String name = prefix + "-co" + subnet; // unique per lab on this host, at most 15 characters
        String address = "198.18." + subnet + ".250";
        ip(
                bridge.name(),
                "link",
                "add",
                "vco",
                "type",
                "veth",
                "peer",
                "name",
                name,
                "netns",
                Long.toString(ProcessHandle.current().pid()));
        ip(bridge.name(), "link", "set", "vco", "master", "br0");
        ip(bridge.name(), "link", "set", "vco", "up");
        Commands.run(CMD, "ip", "addr", "add", address + "/24", "dev", name).requireOk();
        Commands.run(CMD, "ip", "link", "set", name, "up").requireOk();
        return address;
    }

    /** Starts node {@code k}'s daemon in its namespace with bin/jctdbd, which returns once it listens. */
    public void start(int k) throws IOException {
        Commands.run(
                        Duration.ofSeconds(70),
                        "ip",
                        "netns",
                        "exec",
                        nodeNs(k),
                        "env",
                        "CTDB_BASE=" + nodeDir(k),
                        Installation.current().home().resolve("bin/jctdbd").toString())
                .requireOk();
    }

    public void startAll() throws IOException {
        for (int k = 0; k < nodes; k++) {
            start(k);
        }
    }

    /** Runs bin/jctdb inside node {@code k}'s namespace. */
    public Commands.Result jctdb(int k, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                nodeNs(k),
                "env",
                "CTDB_BASE=" + nodeDir(k),
                Installation.current().home().resolve("bin/jctdb").toString()));
        cmd.addAll(List.of(args));
        return Commands.run(CMD, cmd);
    }

    /** A query through node {@code k}'s control socket (a file: reachable from any namespace). */
    public ControlReply query(int k, String... args) throws IOException {
        return ControlClient.call(nodeDir(k).resolve("run/jctdbd.socket"), List.of(args), 5000);
    }

    public Optional<Long> pid(int k) {
        try {
            return Optional.of(Long.parseLong(
                    Files.readString(nodeDir(k).resolve("run/jctdbd.pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void signal(int k, String signal) throws IOException {
        long pid = pid(k).orElseThrow(() -> new IOException("node " + k + " has no pid file"));
        Commands.run(CMD, "kill", "-" + signal, String.valueOf(pid)).requireOk();
    }

    /** Cuts (or restores) node {@code k}'s link: its veth end on the bridge goes down (up). */
    public void link(int k, boolean up) throws IOException {
        ip(bridge.name(), "link", "set", "v" + k, up ? "up" : "down");
    }

    /** The cluster lock path every node is configured with. */
    public Path lockFile() {
        return lockFile;
    }

    /**
     * Drops (or stops dropping) every packet node {@code k} sends to {@code address}: a blackhole
     * route in its namespace (this kernel has no nftables, iptables or tc classifiers).
     */
    public void blackhole(int k, String address, boolean on) throws IOException {
        ip(nodeNs(k), "route", on ? "replace" : "del", "blackhole", address + "/32");
    }

    public String log(int k) {
        try {
            return Files.readString(nodeDir(k).resolve("log.jctdb"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (int k = 0; k < nodeNs.size(); k++) {
            pid(k).flatMap(ProcessHandle::of).ifPresent(h -> {
                try {
                    Commands.run(CMD, "kill", "-CONT", String.valueOf(h.pid()));
                } catch (IOException e) {
                    // gone already
                }
                Commands.killTree(h);
            });
        }
        // Whatever still runs in a namespace (guards, scripts) goes with it.
        for (NetworkNamespace ns : namespaces) {
            try {
                Commands.run(CMD, "ip", "netns", "pids", ns.name())
                        .output()
                        .lines()
                        .map(String::strip)
                        .filter(l -> l.matches("\\d+"))
                        .map(Long::parseLong)
                        .forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
            } catch (IOException e) {
                // namespace already gone
            }
            ns.close();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
