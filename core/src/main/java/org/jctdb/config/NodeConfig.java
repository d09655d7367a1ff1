package org.jctdb.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything one node reads at start-up, validated together. */
public record NodeConfig(
        Layout layout,
        CtdbConf conf,
        NodesFile nodes,
        PublicAddressesFile publicAddresses,
        Tunables tunables,
        int myPnn,
        List<String> warnings,
        ClusterKeys keys) {

    /**
     * Loads and checks the configuration under {@code layout}. The node's own PNN comes from
     * {@code [cluster] node address}, or else, as in CTDB, from the first address in the nodes
     * file that this host can bind to.
     */
    public static NodeConfig load(Layout layout) throws ConfigException {
        CtdbConf conf = CtdbConfReader.read(layout.ctdbConf(), layout.defaultLogLocation());
        NodesFile nodes = NodesFile.read(layout.nodesFile());
        PublicAddressesFile publicAddresses = PublicAddressesFile.read(layout.publicAddressesFile());
        List<String> warnings = new ArrayList<>(conf.warnings());
        Tunables tunables = Tunables.read(layout.tunablesFile(), warnings);
        int pnn;
        if (conf.nodeAddress().isPresent()) {
            InetAddress address = conf.nodeAddress().get();
            pnn = nodes.pnnOf(address)
                    .orElseThrow(() -> new ConfigException(
                            layout.ctdbConf(),
                            0,
                            "node address " + IpAddresses.format(address) + " is not listed in " + layout.nodesFile()));
        } else {
            pnn = firstBindable(nodes, conf.port())
                    .orElseThrow(() -> new ConfigException(
                            layout.nodesFile(),
                            0,
                            "none of the listed addresses can be bound on this host; set [cluster] node address"));
        }
        if (conf.clusterLock().isEmpty()) {
            warnings.add("no cluster lock is configured: a partitioned cluster could elect two leaders");
        }
        ClusterKeys keys = ClusterKeys.NONE;
        if (conf.peerAuthentication()) {
            keys = ClusterKeys.read(layout.clusterKey());
        } else {
            warnings.add("peer authentication is off ([cluster] authentication = none): any host that can reach"
                    + " port " + conf.port() + " from a node's address can command this node");
        }
        return new NodeConfig(layout, conf, nodes, publicAddresses, tunables, pnn, List.copyOf(warnings), keys);
    }

    /** The same configuration with a re-read nodes file (reloadnodes; PNNs never change). */
    public NodeConfig withNodes(NodesFile next) {
        return new NodeConfig(layout, conf, next, publicAddresses, tunables, myPnn, warnings, keys);
    }

    /** The same configuration with a re-read cluster key (SIGHUP). */
    public NodeConfig withKeys(ClusterKeys next) {
        return new NodeConfig(layout, conf, nodes, publicAddresses, tunables, myPnn, warnings, next);
    }

    /**
     * The CTDB client socket this node's daemon serves: {@code [cluster] ctdbd socket}, else
     * run/ctdbd.socket under CTDB_BASE, else Samba's compiled-in /run/ctdb/ctdbd.socket.
     */
    public Path ctdbdSocket() {
        return ctdbdSocket(layout, conf);
    }

    /** {@link #ctdbdSocket()} from ctdb.conf alone, for a command that does not load the whole node configuration. */
    public static Path ctdbdSocket(Layout layout, CtdbConf conf) {
        return conf.database()
                .ctdbdSocket()
                .orElseGet(() -> layout.base().equals(Path.of(Layout.DEFAULT_BASE))
                        ? Path.of("/run/ctdb/ctdbd.socket")
                        : layout.runDir().resolve("ctdbd.socket"));
    }

    public InetAddress myAddress() {
        return nodes.node(myPnn).address().orElseThrow();
    }

    private static Optional<Integer> firstBindable(NodesFile nodes, int port) {
        for (NodeEntry n : nodes.nodes()) {
            if (n.deleted()) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(n.address().get(), port));
                return Optional.of(n.pnn());
            } catch (IOException e) {
                // Not ours, or in use by another node's daemon on this host: try the next.
            }
        }
        return Optional.empty();
    }
}
