package org.jctdb.database;

/**
 * CTDB's three kinds of database, with the TDB flags ctdbd 4.17 opens each with
 * (ctdb_db_tdb_flags in ctdb/common/ctdb_ltdb.c) and the directory it lives in
 * (ctdb_local_attach: persistent ones in the persistent directory, the others in the volatile one).
 */
public enum DatabaseKind {
    /** Records migrate between nodes; wiped whenever the first opener starts (CLEAR_IF_FIRST). */
    VOLATILE,
    /** Every node has every record; survives restarts; written in transactions. */
    PERSISTENT,
    /** Every node has every record but nothing survives a restart. */
    REPLICATED;

    /** The CTDB_DB_FLAGS_* bits that mark this kind (ctdb/protocol/protocol.h). */
    public int dbFlags() {
        switch (this) {
            case PERSISTENT:
                return DatabaseFlags.PERSISTENT;
            case REPLICATED:
                return DatabaseFlags.REPLICATED;
            default:
                return 0;
        }
    }

    /**
     * The tdb_open flags. Volatile databases use robust-mutex chain locks when {@code mutexes}
     * (CTDB's "[database] tdb mutexes", default yes, and only if the platform has robust
     * mutexes); smbd learns these flags from DB_OPEN_FLAGS and must open the file the same way.
     */
    public int tdbFlags(boolean mutexes) {
        int flags;
        switch (this) {
            case PERSISTENT:
                flags = TdbOpenFlags.TDB_DEFAULT;
                break;
            case REPLICATED:
                flags = TdbOpenFlags.TDB_NOSYNC | TdbOpenFlags.TDB_CLEAR_IF_FIRST | TdbOpenFlags.TDB_INCOMPATIBLE_HASH;
                break;
            default:
                flags = TdbOpenFlags.TDB_NOSYNC | TdbOpenFlags.TDB_CLEAR_IF_FIRST | TdbOpenFlags.TDB_INCOMPATIBLE_HASH;
                if (mutexes) {
                    flags |= TdbOpenFlags.TDB_MUTEX_LOCKING;
                }
                break;
        }
        return flags | TdbOpenFlags.TDB_DISALLOW_NESTING;
    }

    public static DatabaseKind fromDbFlags(int dbFlags) {
        if ((dbFlags & DatabaseFlags.PERSISTENT) != 0) {
            return PERSISTENT;
        }
        if ((dbFlags & DatabaseFlags.REPLICATED) != 0) {
            return REPLICATED;
        }
        return VOLATILE;
    }
}
