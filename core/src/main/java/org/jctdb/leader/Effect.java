package org.jctdb.leader;

import java.util.List;

/** What a {@link LeaderCore} asks its shell to do. Values only; the daemon carries them out in order. */
public sealed interface Effect {

    /** Send a message to one node. */
    record Send(int to, LeaderMessage message) implements Effect {}

    /** Send a message to every other connected node. */
    record Broadcast(LeaderMessage message) implements Effect {}

    /** Start one attempt to take the cluster lock; answer with a {@link LockResult}. */
    record TakeLock() implements Effect {}

    /** Release the cluster lock (or cancel an attempt in flight); idempotent. */
    record ReleaseLock() implements Effect {}

    /** Run an event on this node; answer with {@code LeaderCore.onEventResult}. */
    record RunEvent(RecoveryEvent event, long generation) implements Effect {}

    /**
     * The leader's database step of recovery {@code generation}: freeze, collect, merge, push and thaw
     * the databases of {@code members} (the new vnnmap); answer with {@code LeaderCore.onDatabasesRecovered}.
     * FINISH (the {@code recovered} event) follows only after it succeeded, as in CTDB.
     */
    record RecoverDatabases(long generation, List<Integer> members) implements Effect {
        public RecoverDatabases {
            members = List.copyOf(members);
        }
    }

    /** Set this node's recovery mode (CTDB's NORMAL / ACTIVE). */
    record SetRecoveryMode(RecoveryMode mode, long generation) implements Effect {}

    /** Install the map of active nodes of this generation. */
    record SetVnnMap(long generation, List<Integer> vnnMap) implements Effect {
        public SetVnnMap {
            vnnMap = List.copyOf(vnnMap);
        }
    }

    /** Who leads changed, as seen by this node ({@code leader} is -1 when unknown). */
    record LeaderChanged(int leader, long generation) implements Effect {}

    /** A line for the daemon's log. */
    record Log(Level level, String text) implements Effect {}

    enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR
    }
}
