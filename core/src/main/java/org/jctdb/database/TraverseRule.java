package org.jctdb.database;

import java.util.ArrayList;
import java.util.List;

/**
 * Which records a node hands to a cluster-wide traverse, and how they are cut into bounded batches.
 * As CTDB's traverse: a volatile database is traversed on every active node and each node sends only
 * the records it is data master of (the other copies are stale), without empty records unless the
 * client asked for them; persistent and replicated databases are traversed on one node, every record.
 */
public final class TraverseRule {
    private TraverseRule() {}

    /** Whether the database is traversed on every active node (volatile) or on this one only. */
    public static boolean clusterWide(DatabaseKind kind) {
        return kind == DatabaseKind.VOLATILE;
    }

    /** Whether node {@code pnn} sends this record to a traverse of a database of {@code kind}. */
    public static boolean sends(DatabaseKind kind, boolean withEmpty, int pnn, LtdbHeader header, int dataLength) {
        if (kind != DatabaseKind.VOLATILE) {
            return true;
        }
        return (withEmpty || dataLength > 0) && header.dmaster() == pnn;
    }

    /**
     * Splits {@code sizes} (encoded record sizes, in order) into consecutive batches of at most
     * {@code maxBytes} each (a single larger record gets a batch of its own); the batches' lengths.
     */
    public static List<Integer> batches(List<Integer> sizes, long maxBytes) {
        List<Integer> out = new ArrayList<>();
        long bytes = 0;
        int count = 0;
        for (int size : sizes) {
            if (count > 0 && bytes + size > maxBytes) {
                out.add(count);
                bytes = 0;
                count = 0;
            }
            bytes += size;
            count++;
        }
        if (count > 0) {
            out.add(count);
        }
        return out;
    }
}
