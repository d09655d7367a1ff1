package org.jctdb.database.recovery;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;

/** All records of one database on one node (or the merged result a recovery pushes), in key order. */
public record DatabaseContent(DbId db, DatabaseKind kind, SortedMap<RecordKey, LocalRecord> records) {

    public DatabaseContent {
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(kind, "kind");
        records = Collections.unmodifiableSortedMap(new TreeMap<>(records));
    }

    public static DatabaseContent of(DbId db, DatabaseKind kind, Map<RecordKey, LocalRecord> records) {
        return new DatabaseContent(db, kind, new TreeMap<>(records));
    }

    /** The persistent database sequence number (0 when absent or not 8 bytes), as GET_DB_SEQNUM reads it. */
    public long seqnum() {
        return RecordMerge.seqnum(records);
    }
}
