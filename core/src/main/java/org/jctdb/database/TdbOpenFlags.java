package org.jctdb.database;

/** tdb_open's flags (lib/tdb's tdb.h), the ones CTDB's databases use. */
public final class TdbOpenFlags {
    public static final int TDB_DEFAULT = 0;
    public static final int TDB_CLEAR_IF_FIRST = 1;
    public static final int TDB_NOLOCK = 4;
    public static final int TDB_NOMMAP = 8;
    public static final int TDB_NOSYNC = 64;
    public static final int TDB_SEQNUM = 128;
    public static final int TDB_DISALLOW_NESTING = 1024;
    public static final int TDB_INCOMPATIBLE_HASH = 2048;
    public static final int TDB_MUTEX_LOCKING = 4096;

    private TdbOpenFlags() {}
}
