package org.jctdb.database;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jctdb_tdb_fetch_into} from the installation's {@code libjctdb_tdb.so} (native/src/jctdb_tdb_fetch.c):
 * a record's value copied into a native buffer of the caller, with integer arguments and result.
 * {@link TdbDirect}'s {@code tdb_fetch} has to return its TDB_DATA as a JNA structure, built by
 * reflection on every call; this avoids that and libtdb's malloc/free of the value.
 */
final class TdbFetchShim {
    private static final Logger log = LoggerFactory.getLogger("jctdb.database");

    private TdbFetchShim() {}

    /** The shim from {@code library}, or empty (with a log line) when it is missing or does not load. */
    static Optional<TdbFetchShim> load(Path library) {
        if (library == null || !Files.isRegularFile(library)) {
            log.warn("{} not found; record fetches use the slower JNA structure return", library);
            return Optional.empty();
        }
        try {
            Native.register(TdbFetchShim.class, NativeLibrary.getInstance(library.toString()));
            return Optional.of(new TdbFetchShim());
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.warn("{} did not load ({}); record fetches use the slower JNA structure return", library, e.toString());
            return Optional.empty();
        }
    }

    /** The value's length (copied only when at most {@code cap}), or -1: absent or failed (see tdb_error). */
    long fetchInto(long tdb, long kptr, long klen, long buf, long cap) {
        return jctdb_tdb_fetch_into(tdb, kptr, klen, buf, cap);
    }

    private static native long jctdb_tdb_fetch_into(long tdb, long kptr, long klen, long buf, long cap);
}
