package org.jctdb.database.vacuum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.database.DbId;
import org.jctdb.database.migration.RecordKey;

/**
 * SCHEDULE_FOR_DELETION's queue (CTDB's per-database delete queue): keys of records a client emptied,
 * taken by the next vacuuming pass (the fast path). Bounded: beyond {@code limit} keys per database new
 * ones are dropped (the full vacuum's traverse finds them). Not thread-safe: one owner thread.
 */
public final class DeleteQueue {
    private final int limit;
    private final Map<DbId, Set<RecordKey>> queued = new LinkedHashMap<>();

    public DeleteQueue(int limit) {
        this.limit = limit;
    }

    /** Queues a key; false when the database's queue is full (the key is left to the full vacuum). */
    public boolean add(DbId db, RecordKey key) {
        Set<RecordKey> keys = queued.computeIfAbsent(db, d -> new LinkedHashSet<>());
        if (keys.size() >= limit && !keys.contains(key)) {
            return false;
        }
        keys.add(key);
        return true;
    }

    /** Takes every queued key of {@code db}, in the order they came. */
    public List<RecordKey> take(DbId db) {
        Set<RecordKey> keys = queued.remove(db);
        return keys == null ? List.of() : new ArrayList<>(keys);
    }

    public int size(DbId db) {
        return queued.getOrDefault(db, Set.of()).size();
    }
}
