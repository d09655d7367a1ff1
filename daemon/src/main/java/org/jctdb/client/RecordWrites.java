package org.jctdb.client;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jctdb.database.Database;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.LtdbHeader;

/**
 * `jctdb writekey` / `deletekey` (JCTDB_STORE_FUNC / JCTDB_DELETE_FUNC calls): what the ctdb tool does with
 * ctdb_fetch_lock + ctdb_store_record / ctdb_delete_record, done by the daemon, which owns the TDB file: the
 * record migrates here, then under its chain lock the value is stored behind the unchanged header (nothing is
 * written when it is already the value), or the record is emptied and queued for deletion. When the record
 * moved away between the migration and the lock, it is fetched again.
 */
final class RecordWrites {
    private static final int ATTEMPTS = 5;

    private final CtdbService s;

    RecordWrites(CtdbService service) {
        this.s = service;
    }

    /** Stores {@code value} as the record's data; null empties the record and queues it for deletion. */
    CompletableFuture<Void> write(Database db, byte[] key, byte[] value) {
        if (db.kind() != DatabaseKind.VOLATILE) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("database " + db.name() + " is not volatile"));
        }
        return attempt(db, key, value, 1);
    }

    private CompletableFuture<Void> attempt(Database db, byte[] key, byte[] value, int n) {
        int me = s.myPnn();
        return s.cluster()
                .call(db, key)
                .thenCompose(here -> s.worker().submit("write of a record of " + db.name(), () -> {
                    Optional<Boolean> done = db.file().tryChainLock(key, () -> {
                        Optional<byte[]> stored = db.file().fetch(key).filter(v -> v.length >= LtdbHeader.SIZE);
                        if (stored.isEmpty() || LtdbHeader.decode(stored.get()).dmaster() != me) {
                            return false; // moved away again
                        }
                        byte[] data = value == null ? new byte[0] : value;
                        if (value == null || !Arrays.equals(LtdbHeader.dataOf(stored.get()), data)) {
                            db.file().store(key, LtdbHeader.decode(stored.get()).encode(data));
                        }
                        return true;
                    });
                    return done.isPresent()
                            ? DatabaseWorker.Outcome.done(done.get())
                            : DatabaseWorker.Outcome.<Boolean>busyChain(db.file(), key);
                }))
                .thenCompose(ok -> {
                    if (ok) {
                        if (value == null) {
                            s.vacuum().queue(db.id(), key);
                        }
                        return CompletableFuture.completedFuture(null);
                    }
                    if (n >= ATTEMPTS) {
                        return CompletableFuture.failedFuture(new IllegalStateException(
                                "the record kept moving to other nodes (" + ATTEMPTS + " attempts)"));
                    }
                    return attempt(db, key, value, n + 1);
                });
    }
}
