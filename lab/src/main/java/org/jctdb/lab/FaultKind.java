package org.jctdb.lab;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The faults the lab injects; {@link #wire()} is the name in faults.jsonl and on the command line. */
public enum FaultKind {
    /** kill -9 of the daemon; the end is its restart. */
    CRASH(false),
    /** SIGSTOP of the daemon and its children; SIGCONT at the end. */
    PAUSE(false),
    /** The node's link to the bridge goes down. */
    LINKCUT(false),
    /** The nodes split into two groups that cannot reach each other; nodes = the smaller group. */
    PARTITION(true),
    /** The cluster filesystem hangs for one node. */
    FREEZE(false),
    /** The cluster filesystem hangs for every node. */
    FREEZEALL(true),
    /** A monitor event script blocks while a flag file exists. */
    HUNGMONITOR(false),
    /** The cluster lock file is removed (instantaneous; fcntl lock only). */
    LOCKDELETE(true),
    /** SIGSTOP of one member of the lock's etcd or ZooKeeper service (the whole service if it has one); SIGCONT at the end. */
    LOCKPAUSE(false),
    /** kill -9 of one member of the lock's service; the end is its restart. */
    LOCKKILL(false),
    /** SIGSTOP of every member of the lock's service: it is lost; SIGCONT at the end. */
    LOCKPAUSEALL(true),
    /** Every node alone (1+1+...): no node reaches another; the client still reaches each. Opt-in. */
    SPLIT(true);

    private final boolean clusterWide;

    FaultKind(boolean clusterWide) {
        this.clusterWide = clusterWide;
    }

    /** A cluster-wide fault never overlaps another fault. */
    public boolean clusterWide() {
        return clusterWide;
    }

    /** Whether the fault has a duration (all but the lock deletion). */
    public boolean lasting() {
        return this != LOCKDELETE;
    }

    /** Whether a fault of this kind may be aimed at whichever node leads when it starts. */
    public boolean leaderTargetable() {
        return switch (this) {
            case CRASH, PAUSE, LINKCUT, FREEZE, HUNGMONITOR -> true;
            case PARTITION, FREEZEALL, LOCKDELETE, LOCKPAUSE, LOCKKILL, LOCKPAUSEALL, SPLIT -> false;
        };
    }

    /** Whether the fault acts on the lock's etcd or ZooKeeper service (offered only with such a lock). */
    public boolean lockService() {
        return this == LOCKPAUSE || this == LOCKKILL || this == LOCKPAUSEALL;
    }

    /** Whether the fault needs the cluster lock to be a file (the fcntl lock). */
    public boolean lockFile() {
        return this == LOCKDELETE;
    }

    /**
     * The kinds drawn when --faults is not given: every kind that applies but split, added after the
     * first campaigns, so that a committed run's seed still gives its schedule.
     */
    public static List<FaultKind> defaults(boolean leased) {
        return applicable(leased).stream().filter(k -> k != SPLIT).toList();
    }

    /** Every kind that applies to a lab whose lock is on a service ({@code leased}) or a file. */
    public static List<FaultKind> applicable(boolean leased) {
        return Arrays.stream(values())
                .filter(k -> leased ? !k.lockFile() : !k.lockService())
                .toList();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FaultKind parse(String text) {
        for (FaultKind k : values()) {
            if (k.wire().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + text + "' (known: "
                + String.join(",", Arrays.stream(values()).map(FaultKind::wire).toList()) + ")");
    }

    public static List<FaultKind> parseList(String csv) {
        return Arrays.stream(csv.split(","))
                .filter(s -> !s.isBlank())
                .map(FaultKind::parse)
                .distinct()
                .toList();
    }
}
