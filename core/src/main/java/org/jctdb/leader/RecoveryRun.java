package org.jctdb.leader;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The leader's bookkeeping for one recovery: members and the acknowledgements still missing. */
final class RecoveryRun {
    final long generation;
    final List<Integer> members;
    final long startedAt;
    LeaderMessage.Phase phase = LeaderMessage.Phase.START;
    long phaseStartedAt;
    /** Between START and FINISH: waiting for the database step (no acknowledgements pending). */
    boolean databases;

    private final Set<Integer> pending = new TreeSet<>();

    RecoveryRun(long generation, List<Integer> members, long now) {
        this.generation = generation;
        this.members = List.copyOf(members);
        this.startedAt = now;
        beginPhase(LeaderMessage.Phase.START, now);
    }

    void beginPhase(LeaderMessage.Phase next, long now) {
        phase = next;
        phaseStartedAt = now;
        pending.clear();
        pending.addAll(members);
    }

    /** Records an ack; returns true when the phase is now complete. */
    boolean ack(int node) {
        pending.remove(node);
        return pending.isEmpty();
    }

    boolean isMember(int node) {
        return members.contains(node);
    }

    /** In PNN order (Set.copyOf's order changes with every JVM, which made simulator seeds irreproducible). */
    Set<Integer> pending() {
        return Collections.unmodifiableSet(new TreeSet<>(pending));
    }
}
