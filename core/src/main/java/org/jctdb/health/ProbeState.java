package org.jctdb.health;

/** What the last probes of one path say about it. */
public enum ProbeState {
    /** Not probed yet. */
    UNKNOWN,
    /** Answered within RecLockLatencyMs. */
    OK,
    /** Answered, but slower than RecLockLatencyMs. */
    SLOW,
    /** The probe ran and reported an error (missing path, I/O error, cannot start). */
    FAILED,
    /** No answer since a probe missed its deadline. */
    HUNG;

    /** States in which the path answers; the others count towards UNHEALTHY. */
    public boolean answering() {
        return this == UNKNOWN || this == OK || this == SLOW;
    }
}
