package org.jctdb.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options `jctdb lab run` and `jctdb lab campaign` share: what one campaign of one seed does. */
public final class LabRunSettings {
    @Option(names = "--minutes", required = true, description = "Length of each campaign (fractions allowed).")
    double minutes;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--ips", defaultValue = "6", description = "Number of public addresses (default ${DEFAULT-VALUE}).")
    int ips;

    @Option(names = "--system", defaultValue = "jctdb", description = "jctdb or ctdb (Debian's CTDB 4.17).")
    String system;

    @Option(
            names = "--faults",
            paramLabel = "KIND,...",
            description = "Fault kinds (default all that apply but split): "
                    + "crash,pause,linkcut,partition,freeze,freezeall,hungmonitor,split (every node alone, 1+1+1),"
                    + " with the fcntl lock lockdelete, with an etcd or ZooKeeper lock lockpause,lockkill,lockpauseall"
                    + " (one member, one member killed, every member).")
    String faults;

    @Option(
            names = "--leader-share",
            defaultValue = "0",
            paramLabel = "P",
            description = "Share (0 to 1) of crash, pause, linkcut, freeze and hungmonitor faults aimed at whichever"
                    + " node leads when the fault starts (default ${DEFAULT-VALUE}: nodes drawn at random).")
    double leaderShare;

    @Option(
            names = "--max-concurrent",
            defaultValue = "2",
            description = "Most faults active at once (default ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(
            names = "--profile",
            defaultValue = "short",
            paramLabel = "short|long|mixed",
            description =
                    "How long lasting faults last: short 2-10 s (default), long 30-180 s, mixed: each one or the other.")
    String profile;

    @Option(
            names = "--heal-seconds",
            defaultValue = "30",
            description =
                    "After the last fault of an episode ends, every node must be OK and every address hosted once within this (default ${DEFAULT-VALUE}).")
    int healSeconds;

    @Option(
            names = "--db-workload",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Run the database workload (persistent transactions, reads, volatile record migrations on"
                    + " every node) and check the database invariants (default on; --no-db-workload turns it off).")
    boolean dbWorkload;

    @Option(
            names = "--cluster-lock",
            defaultValue = "fcntl",
            paramLabel = "fcntl|etcd|zookeeper",
            description = "Where the cluster lock lives: a file on the cluster filesystem (fcntl, default), or a"
                    + " lab etcd / ZooKeeper server the host runs on the nodes' bridge (jctdb only).")
    String clusterLock;

    @Option(
            names = "--lock-members",
            paramLabel = "N",
            description = "Members of the lock's service: 1 or 3 (default: etcd 3, zookeeper 1).")
    Integer lockMembers;

    /** The options of one campaign of {@code seed} written to {@code dir}; bad values throw IllegalArgumentException. */
    LabOptions options(long seed, Path dir, String commandLine) {
        boolean leased = !clusterLock.equals("fcntl");
        List<FaultKind> kinds = faults == null ? FaultKind.defaults(leased) : FaultKind.parseList(faults);
        return new LabOptions(
                system,
                minutes,
                seed,
                nodes,
                ips,
                dir.toAbsolutePath().normalize(),
                kinds,
                maxConcurrent,
                healSeconds * 1000L,
                FaultProfile.parse(profile),
                leaderShare,
                dbWorkload,
                clusterLock,
                lockMembers != null ? lockMembers : clusterLock.equals("etcd") ? 3 : 1,
                commandLine);
    }

    /** Why a campaign cannot run on this machine, if it cannot. */
    Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("needs root (network namespaces and FUSE)");
        }
        Optional<String> r = ClusterFs.unavailableReason();
        if (r.isEmpty() && system.equals("ctdb")) {
            r = CtdbSystem.unavailableReason();
        }
        if (r.isEmpty() && !clusterLock.equals("fcntl")) {
            r = LocalLockServer.Kind.of(clusterLock).flatMap(LocalLockServer::missing);
        }
        return r.isPresent() ? r : NetworkNamespace.unavailableReason();
    }
}
