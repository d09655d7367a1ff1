package org.jctdb.database.recovery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jctdb.database.DatabaseFlags;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;

/** The pure decisions of a database recovery: which copy of each record survives, and how it is pushed. */
public final class RecordMerge {
    private RecordMerge() {}

    /** The persistent sequence number record's key: {@code __db_sequence_number__} with its NUL. */
    public static final RecordKey SEQNUM_KEY;

    static {
        byte[] name = DatabaseFlags.SEQNUM_KEY.getBytes(StandardCharsets.US_ASCII);
        SEQNUM_KEY = new RecordKey(Arrays.copyOf(name, name.length + 1));
    }

    /** Result of merging volatile copies; {@code conflicts} counts equal-rsn copies whose data differ. */
    public record Merged(SortedMap<RecordKey, LocalRecord> records, int conflicts) {}

    public static long seqnum(Map<RecordKey, LocalRecord> records) {
        LocalRecord r = records.get(SEQNUM_KEY);
        if (r == null || r.data().length != 8) {
            return 0;
        }
        return ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public static byte[] seqnumData(long seqnum) {
        return ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(seqnum)
                .array();
    }

    /**
     * Per key, the copy with the highest rsn. On equal rsn (in a correct run only the copies an
     * interrupted hand-over left behind, which hold the same data) the copy from the node its header
     * names as dmaster wins, then the lowest node number: the result never depends on arrival order.
     * {@code copies} maps node number to that node's records; iterate it in node order.
     */
    public static Merged mergeVolatile(SortedMap<Integer, ? extends Map<RecordKey, LocalRecord>> copies) {
        TreeMap<RecordKey, LocalRecord> best = new TreeMap<>();
        TreeMap<RecordKey, Integer> bestFrom = new TreeMap<>();
        int conflicts = 0;
        for (Map.Entry<Integer, ? extends Map<RecordKey, LocalRecord>> node : copies.entrySet()) {
            int pnn = node.getKey();
            for (Map.Entry<RecordKey, LocalRecord> e : node.getValue().entrySet()) {
                LocalRecord cand = e.getValue();
                LocalRecord prev = best.get(e.getKey());
                if (prev == null || wins(cand, pnn, prev, bestFrom.get(e.getKey()))) {
                    if (prev != null
                            && prev.header().rsn() == cand.header().rsn()
                            && !Arrays.equals(prev.data(), cand.data())) {
                        conflicts++;
                    }
                    best.put(e.getKey(), cand);
                    bestFrom.put(e.getKey(), pnn);
                } else if (prev.header().rsn() == cand.header().rsn() && !Arrays.equals(prev.data(), cand.data())) {
                    conflicts++;
                }
            }
        }
        return new Merged(best, conflicts);
    }

    private static boolean wins(LocalRecord cand, int candFrom, LocalRecord prev, int prevFrom) {
        if (cand.header().rsn() != prev.header().rsn()) {
            return cand.header().rsn() > prev.header().rsn();
        }
        boolean candOwn = cand.header().dmaster() == candFrom;
        boolean prevOwn = prev.header().dmaster() == prevFrom;
        if (candOwn != prevOwn) {
            return candOwn;
        }
        return candFrom < prevFrom;
    }

    /**
     * What the recovery pushes for a volatile database: records with data only (a header-only record
     * is as good as none), dmaster the recovery leader (CTDB: the node running the recovery),
     * MIGRATED_WITH_DATA set and read-only delegations dropped (a recovery revokes them).
     */
    public static SortedMap<RecordKey, LocalRecord> volatilePush(Map<RecordKey, LocalRecord> merged, int leader) {
        TreeMap<RecordKey, LocalRecord> out = new TreeMap<>();
        for (Map.Entry<RecordKey, LocalRecord> e : merged.entrySet()) {
            LocalRecord r = e.getValue();
            if (r.isEmpty()) {
                continue;
            }
            int flags = (r.header().flags() | LtdbHeader.FLAG_MIGRATED_WITH_DATA)
                    & ~LtdbHeader.RO_FLAGS
                    & ~LtdbHeader.FLAG_AUTOMATIC;
            out.put(e.getKey(), r.withHeader(new LtdbHeader(r.header().rsn(), leader, flags)));
        }
        return out;
    }

    /**
     * A pushed volatile record as node {@code pnn} stores it: the dmaster's own copy gets rsn + 1, as
     * CTDB's store does whenever a node writes a record it is dmaster of, so the one copy that may be
     * written afterwards stays strictly newer than all the others.
     */
    public static LocalRecord storedAt(LocalRecord pushed, int pnn) {
        if (pushed.header().dmaster() != pnn) {
            return pushed;
        }
        LtdbHeader h = pushed.header();
        return pushed.withHeader(new LtdbHeader(h.rsn() + 1, h.dmaster(), h.flags()));
    }

    /** The node whose persistent copy wins: highest sequence number, the lowest node number on a tie (as CTDB). */
    public static int highestSeqnum(SortedMap<Integer, DatabaseContent> copies) {
        int best = -1;
        long bestSeq = -1;
        for (Map.Entry<Integer, DatabaseContent> e : copies.entrySet()) {
            long s = e.getValue().seqnum();
            if (s > bestSeq) {
                bestSeq = s;
                best = e.getKey();
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("no copies to choose from");
        }
        return best;
    }
}
