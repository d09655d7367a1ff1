package org.jctdb.lab;

/**
 * A line of db.jsonl: one database operation of the lab's workload on node {@code node}, begun at
 * {@code start} and answered (or failed) at {@code t} (ms of the campaign clock). {@code op} is
 * {@link #PWRITE} (a persistent transaction storing {@code value} under {@code key}),
 * {@link #PREAD} (the value the node's copy holds for {@code key}, 0 if none) or {@link #VFETCH}
 * (a volatile record fetched with immediate migration: the header's {@code rsn} and
 * {@code dmaster}, and the generation {@code gen} the node reported before and after the call, -1
 * if it changed in between). A failed operation has {@code ok} false and an {@code error}.
 */
public record DbEvent(
        long start,
        long t,
        int node,
        String op,
        String key,
        boolean ok,
        long value,
        long gen,
        long rsn,
        int dmaster,
        String error) {
    public static final String PWRITE = "pwrite";
    public static final String PREAD = "pread";
    public static final String VFETCH = "vfetch";

    public static DbEvent failed(long start, long t, int node, String op, String key, long value, String error) {
        return new DbEvent(start, t, node, op, key, false, value, -1, -1, -1, error);
    }
}
