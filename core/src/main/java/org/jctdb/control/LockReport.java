package org.jctdb.control;

/**
 * The cluster lock's trouble as one node sees it, for `jctdb status` and `jctdb health`.
 *
 * @param lock             the configured {@code cluster lock}
 * @param state            UNRESPONSIVE, LOST or UNAVAILABLE (org.jctdb.leader.LockTrouble.State)
 * @param sinceEpochMillis when the trouble began, wall clock
 * @param action           what this node did about it, in words
 * @param reason           the lock backend's last word on it (e.g. "authentication failed"), empty if none
 */
public record LockReport(String lock, String state, long sinceEpochMillis, String action, String reason) {}
