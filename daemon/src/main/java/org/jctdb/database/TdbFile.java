package org.jctdb.database;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One open TDB file, through libtdb. Every call is serialized on this object: a tdb_context is
 * not thread-safe, and with TDB_MUTEX_LOCKING a chain lock must be released by the thread that
 * took it, so chain locks are only offered scoped ({@link #tryChainLock}).
 *
 * <p>Blocking and non-blocking calls: {@link #fetch}, {@link #store}, {@link #delete},
 * {@link #exists} take the record's chain lock and wait for it; a daemon thread uses them only
 * inside {@link #tryChainLock} or {@link #underLentChainLock}, where the lock is already held. The {@code try*} methods never
 * wait for a lock another process holds (see docs/design/databases.md for the exceptions).
 */
public final class TdbFile implements Closeable {
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int EBUSY = 16;

    private final TdbFiles owner;
    private final TdbLibrary lib;
    private final Path path;
    private final int openFlags;
    private Pointer ctx;
    private boolean seqnumEnabled;
    /** The direct binding of the record calls, when the platform allows it (see {@link TdbDirect}). */
    private final TdbDirect direct;
    /** The copying fetch of libjctdb_tdb.so, when loaded (only beside {@link #direct}). */
    private final TdbFetchShim fetchShim;
    /** Native copies of the key and value of the record call in progress (calls are serialized here). */
    private Memory scratch;

    TdbFile(TdbFiles owner, TdbLibrary lib, Path path, Pointer ctx, int tdbFlags) {
        this.owner = owner;
        this.lib = lib;
        this.path = path;
        this.ctx = ctx;
        this.openFlags = tdbFlags;
        this.direct = owner.direct();
        this.fetchShim = owner.fetchShim();
    }

    /** The canonical path this file was opened as. */
    public Path path() {
        return path;
    }

    /** The tdb flags passed to tdb_open. */
    public int openFlags() {
        return openFlags;
    }

    /**
     * The flags clients must open the file with (CTDB's DB_OPEN_FLAGS answers its handle's runtime
     * flags): the open flags, plus TDB_SEQNUM once ENABLE_SEQNUM was asked. smbd's own writes then
     * move the sequence number its caches (brlock, share modes) are checked against.
     */
    public synchronized int clientFlags() {
        return openFlags | (seqnumEnabled ? TdbOpenFlags.TDB_SEQNUM : 0);
    }

    /** The flags libtdb runs with (it may drop CLEAR_IF_FIRST or add header-derived ones). */
    public synchronized int flags() throws TdbException {
        return lib.tdb_get_flags(live());
    }

    public synchronized int hashSize() throws TdbException {
        return lib.tdb_hash_size(live());
    }

    /** The record's value, or empty when the key is absent. Waits for the chain lock. */
    public synchronized Optional<byte[]> fetch(byte[] key) throws TdbException {
        Pointer tdb = live();
        if (fetchShim != null) {
            return fetchCopied(tdb, key);
        }
        TdbLibrary.TdbData.ByValue result;
        if (direct != null) {
            result = direct.fetch(Pointer.nativeValue(tdb), scratchKey(key), key.length);
        } else {
            Memory keyMem = memory(key);
            result = lib.tdb_fetch(tdb, data(keyMem, key.length));
            Reference.reachabilityFence(keyMem);
        }
        if (result.dptr == null) {
            int err = lib.tdb_error(tdb);
            if (err == TdbLibrary.TDB_ERR_NOEXIST || err == TdbLibrary.TDB_SUCCESS) {
                return Optional.empty();
            }
            throw failure("tdb_fetch");
        }
        try {
            return Optional.of(result.dptr.getByteArray(0, (int) result.dsize.longValue()));
        } finally {
            // libtdb malloc'ed the value; JNA's Native.free is libc free.
            Native.free(Pointer.nativeValue(result.dptr));
        }
    }

    /** The value copied by the shim into the scratch buffer after the key (grown and asked again if short). */
    private Optional<byte[]> fetchCopied(Pointer tdb, byte[] key) throws TdbException {
        long valueAt = valueOffset(key);
        long cap = Math.max(scratch == null ? 0 : scratch.size() - valueAt, 1024);
        while (true) {
            long k = scratchKey(key, valueAt + cap);
            long n = fetchShim.fetchInto(
                    Pointer.nativeValue(tdb), k, key.length, Pointer.nativeValue(scratch) + valueAt, cap);
            if (n < 0) {
                int err = direct.error(Pointer.nativeValue(tdb));
                if (err == TdbLibrary.TDB_ERR_NOEXIST || err == TdbLibrary.TDB_SUCCESS) {
                    return Optional.empty();
                }
                throw failure("tdb_parse_record");
            }
            if (n > Integer.MAX_VALUE - 64) {
                throw new TdbException(path, "tdb_parse_record", -1, "a value of " + n + " bytes");
            }
            if (n <= cap) {
                return Optional.of(scratch.getByteArray(valueAt, (int) n));
            }
            cap = n; // without the chain lock the value may change before the next try: loop until it fits
        }
    }

    /** Stores {@code value} under {@code key}; {@code mode} is TDB_REPLACE, TDB_INSERT or TDB_MODIFY. */
    public synchronized void store(byte[] key, byte[] value, int mode) throws TdbException {
        Pointer tdb = live();
        int rc;
        if (direct != null) {
            long k = scratchKeyValue(key, value);
            rc = direct.store(
                    Pointer.nativeValue(tdb),
                    k,
                    key.length,
                    value.length == 0 ? 0 : k + valueOffset(key),
                    value.length,
                    mode);
        } else {
            Memory keyMem = memory(key);
            Memory valueMem = memory(value);
            rc = lib.tdb_store(tdb, data(keyMem, key.length), data(valueMem, value.length), mode);
            Reference.reachabilityFence(keyMem);
            Reference.reachabilityFence(valueMem);
        }
        if (rc != 0) {
            throw failure("tdb_store");
        }
    }

    public void store(byte[] key, byte[] value) throws TdbException {
        store(key, value, TdbLibrary.TDB_REPLACE);
    }

    /** Deletes the record; false when there was none. */
    public synchronized boolean delete(byte[] key) throws TdbException {
        Pointer tdb = live();
        int rc;
        if (direct != null) {
            rc = direct.delete(Pointer.nativeValue(tdb), scratchKey(key), key.length);
        } else {
            Memory keyMem = memory(key);
            rc = lib.tdb_delete(tdb, data(keyMem, key.length));
            Reference.reachabilityFence(keyMem);
        }
        if (rc == 0) {
            return true;
        }
        if (lib.tdb_error(tdb) == TdbLibrary.TDB_ERR_NOEXIST) {
            return false;
        }
        throw failure("tdb_delete");
    }

    public synchronized boolean exists(byte[] key) throws TdbException {
        Pointer tdb = live();
        if (direct != null) {
            return direct.exists(Pointer.nativeValue(tdb), scratchKey(key), key.length) != 0;
        }
        Memory keyMem = memory(key);
        int rc = lib.tdb_exists(tdb, data(keyMem, key.length));
        Reference.reachabilityFence(keyMem);
        return rc != 0;
    }

    /** Work done while a lock is held; may call this file's other methods; returns non-null. */
    @FunctionalInterface
    public interface Locked<T> {
        T run() throws TdbException;
    }

    /**
     * Takes the key's chain lock without waiting, runs {@code action} and releases the lock on
     * this same thread. Empty when another holder has the chain (then the caller may wait with
     * {@link LockWaiter} off its own thread and try again).
     */
    public synchronized <T> Optional<T> tryChainLock(byte[] key, Locked<T> action) throws TdbException {
        return chainLocked(key, false, action);
    }

    /**
     * Runs {@code action} under the key's chain lock that another process holds on this daemon's behalf
     * (a {@link LockWaiter.HeldLock}), as ctdbd runs a request under its lock helper's lock: the chain is
     * only marked as locked in this handle (libtdb's {@code tdb_chainlock_mark}), so fetch and store take
     * no lock of their own, and unmarked after. The caller releases the holder afterwards.
     */
    public synchronized <T> T underLentChainLock(byte[] key, Locked<T> action) throws TdbException {
        return chainLocked(key, true, action).orElseThrow();
    }

    /** {@code lent}: mark the chain (a helper holds it for us) instead of trying to lock it. */
    private <T> Optional<T> chainLocked(byte[] key, boolean lent, Locked<T> action) throws TdbException {
        Pointer tdb = live();
        long t = Pointer.nativeValue(tdb);
        Memory keyMem = direct == null ? memory(key) : null;
        TdbLibrary.TdbData.ByValue k = direct == null ? data(keyMem, key.length) : null;
        int rc;
        if (direct != null) {
            long kp = scratchKey(key);
            rc = lent ? direct.chainlockMark(t, kp, key.length) : direct.chainlockNonblock(t, kp, key.length);
        } else {
            rc = lent ? lib.tdb_chainlock_mark(tdb, k) : lib.tdb_chainlock_nonblock(tdb, k);
        }
        if (rc != 0) {
            if (!lent && busy(tdb)) {
                return Optional.empty();
            }
            throw failure(lent ? "tdb_chainlock_mark" : "tdb_chainlock_nonblock");
        }
        try {
            return Optional.of(Objects.requireNonNull(action.run(), "a locked action returns a value"));
        } finally {
            if (direct != null) {
                // the action's own calls reused the scratch buffer: copy the key again
                long kp = scratchKey(key);
                if (lent) {
                    direct.chainlockUnmark(t, kp, key.length);
                } else {
                    direct.chainunlock(t, kp, key.length);
                }
            } else {
                if (lent) {
                    lib.tdb_chainlock_unmark(tdb, k);
                } else {
                    lib.tdb_chainunlock(tdb, k);
                }
                Reference.reachabilityFence(keyMem);
            }
        }
    }

    /** What a traverse sees; return false to stop. */
    @FunctionalInterface
    public interface Visitor {
        boolean visit(byte[] key, byte[] value) throws TdbException;
    }

    /**
     * Walks every record under a read lock on the whole file taken without waiting; false
     * (nothing visited) when a writer holds any chain.
     */
    public synchronized boolean tryTraverseRead(Visitor visitor) throws TdbException {
        Pointer tdb = live();
        if (lib.tdb_lockall_read_nonblock(tdb) != 0) {
            if (busy(tdb)) {
                return false;
            }
            throw failure("tdb_lockall_read_nonblock");
        }
        try {
            traverseLocked(tdb, visitor);
            return true;
        } finally {
            lib.tdb_unlockall_read(tdb);
        }
    }

    private void traverseLocked(Pointer tdb, Visitor visitor) throws TdbException {
        TdbException[] thrown = new TdbException[1];
        RuntimeException[] crashed = new RuntimeException[1];
        TdbLibrary.TraverseFunction fn = (t, key, value, priv) -> {
            try {
                boolean more = visitor.visit(bytes(key), bytes(value));
                return more ? 0 : 1;
            } catch (TdbException e) {
                thrown[0] = e;
                return 1;
            } catch (RuntimeException e) {
                crashed[0] = e;
                return 1;
            }
        };
        int rc = lib.tdb_traverse_read(tdb, fn, null);
        Reference.reachabilityFence(fn);
        if (thrown[0] != null) {
            throw thrown[0];
        }
        if (crashed[0] != null) {
            throw crashed[0];
        }
        if (rc < 0) {
            throw failure("tdb_traverse_read");
        }
    }

    /**
     * Runs {@code body} in one TDB transaction, committed when it returns and cancelled when it
     * throws. Empty when another process holds a chain or the transaction lock at the start.
     * libtdb still waits inside a started transaction (its all-record read lock and the upgrade
     * at commit), so a holder that grabs a chain in between can delay this call: run it on a
     * database worker thread, never on the daemon's event loop.
     */
    public synchronized <T> Optional<T> tryTransaction(Locked<T> body) throws TdbException {
        Pointer tdb = live();
        if (!probeAllFree(tdb)) {
            return Optional.empty();
        }
        if (lib.tdb_transaction_start_nonblock(tdb) != 0) {
            if (busy(tdb)) {
                return Optional.empty();
            }
            throw failure("tdb_transaction_start_nonblock");
        }
        T result;
        try {
            result = Objects.requireNonNull(body.run(), "a transaction body returns a value");
        } catch (TdbException | RuntimeException e) {
            lib.tdb_transaction_cancel(tdb);
            throw e;
        }
        if (lib.tdb_transaction_commit(tdb) != 0) {
            // A failed commit has already cancelled the transaction in libtdb.
            throw failure("tdb_transaction_commit");
        }
        return Optional.of(result);
    }

    /** Deletes every record under the whole-file lock taken without waiting; false when busy. */
    public synchronized boolean tryWipeAll() throws TdbException {
        Pointer tdb = live();
        if (lib.tdb_lockall_nonblock(tdb) != 0) {
            if (busy(tdb)) {
                return false;
            }
            throw failure("tdb_lockall_nonblock");
        }
        try {
            if (lib.tdb_wipe_all(tdb) != 0) {
                throw failure("tdb_wipe_all");
            }
            return true;
        } finally {
            lib.tdb_unlockall(tdb);
        }
    }

    /**
     * Takes the write lock on every chain without waiting and keeps it (a database recovery's freeze):
     * clients block on their chain locks until {@link #unlockAll}. False when another process holds a
     * chain. While held, this process's own record calls, {@link #traverseHeld} and {@link #tryWipeAll}
     * work (libtdb nests them inside the all-record lock).
     */
    public synchronized boolean tryLockAll() throws TdbException {
        Pointer tdb = live();
        if (lib.tdb_lockall_nonblock(tdb) != 0) {
            if (busy(tdb)) {
                return false;
            }
            throw failure("tdb_lockall_nonblock");
        }
        return true;
    }

    /** Drops the lock {@link #tryLockAll} took. */
    public synchronized void unlockAll() throws TdbException {
        if (lib.tdb_unlockall(live()) != 0) {
            throw failure("tdb_unlockall");
        }
    }

    /** Walks every record while this process holds {@link #tryLockAll}'s lock. */
    public synchronized void traverseHeld(Visitor visitor) throws TdbException {
        traverseLocked(live(), visitor);
    }

    /** Makes libtdb count every change in the file header (TDB_SEQNUM). */
    public synchronized void enableSeqnum() throws TdbException {
        lib.tdb_enable_seqnum(live());
        seqnumEnabled = true;
    }

    /** libtdb's change counter (only counts once {@link #enableSeqnum} was called by some opener). */
    public synchronized int tdbSeqnum() throws TdbException {
        return lib.tdb_get_seqnum(live());
    }

    /** Whether {@link #enableSeqnum} was called on this handle. */
    public synchronized boolean seqnumEnabled() {
        return seqnumEnabled;
    }

    /** CTDB's UPDATE_SEQNUM: another node's copy changed, move ours so local readers notice. */
    public synchronized void incrementSeqnum() throws TdbException {
        lib.tdb_increment_seqnum_nonblock(live());
    }

    /** Closes the descriptor and lets the owner open the file again. Idempotent. */
    @Override
    public synchronized void close() {
        if (ctx == null) {
            return;
        }
        lib.tdb_close(ctx);
        ctx = null;
        if (scratch != null) {
            scratch.close();
            scratch = null;
        }
        owner.closed(this);
    }

    public synchronized boolean isOpen() {
        return ctx != null;
    }

    @Override
    public String toString() {
        return "TdbFile[" + path + "]";
    }

    /** A write lock on every chain, taken and dropped at once: no other holder right now. */
    private boolean probeAllFree(Pointer tdb) throws TdbException {
        if (lib.tdb_lockall_nonblock(tdb) != 0) {
            if (busy(tdb)) {
                return false;
            }
            throw failure("tdb_lockall_nonblock");
        }
        lib.tdb_unlockall(tdb);
        return true;
    }

    /**
     * Whether a non-blocking lock call failed only because someone else holds the lock. libtdb
     * reports that as TDB_ERR_LOCK (fcntl) or TDB_ERR_NOLOCK; errno tells contention (EAGAIN,
     * EACCES from fcntl, EBUSY from a mutex) from a real failure such as EDEADLK or EBADF.
     */
    private boolean busy(Pointer tdb) {
        int errno = Native.getLastError();
        int err = lib.tdb_error(tdb);
        boolean contention = errno == EAGAIN || errno == EACCES || errno == EBUSY;
        return (err == TdbLibrary.TDB_ERR_LOCK || err == TdbLibrary.TDB_ERR_NOLOCK) && contention;
    }

    private Pointer live() throws TdbException {
        if (ctx == null) {
            throw new TdbException(path, "use", -1, "file is closed");
        }
        return ctx;
    }

    private TdbException failure(String operation) {
        int errno = Native.getLastError();
        int err = lib.tdb_error(ctx);
        return new TdbException(
                path, operation, err, lib.tdb_errorstr(ctx) + " (tdb error " + err + ", errno " + errno + ")");
    }

    /** The key copied into the scratch buffer; its native address (0 for an empty key, never read). */
    private long scratchKey(byte[] key) {
        return scratchKey(key, key.length);
    }

    /** Like {@link #scratchKey(byte[])} with a buffer of at least {@code bytes}; the key's address (0 if empty). */
    private long scratchKey(byte[] key, long bytes) {
        Memory m = scratch(Math.max(bytes, key.length));
        if (key.length == 0) {
            return 0;
        }
        m.write(0, key, 0, key.length);
        return Pointer.nativeValue(m);
    }

    /** Key at the start of the scratch buffer, value at {@link #valueOffset}; the key's address. */
    private long scratchKeyValue(byte[] key, byte[] value) {
        long valueAt = valueOffset(key);
        Memory m = scratch(valueAt + value.length);
        m.write(0, key, 0, key.length);
        m.write(valueAt, value, 0, value.length);
        return Pointer.nativeValue(m);
    }

    private static long valueOffset(byte[] key) {
        return (key.length + 15L) & ~15L;
    }

    private Memory scratch(long bytes) {
        if (scratch == null || scratch.size() < bytes) {
            if (scratch != null) {
                scratch.close();
            }
            scratch = new Memory(Math.max(256, Long.highestOneBit(Math.max(1, bytes - 1)) << 1));
        }
        return scratch;
    }

    /** Native copy of a key or value; null for an empty one (libtdb never reads a 0-byte dptr). */
    private static Memory memory(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    private static TdbLibrary.TdbData.ByValue data(Memory m, int length) {
        TdbLibrary.TdbData.ByValue d = new TdbLibrary.TdbData.ByValue();
        d.dptr = m;
        d.dsize = new TdbLibrary.SizeT(length);
        return d;
    }

    private static byte[] bytes(TdbLibrary.TdbData d) {
        long size = d.dsize.longValue();
        if (size == 0 || d.dptr == null) {
            return new byte[0];
        }
        return d.dptr.getByteArray(0, (int) size);
    }
}
