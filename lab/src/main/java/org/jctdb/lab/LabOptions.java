package org.jctdb.lab;

import java.nio.file.Path;
import java.util.List;

/** What `jctdb lab run` was asked to do. */
public record LabOptions(
        String system,
        double minutes,
        long seed,
        int nodes,
        int ips,
        Path out,
        List<FaultKind> kinds,
        int maxConcurrent,
        long healMs,
        FaultProfile profile,
        double leaderShare,
        boolean dbWorkload,
        String clusterLock,
        int lockMembers,
        String commandLine) {
    public static final long SAMPLE_INTERVAL_MS = 100;
    /** How long the cluster may take to become healthy before the campaign starts. */
    public static final long SETTLE_MS = 120_000;
    /** ... and must stay healthy this long: CTDB still moves addresses for seconds after all nodes are OK. */
    public static final long STABLE_MS = 5_000;

    public LabOptions {
        kinds = List.copyOf(kinds);
        if (!system.equals("jctdb") && !system.equals("ctdb")) {
            throw new IllegalArgumentException("--system must be jctdb or ctdb, not " + system);
        }
        if (minutes <= 0 || minutes > 24 * 60) {
            throw new IllegalArgumentException("--minutes must be between 0 and 1440, not " + minutes);
        }
        if (nodes < 2 || nodes > 16) {
            throw new IllegalArgumentException("--nodes must be between 2 and 16, not " + nodes);
        }
        if (ips < 1 || ips > 90) {
            throw new IllegalArgumentException("--ips must be between 1 and 90, not " + ips);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("--max-concurrent must be at least 1, not " + maxConcurrent);
        }
        if (!(leaderShare >= 0 && leaderShare <= 1)) {
            throw new IllegalArgumentException("--leader-share must be between 0 and 1, not " + leaderShare);
        }
        if (!List.of("fcntl", "etcd", "zookeeper").contains(clusterLock)) {
            throw new IllegalArgumentException("--cluster-lock must be fcntl, etcd or zookeeper, not " + clusterLock);
        }
        boolean leased = !clusterLock.equals("fcntl"); // the fields are not set yet in a compact constructor
        if (system.equals("ctdb") && leased) {
            throw new IllegalArgumentException("--cluster-lock " + clusterLock + " is for --system jctdb only");
        }
        if (leased && lockMembers != 1 && lockMembers != 3) {
            throw new IllegalArgumentException("--lock-members must be 1 or 3, not " + lockMembers);
        }
        for (FaultKind k : kinds) {
            if (!FaultKind.applicable(leased).contains(k)) {
                throw new IllegalArgumentException("fault kind " + k.wire() + " does not apply with --cluster-lock "
                        + clusterLock + " (" + (k.lockService() ? "no lock service" : "no lock file") + ")");
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--faults names no fault kind");
        }
    }

    /** Whether the cluster lock is on an etcd or ZooKeeper service (a lease), not a file. */
    public boolean leased() {
        return !clusterLock.equals("fcntl");
    }

    public long campaignMs() {
        return Math.round(minutes * 60_000);
    }

    public FaultSchedule.Params scheduleParams() {
        return new FaultSchedule.Params(seed, campaignMs(), nodes, kinds, maxConcurrent, healMs, profile, leaderShare);
    }
}
