package org.jctdb.leader;

/** Outcomes reported by a cluster lock backend (see org.jctdb.lock). */
public enum LockResult {
    /** The lock is ours. */
    TAKEN,
    /** Someone else holds it. */
    CONTENTION,
    /** The attempt did not finish within its deadline. */
    TIMEOUT,
    /** The attempt failed (bad helper, bad path, garbage output...). */
    ERROR,
    /** We held the lock and no longer do: step down at once. */
    LOST,
    /** A re-check of a held lock has not answered in time; no evidence anyone else holds it. */
    UNRESPONSIVE,
    /** The re-check answered again after UNRESPONSIVE. */
    RESPONSIVE_AGAIN
}
