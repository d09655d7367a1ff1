package org.jctdb.database;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The part of Samba's libtdb (lib/tdb/include/tdb.h, Debian's libtdb1) that JCTDB calls.
 * A {@code struct tdb_context *} is an opaque {@link Pointer}. A {@code tdb_context} is not
 * thread-safe and, with TDB_MUTEX_LOCKING, a chain lock belongs to the thread that took it:
 * only {@link TdbFile} calls this, one thread at a time per context.
 */
public interface TdbLibrary extends Library {

    // tdb_open flags: TdbOpenFlags (core), so pure code can name them.

    /** tdb_store modes. */
    int TDB_REPLACE = 1;

    int TDB_INSERT = 2;
    int TDB_MODIFY = 3;

    /** enum TDB_ERROR, in order. */
    int TDB_SUCCESS = 0;

    int TDB_ERR_LOCK = 3;
    int TDB_ERR_NOLOCK = 6;
    int TDB_ERR_NOEXIST = 8;

    /** size_t, as wide as the platform says. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** TDB_DATA: {@code unsigned char *dptr; size_t dsize;}. */
    @Structure.FieldOrder({"dptr", "dsize"})
    class TdbData extends Structure {
        public Pointer dptr;
        public SizeT dsize = new SizeT();

        /** Passed and returned by value everywhere in tdb.h. */
        public static class ByValue extends TdbData implements Structure.ByValue {}
    }

    /** tdb_traverse_func: returning non-zero stops the walk. */
    interface TraverseFunction extends Callback {
        int invoke(Pointer tdb, TdbData.ByValue key, TdbData.ByValue data, Pointer privateData);
    }

    Pointer tdb_open(String name, int hashSize, int tdbFlags, int openFlags, int mode);

    int tdb_close(Pointer tdb);

    /** The returned dptr is malloc'ed by libtdb: the caller frees it with libc free. */
    TdbData.ByValue tdb_fetch(Pointer tdb, TdbData.ByValue key);

    int tdb_store(Pointer tdb, TdbData.ByValue key, TdbData.ByValue data, int flag);

    int tdb_delete(Pointer tdb, TdbData.ByValue key);

    int tdb_exists(Pointer tdb, TdbData.ByValue key);

    int tdb_chainlock_nonblock(Pointer tdb, TdbData.ByValue key);

    int tdb_chainunlock(Pointer tdb, TdbData.ByValue key);

    /** Counts the chain as locked by this handle without locking it: another process holds it for us. */
    int tdb_chainlock_mark(Pointer tdb, TdbData.ByValue key);

    int tdb_chainlock_unmark(Pointer tdb, TdbData.ByValue key);

    int tdb_lockall_nonblock(Pointer tdb);

    int tdb_unlockall(Pointer tdb);

    int tdb_lockall_read_nonblock(Pointer tdb);

    int tdb_unlockall_read(Pointer tdb);

    int tdb_transaction_start(Pointer tdb);

    int tdb_transaction_start_nonblock(Pointer tdb);

    int tdb_transaction_commit(Pointer tdb);

    int tdb_transaction_cancel(Pointer tdb);

    int tdb_traverse_read(Pointer tdb, TraverseFunction fn, Pointer privateData);

    int tdb_get_seqnum(Pointer tdb);

    void tdb_enable_seqnum(Pointer tdb);

    /** Raises the header's change counter without waiting for its lock (a no-op without TDB_SEQNUM). */
    void tdb_increment_seqnum_nonblock(Pointer tdb);

    int tdb_wipe_all(Pointer tdb);

    int tdb_hash_size(Pointer tdb);

    int tdb_get_flags(Pointer tdb);

    int tdb_error(Pointer tdb);

    String tdb_errorstr(Pointer tdb);

    int tdb_jenkins_hash(TdbData key);

    // Not bound: tdb_runtime_check_for_robust_mutexes. It forks and waits for SIGCHLD in a
    // handler of its own; inside the JVM (whose threads take SIGCHLD too) it was seen spinning
    // in that handler forever. Volatile databases therefore use fcntl chain locks (see LocalDatabases).

    /**
     * Loads libtdb by JNA's normal search: "tdb" (libtdb.so, present with libtdb-dev), then
     * Debian's runtime name libtdb.so.1.
     *
     * @throws UnsatisfiedLinkError naming both attempts when neither loads
     */
    public static TdbLibrary load() {
        try {
            return Native.load("tdb", TdbLibrary.class);
        } catch (UnsatisfiedLinkError first) {
            try {
                return Native.load("libtdb.so.1", TdbLibrary.class);
            } catch (UnsatisfiedLinkError second) {
                UnsatisfiedLinkError e = new UnsatisfiedLinkError("libtdb not found (install Debian's libtdb1): "
                        + first.getMessage() + "; " + second.getMessage());
                e.addSuppressed(second);
                throw e;
            }
        }
    }
}
