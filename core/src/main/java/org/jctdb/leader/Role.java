package org.jctdb.leader;

/** What this node is doing in the election. */
public enum Role {
    /** Follows a leader or waits for one. */
    FOLLOWER,
    /** Asked for the cluster lock and waits for the result. */
    CANDIDATE,
    /** Holds the lock (or won the no-lock rule) and leads. */
    LEADER
}
