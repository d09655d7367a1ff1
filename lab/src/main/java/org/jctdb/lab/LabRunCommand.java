package org.jctdb.lab;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jctdb lab run}: one fault campaign against JCTDB or CTDB 4.17; writes one run directory. */
@Command(
        name = "run",
        description = {
            "Build a cluster in network namespaces on a shared FUSE cluster filesystem, inject a seeded schedule",
            "of faults, sample every 100 ms and check the invariants. Exit 0: no violations; 3: violations; 1: error."
        })
public final class LabRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", required = true, description = "Length of the campaign (fractions allowed).")
    double minutes;

    @Option(names = "--seed", required = true, description = "Seed of the fault schedule.")
    long seed;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--ips", defaultValue = "6", description = "Number of public addresses (default ${DEFAULT-VALUE}).")
    int ips;

    @Option(names = "--system", defaultValue = "jctdb", description = "jctdb or ctdb (Debian's CTDB 4.17).")
    String system;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default lab-runs/SYSTEM-seedS-TIME).")
    Path out;

    @Option(
            names = "--faults",
            paramLabel = "KIND,...",
            description = "Fault kinds (default all that apply): "
                    + "crash,pause,linkcut,partition,freeze,freezeall,hungmonitor, with the fcntl lock lockdelete,"
                    + " with an etcd or ZooKeeper lock lockpause,lockkill,lockpauseall (one member, one member"
                    + " killed, every member).")
    String faults;

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
            description = "Members of the lock's service: etcd 1 or 3 (default 3), zookeeper 1.")
    Integer lockMembers;

    @Override
    public Integer call() throws Exception {
        Optional<String> missing = unavailable();
        if (missing.isPresent()) {
            spec.commandLine().getErr().println("lab run: " + missing.get());
            return 1;
        }
        boolean leased = !clusterLock.equals("fcntl");
        List<FaultKind> kinds = faults == null ? FaultKind.applicable(leased) : FaultKind.parseList(faults);
        Path dir = out != null
                ? out
                : Path.of(
                        "lab-runs",
                        system + "-seed" + seed + "-"
                                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        LabOptions o = new LabOptions(
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
                dbWorkload,
                clusterLock,
                lockMembers != null ? lockMembers : clusterLock.equals("etcd") ? 3 : 1,
                commandLine());
        return new LabRun(o).run();
    }

    private Optional<String> unavailable() {
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

    private String commandLine() {
        return "jctdb "
                + spec.commandLine().getParseResult().originalArgs().stream()
                        .map(a -> a.matches("[A-Za-z0-9_./:=,-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                        .collect(Collectors.joining(" "));
    }
}
