package org.jctdb.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jctdb.control.Statistics;
import org.jctdb.database.DbId;
import org.jctdb.database.LatencyCounter;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.protocol.ctdb.CtdbWire;

/**
 * Per-database counters for GET_DB_STATISTICS (`ctdb dbstatistics`): hop counts of the calls answered
 * here, lock waits of calls on a busy chain, vacuum passes, and the hot keys (the records that
 * migrated to this node most often). Thread-safe: each database's counters under its own lock.
 */
final class DbCounters {
    static final int MAX_HOT_KEYS = 10;
    private static final int BUCKETS = 16;
    /** Migration counts kept per database before they start again (CTDB cleans its count db too). */
    private static final int MAX_COUNTED_KEYS = 10_000;

    private final Map<DbId, PerDb> dbs = new ConcurrentHashMap<>();

    /** One hot key: how often it migrated here. */
    record HotKey(long count, byte[] key) {}

    /** What GET_DB_STATISTICS reports of one database. */
    record Snapshot(
            Statistics.Locks locks,
            Statistics.Latency lockLatency,
            Statistics.Latency vacuumLatency,
            List<Long> hopCountBuckets,
            List<HotKey> hotKeys) {}

    private static final class PerDb {
        final long[] hops = new long[BUCKETS];
        final LatencyCounter lockLatency = new LatencyCounter();
        final LatencyCounter vacuumLatency = new LatencyCounter();
        final Map<RecordKey, Long> migrations = new HashMap<>();
        final Map<RecordKey, Long> hot = new HashMap<>();
        long lockCalls;
        long lockCurrent;
        long lockFailed;
    }

    private PerDb of(DbId db) {
        return dbs.computeIfAbsent(db, k -> new PerDb());
    }

    /** A client's call on {@code key} was answered after {@code hops} hops (a migration if above 0). */
    void answered(DbId db, RecordKey key, int hops) {
        PerDb d = of(db);
        synchronized (d) {
            d.hops[Statistics.hopBucket(hops)]++;
            if (hops == 0) {
                return;
            }
            if (d.migrations.size() >= MAX_COUNTED_KEYS) {
                d.migrations.clear();
            }
            long count = d.migrations.merge(key, 1L, Long::sum);
            if (d.hot.containsKey(key) || d.hot.size() < MAX_HOT_KEYS) {
                d.hot.put(key, count);
            } else {
                RecordKey coldest = coldest(d.hot);
                if (count > d.hot.get(coldest)) {
                    d.hot.remove(coldest);
                    d.hot.put(key, count);
                }
            }
        }
    }

    private static RecordKey coldest(Map<RecordKey, Long> hot) {
        return hot.entrySet().stream()
                .min(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    /** A call waits for a busy chain of the database. */
    void lockWaitStarted(DbId db) {
        PerDb d = of(db);
        synchronized (d) {
            d.lockCalls++;
            d.lockCurrent++;
        }
    }

    void lockWaitEnded(DbId db, long nanos, boolean failed) {
        PerDb d = of(db);
        synchronized (d) {
            d.lockCurrent--;
            if (failed) {
                d.lockFailed++;
            }
        }
        d.lockLatency.add(nanos);
    }

    void vacuumed(DbId db, long nanos) {
        of(db).vacuumLatency.add(nanos);
    }

    /** A database that was detached starts from zero if attached again. */
    void forget(DbId db) {
        dbs.remove(db);
    }

    Snapshot snapshot(DbId db) {
        PerDb d = of(db);
        synchronized (d) {
            List<HotKey> hot = new ArrayList<>();
            d.hot.forEach((k, v) -> hot.add(new HotKey(v, k.bytes())));
            hot.sort(Comparator.comparingLong(HotKey::count)); // ctdbd keeps the coldest first
            return new Snapshot(
                    new Statistics.Locks(d.lockCalls, d.lockCurrent, d.lockCurrent, d.lockFailed),
                    d.lockLatency.latency(),
                    d.vacuumLatency.latency(),
                    Arrays.stream(d.hops).boxed().toList(),
                    hot);
        }
    }

    /**
     * struct ctdb_db_statistics as ctdb 4.17 sends it: the lock counters, their latency and 16
     * buckets, the vacuum latency, two read-only counters, 16 hop buckets, the number of hot-key
     * slots (always 10), padding, then 10 (count, padding, TDB_DATA) slots, the used ones first
     * from the coldest, and the keys' bytes one after the other.
     */
    static byte[] encode(Snapshot s) {
        int keyBytes = s.hotKeys().stream().mapToInt(h -> h.key().length).sum();
        ByteBuffer b = ByteBuffer.allocate(16 + 32 + 64 + 32 + 8 + 64 + 8 + MAX_HOT_KEYS * 24 + keyBytes)
                .order(CtdbWire.ORDER);
        Statistics.Locks l = s.locks();
        b.putInt((int) l.numCalls())
                .putInt((int) l.numCurrent())
                .putInt((int) l.numPending())
                .putInt((int) l.numFailed());
        StatisticsWire.latency(b, s.lockLatency());
        b.position(b.position() + 4 * BUCKETS); // lock buckets: not bucketed here
        StatisticsWire.latency(b, s.vacuumLatency());
        b.putInt(0).putInt(0); // read-only delegations and revokes: not implemented
        for (int i = 0; i < BUCKETS; i++) {
            b.putInt((int) (long) s.hopCountBuckets().get(i));
        }
        b.putInt(MAX_HOT_KEYS).putInt(0); // ctdbd always sends every slot, the unused ones empty
        for (int i = 0; i < MAX_HOT_KEYS; i++) {
            HotKey h = i < s.hotKeys().size() ? s.hotKeys().get(i) : null;
            // count, padding, then TDB_DATA as a struct: a pointer (meaningless here) and the size
            b.putInt(h == null ? 0 : (int) h.count()).putInt(0);
            b.putLong(0).putLong(h == null ? 0 : h.key().length);
        }
        s.hotKeys().forEach(h -> b.put(h.key()));
        return b.array();
    }
}
