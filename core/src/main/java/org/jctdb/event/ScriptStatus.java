package org.jctdb.event;

/** Per-script outcome, as shown in the status column of `jctdb event status`. */
public enum ScriptStatus {
    OK("OK"),
    /** Script ran and exited non-zero. */
    ERROR("ERROR"),
    /** The event deadline passed while the script was running. */
    TIMEDOUT("TIMEDOUT"),
    /** Script is not executable. */
    DISABLED("DISABLED"),
    /** Script could not be started (error text in the result). */
    CANNOT_RUN("CANNOT RUN"),
    /** JCTDB only: not started because an earlier run of the same script is still alive. */
    HUNG("HUNG");

    private final String label;

    ScriptStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether this status makes the event fail (DISABLED scripts are skipped, not failures). */
    public boolean isFailure() {
        return this != OK && this != DISABLED;
    }
}
