package org.jctdb.lab;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jctdb.config.ClusterKeys;
import org.jctdb.config.IpAddresses;

/**
 * The files of a local test cluster: {@code DIR/node.K} is node K's CTDB_BASE, nodes listen
 * on consecutive loopback addresses, and the cluster lock lives in {@code DIR/shared}.
 */
record LocalCluster(Path dir, int nodes, InetAddress baseAddress, int port) {
    static final String PIDS_FILE = "local-cluster.pids";

    Path nodeDir(int pnn) {
        return dir.resolve("node." + pnn);
    }

    /** The cluster lock: on the freezable cluster filesystem when one is mounted, else in a plain directory. */
    Path lockFile() {
        Path shared = Files.isDirectory(clusterFsRunDir()) ? clusterFsMount() : dir.resolve("shared");
        return shared.resolve(".ctdb").resolve("cluster.lock");
    }

    /** Where `--cluster-fs` mounts the freezable filesystem (tools/clusterfs) that all nodes share. */
    Path clusterFsMount() {
        return dir.resolve("cfs");
    }

    Path clusterFsBacking() {
        return dir.resolve("cfs-backing");
    }

    Path clusterFsRunDir() {
        return dir.resolve("cfs-run");
    }

    Path pidsFile() {
        return dir.resolve(PIDS_FILE);
    }

    Path logFile(int pnn) {
        return nodeDir(pnn).resolve("log.jctdb");
    }

    Path socket(int pnn) {
        return nodeDir(pnn).resolve("run").resolve("jctdbd.socket");
    }

    InetAddress address(int pnn) {
        byte[] b = baseAddress.getAddress();
        int v = ((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff)) + pnn;
        try {
            return InetAddress.getByAddress(
                    new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static InetAddress parseBase(String text) {
        Optional<InetAddress> a = IpAddresses.parse(text);
        if (a.isEmpty() || !(a.get() instanceof Inet4Address) || !a.get().isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    "--base-address must be an IPv4 loopback address such as 127.0.0.1, not " + text);
        }
        return a.get();
    }

    /** Writes every node's configuration directory; tunables are NAME=VALUE lines. */
    void write(List<String> tunables, Optional<String> clusterLock) throws IOException {
        write(tunables, clusterLock, true);
    }

    /** As above; without {@code withKey} the nodes run with [cluster] authentication = none. */
    void write(List<String> tunables, Optional<String> clusterLock, boolean withKey) throws IOException {
        Files.createDirectories(lockFile().getParent());
        StringBuilder nodesFile = new StringBuilder();
        for (int k = 0; k < nodes; k++) {
            nodesFile.append(IpAddresses.format(address(k))).append('\n');
        }
        // One cluster key for all nodes (peer authentication); kept if the cluster was up before.
        Path firstKey = nodeDir(0).resolve(ClusterKeys.FILE_NAME);
        String keyText = Files.exists(firstKey)
                ? Files.readString(firstKey)
                : "# Written by `jctdb local-cluster up`: the local cluster's key.\n" + ClusterKeys.generateLine()
                        + "\n";
        for (int k = 0; k < nodes; k++) {
            Path nd = nodeDir(k);
            Files.createDirectories(nd.resolve("events").resolve("legacy"));
            if (withKey) {
                ClusterKeys.write(nd.resolve(ClusterKeys.FILE_NAME), keyText, true);
            }
            StringBuilder conf = new StringBuilder()
                    .append("# Written by `jctdb local-cluster up`: node ")
                    .append(k)
                    .append(" of a local test cluster.\n")
                    .append("[logging]\n\tlocation = file:")
                    .append(logFile(k))
                    .append("\n\tlog level = NOTICE\n")
                    .append("[cluster]\n");
            clusterLock.ifPresent(
                    l -> conf.append("\tcluster lock = ").append(l).append('\n'));
            if (!withKey) {
                conf.append("\tauthentication = none\n");
            }
            conf.append("\tnode address = ")
                    .append(IpAddresses.format(address(k)))
                    .append('\n')
                    .append("\tport = ")
                    .append(port)
                    .append('\n');
            Files.writeString(nd.resolve("ctdb.conf"), conf);
            Files.writeString(nd.resolve("nodes"), nodesFile);
            Files.writeString(
                    nd.resolve("ctdb.tunables"), String.join("\n", tunables) + (tunables.isEmpty() ? "" : "\n"));
            if (!Files.exists(nd.resolve("public_addresses"))) {
                Files.writeString(nd.resolve("public_addresses"), "");
            }
        }
    }

    /** Adds {@code path} to every node's {@code [health] extra paths} (after {@link #write}). */
    void probe(Path path) throws IOException {
        for (int k = 0; k < nodes; k++) {
            Files.writeString(
                    nodeDir(k).resolve("ctdb.conf"),
                    "[health]\n\textra paths = " + path + "\n",
                    StandardOpenOption.APPEND);
        }
    }

    List<Long> readPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        if (!Files.exists(pidsFile())) {
            return pids;
        }
        for (String line : Files.readAllLines(pidsFile())) {
            String t = line.strip();
            if (!t.isEmpty()) {
                try {
                    pids.add(Long.parseLong(t.split("\\s+")[1]));
                } catch (RuntimeException e) {
                    throw new IOException(pidsFile() + ": bad line \"" + line + "\"");
                }
            }
        }
        return pids;
    }

    /** The PID in each node directory's run/jctdbd.pid (the daemon writes it; also after a restart by hand). */
    List<Long> nodePids() throws IOException {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pids;
        }
        try (var entries = Files.list(dir)) {
            for (Path node : entries.filter(p -> p.getFileName().toString().matches("node\\.\\d+"))
                    .toList()) {
                Path pidFile = node.resolve("run").resolve("jctdbd.pid");
                if (Files.isRegularFile(pidFile)) {
                    String t = Files.readString(pidFile).strip();
                    try {
                        pids.add(Long.parseLong(t));
                    } catch (NumberFormatException e) {
                        throw new IOException(pidFile + ": not a PID: \"" + t + "\"");
                    }
                }
            }
        }
        return pids;
    }

    /** The tail of a node's log, to show why it did not come up. */
    String logTail(int pnn, int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(pnn));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + logFile(pnn) + ")";
        }
    }
}
