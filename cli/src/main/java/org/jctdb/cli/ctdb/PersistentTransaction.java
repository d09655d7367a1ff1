package org.jctdb.cli.ctdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.LtdbHeader;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;

/**
 * A transaction on a persistent or replicated database as the ctdb tool makes one: read the
 * current records, give each changed record its old header with this node as dmaster and the rsn
 * raised by one (an unchanged value is skipped, an empty value deletes), add the database's
 * sequence number raised by one, and send everything in one TRANS3_COMMIT (nothing at all when
 * nothing changed).
 *
 * <p>Unlike the ctdb tool it takes no g_lock: the client runs inside the daemon, which must not
 * open TDB files a second time. Two concurrent writers are still safe: the daemon refuses a commit
 * whose rsn does not rise above the stored one, so the later of two racing commits fails.
 */
public final class PersistentTransaction {
    private static final Bytes SEQNUM_KEY =
            Bytes.of(CtdbWire.DB_SEQNUM_KEY.concat("\0").getBytes(StandardCharsets.US_ASCII));

    private final CtdbDatabases dbs;
    private final int dbId;
    private final Map<Bytes, CtdbDatabases.Record> current = new HashMap<>();
    private final List<RecData> changes = new ArrayList<>();

    /** Reads the database's records on this node (the copy every active node holds). */
    public PersistentTransaction(CtdbDatabases dbs, int dbId) throws IOException {
        this.dbs = dbs;
        this.dbId = dbId;
        for (CtdbDatabases.Record r : dbs.traverse(dbId, true)) {
            current.put(r.key(), r);
        }
    }

    /** The value of a key as this transaction sees it; empty if missing or emptied. */
    public Bytes fetch(Bytes key) {
        CtdbDatabases.Record r = current.get(key);
        return r == null ? Bytes.EMPTY : r.value();
    }

    public void store(Bytes key, Bytes value) {
        CtdbDatabases.Record old = current.get(key);
        Bytes oldValue = old == null ? Bytes.EMPTY : old.value();
        if (oldValue.equals(value)) {
            return;
        }
        LtdbHeader h = old == null
                ? LtdbHeader.of(1, dbs.client().pnn(), 0)
                : new LtdbHeader(
                        old.header().rsn() + 1,
                        dbs.client().pnn(),
                        old.header().reserved1(),
                        old.header().flags());
        changes.add(RecData.withHeader(0, key, h, value));
        current.put(key, new CtdbDatabases.Record(key, h, value));
    }

    public void delete(Bytes key) {
        store(key, Bytes.EMPTY);
    }

    /** Keys with a value, except the sequence number record. */
    public List<Bytes> keys() {
        List<Bytes> keys = new ArrayList<>();
        for (CtdbDatabases.Record r : current.values()) {
            if (r.value().length() > 0 && !r.key().equals(SEQNUM_KEY)) {
                keys.add(r.key());
            }
        }
        return keys;
    }

    public static boolean isSeqnumKey(Bytes key) {
        return key.equals(SEQNUM_KEY);
    }

    /**
     * Raises the sequence number and commits; throws if the daemon refuses. A transaction that
     * changed nothing sends nothing and leaves the sequence number, as the ctdb tool does.
     */
    public void commit() throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        Bytes old = fetch(SEQNUM_KEY);
        long seqnum = old.length() == Long.BYTES
                ? ByteBuffer.wrap(old.toArray()).order(CtdbWire.ORDER).getLong()
                : 0;
        store(
                SEQNUM_KEY,
                Bytes.of(ByteBuffer.allocate(Long.BYTES)
                        .order(CtdbWire.ORDER)
                        .putLong(seqnum + 1)
                        .array()));
        dbs.commit(new RecBuffer(dbId, changes));
    }

    /** The records this transaction will send (for tests). */
    List<RecData> changes() {
        return List.copyOf(changes);
    }

    Optional<CtdbDatabases.Record> record(Bytes key) {
        return Optional.ofNullable(current.get(key));
    }
}
