package org.jctdb.database;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record calls of libtdb that record migration makes several times per record (chain lock,
 * fetch, store, unlock), bound with JNA's direct mapping and plain {@code long} arguments. Through
 * {@link TdbLibrary}'s interface mapping each call built TDB_DATA structures by reflection and
 * native copies owned by JNA's cleaner: about 10-30 µs per call against 1-3 µs in C.
 *
 * <p>A {@code TDB_DATA} ({@code unsigned char *dptr; size_t dsize;}, 16 bytes of two integers) passed
 * by value travels in two consecutive integer registers in the x86-64 System V and the AArch64
 * calling conventions, exactly like two {@code long} arguments, so {@code tdb_store(tdb, key, data,
 * flag)} is called as {@code tdb_store(tdb, kptr, klen, dptr, dlen, flag)}. On any other platform
 * {@link #available()} is empty and {@link TdbFile} keeps the interface mapping. {@code tdb_fetch}
 * returns its TDB_DATA in two registers too, which a {@code long} return cannot read: it keeps a
 * structure return (direct mapping still saves the argument conversion).
 */
final class TdbDirect {
    private static final Logger log = LoggerFactory.getLogger("jctdb.database");
    private static final Optional<TdbDirect> INSTANCE = load();

    private TdbDirect() {}

    /** The direct binding, when this platform passes TDB_DATA as two registers and libtdb loads. */
    static Optional<TdbDirect> available() {
        return INSTANCE;
    }

    private static Optional<TdbDirect> load() {
        boolean twoRegisters = Platform.isLinux()
                && Native.POINTER_SIZE == 8
                && Native.SIZE_T_SIZE == 8
                && (Platform.isIntel() || Platform.isARM());
        if (!twoRegisters) {
            return Optional.empty();
        }
        try {
            NativeLibrary lib;
            try {
                lib = NativeLibrary.getInstance("tdb");
            } catch (UnsatisfiedLinkError first) {
                lib = NativeLibrary.getInstance("libtdb.so.1");
            }
            Native.register(TdbDirect.class, lib);
            return Optional.of(new TdbDirect());
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.warn(
                    "libtdb's direct binding failed ({}); record calls use the slower interface mapping", e.toString());
            return Optional.empty();
        }
    }

    int chainlockNonblock(long tdb, long kptr, long klen) {
        return tdb_chainlock_nonblock(tdb, kptr, klen);
    }

    int chainunlock(long tdb, long kptr, long klen) {
        return tdb_chainunlock(tdb, kptr, klen);
    }

    int chainlockMark(long tdb, long kptr, long klen) {
        return tdb_chainlock_mark(tdb, kptr, klen);
    }

    int chainlockUnmark(long tdb, long kptr, long klen) {
        return tdb_chainlock_unmark(tdb, kptr, klen);
    }

    int store(long tdb, long kptr, long klen, long dptr, long dlen, int flag) {
        return tdb_store(tdb, kptr, klen, dptr, dlen, flag);
    }

    TdbLibrary.TdbData.ByValue fetch(long tdb, long kptr, long klen) {
        return tdb_fetch(tdb, kptr, klen);
    }

    int delete(long tdb, long kptr, long klen) {
        return tdb_delete(tdb, kptr, klen);
    }

    int exists(long tdb, long kptr, long klen) {
        return tdb_exists(tdb, kptr, klen);
    }

    int error(long tdb) {
        return tdb_error(tdb);
    }

    private static native int tdb_chainlock_nonblock(long tdb, long kptr, long klen);

    private static native int tdb_chainunlock(long tdb, long kptr, long klen);

    private static native int tdb_chainlock_mark(long tdb, long kptr, long klen);

    private static native int tdb_chainlock_unmark(long tdb, long kptr, long klen);

    private static native int tdb_store(long tdb, long kptr, long klen, long dptr, long dlen, int flag);

    private static native TdbLibrary.TdbData.ByValue tdb_fetch(long tdb, long kptr, long klen);

    private static native int tdb_delete(long tdb, long kptr, long klen);

    private static native int tdb_exists(long tdb, long kptr, long klen);

    private static native int tdb_error(long tdb);
}
