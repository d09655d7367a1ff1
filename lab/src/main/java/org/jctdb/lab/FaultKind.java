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
    /** The cluster lock file is removed (instantaneous). */
    LOCKDELETE(true),
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

    /**
     * The kinds a campaign draws when --faults is not given: every kind but those added after the first
     * campaigns, so that a committed run's seed still gives its schedule.
     */
    public static List<FaultKind> defaults() {
        return Arrays.stream(values()).filter(k -> k != SPLIT).toList();
    }

    /** Whether a fault of this kind may be aimed at whichever node leads when it starts. */
    public boolean leaderTargetable() {
        return switch (this) {
            case CRASH, PAUSE, LINKCUT, FREEZE, HUNGMONITOR -> true;
            case PARTITION, FREEZEALL, LOCKDELETE, SPLIT -> false;
        };
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
