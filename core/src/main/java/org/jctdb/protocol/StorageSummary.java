package org.jctdb.protocol;

/**
 * What a node's cluster filesystem probe says, as carried to the other nodes with its state:
 * the worst path's state, that path, and since when (wall clock, so every node can show it).
 *
 * @param state            a {@code ProbeState} name: OK, SLOW, FAILED or HUNG ("OK" also when nothing is probed)
 * @param path             the path in that state, empty when OK
 * @param sinceEpochMillis when the state began, milliseconds since the epoch; 0 when OK
 */
public record StorageSummary(String state, String path, long sinceEpochMillis) {
    public static final StorageSummary OK = new StorageSummary("OK", "", 0);

    public StorageSummary {
        state = state == null || state.isEmpty() ? "OK" : state;
        path = path == null ? "" : path;
    }

    /** Whether the probe says the storage is failing or hung (SLOW still answers). */
    public boolean unresponsive() {
        return state.equals("HUNG") || state.equals("FAILED");
    }

    public boolean ok() {
        return state.equals("OK");
    }

    /** Same state of the same path: a change worth telling the other nodes about. */
    public boolean sameAs(StorageSummary o) {
        return state.equals(o.state) && path.equals(o.path);
    }
}
