package org.jctdb.database;

/** CTDB_DB_FLAGS_* (ctdb/protocol/protocol.h): the db flags GET_DBMAP reports per database. */
public final class DatabaseFlags {
    public static final int PERSISTENT = 0x01;
    public static final int READONLY = 0x02;
    public static final int STICKY = 0x04;
    public static final int REPLICATED = 0x08;

    /** CTDB's default "DatabaseHashSize" tunable: the hash chains of every database file. */
    public static final int DEFAULT_HASH_SIZE = 100001;

    /** The record that holds a persistent database's sequence number (key includes the NUL). */
    public static final String SEQNUM_KEY = "__db_sequence_number__";

    private DatabaseFlags() {}
}
