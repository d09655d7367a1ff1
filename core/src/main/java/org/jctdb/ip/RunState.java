package org.jctdb.ip;

/** CTDB's daemon run states, with CTDB's numeric values (as CTDB_TEST_RUNSTATE gives them). */
public enum RunState {
    UNKNOWN(0),
    INIT(1),
    SETUP(2),
    FIRST_RECOVERY(3),
    STARTUP(4),
    RUNNING(5),
    SHUTDOWN(6);

    private final int code;

    RunState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Unrecognised codes map to UNKNOWN, which, like every state but RUNNING, hosts nothing. */
    public static RunState fromCode(long code) {
        for (RunState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
