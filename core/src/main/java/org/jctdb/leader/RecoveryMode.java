package org.jctdb.leader;

/** CTDB's recovery mode of a node. */
public enum RecoveryMode {
    NORMAL,
    ACTIVE
}
