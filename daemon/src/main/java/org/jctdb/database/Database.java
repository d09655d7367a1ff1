package org.jctdb.database;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One attached CTDB database: its id, name, kind and TDB file. Every record operation here
 * takes locks without waiting; a busy answer means "wait with {@link LockWaiter}, then retry".
 */
public final class Database {
    private final String name;
    private final DbId id;
    private final DatabaseKind kind;
    private final TdbFile file;
    private final int pnn;

    Database(String name, DbId id, DatabaseKind kind, TdbFile file, int pnn) {
        this.name = name;
        this.id = id;
        this.kind = kind;
        this.file = file;
        this.pnn = pnn;
    }

    public String name() {
        return name;
    }

    public DbId id() {
        return id;
    }

    public DatabaseKind kind() {
        return kind;
    }

    /** CTDB_DB_FLAGS_* for GET_DBMAP. */
    public int dbFlags() {
        return kind.dbFlags();
    }

    public Path path() {
        return file.path();
    }

    /** What DB_OPEN_FLAGS tells clients: the open flags, with TDB_SEQNUM once ENABLE_SEQNUM was asked. */
    public int tdbFlags() {
        return file.clientFlags();
    }

    /** The open file, for {@link LockWaiter}. */
    public TdbFile file() {
        return file;
    }

    /** Outcome of a non-blocking read. */
    public enum Status {
        FOUND,
        MISSING,
        BUSY
    }

    /** A non-blocking read: the record when {@code status} is FOUND. */
    public record Fetched(Status status, Optional<LtdbRecord> record) {
        static final Fetched MISSING = new Fetched(Status.MISSING, Optional.empty());
        static final Fetched BUSY = new Fetched(Status.BUSY, Optional.empty());
    }

    /**
     * Reads a record under its chain lock, taken without waiting. A stored value shorter than
     * the CTDB header counts as missing, as in CTDB.
     */
    public Fetched tryFetch(byte[] key) throws TdbException {
        Optional<Fetched> got = file.tryChainLock(
                key,
                () -> file.fetch(key)
                        .filter(v -> v.length >= LtdbHeader.SIZE)
                        .map(v -> new Fetched(Status.FOUND, Optional.of(LtdbRecord.parse(key, v))))
                        .orElse(Fetched.MISSING));
        return got.orElse(Fetched.BUSY);
    }

    /** Writes a record (header + data) under its chain lock taken without waiting; false when busy. */
    public boolean tryStore(byte[] key, LtdbHeader header, byte[] data) throws TdbException {
        return file.tryChainLock(key, () -> {
                    file.store(key, header.encode(data));
                    return Boolean.TRUE;
                })
                .isPresent();
    }

    /** Deletes a record under its chain lock taken without waiting; empty when busy, else whether it existed. */
    public Optional<Boolean> tryDelete(byte[] key) throws TdbException {
        return file.tryChainLock(key, () -> file.delete(key));
    }

    /** What a traverse sees; return false to stop. */
    @FunctionalInterface
    public interface RecordVisitor {
        boolean visit(LtdbRecord record) throws TdbException;
    }

    /** Visits every record that carries a CTDB header; false (nothing visited) when a writer holds a chain. */
    public boolean tryTraverse(RecordVisitor visitor) throws TdbException {
        return file.tryTraverseRead((k, v) -> v.length < LtdbHeader.SIZE || visitor.visit(LtdbRecord.parse(k, v)));
    }

    /** Removes every record; false when a chain is held. */
    public boolean tryWipe() throws TdbException {
        return file.tryWipeAll();
    }

    /** Asks libtdb to count changes (ENABLE_SEQNUM); {@link #tdbSeqnum} then moves on every write. */
    public void enableSeqnum() throws TdbException {
        file.enableSeqnum();
    }

    public int tdbSeqnum() throws TdbException {
        return file.tdbSeqnum();
    }

    /** The key of the sequence number record: the name with its NUL, as smbd and ctdb write it. */
    public static byte[] seqnumKey() {
        byte[] name = DatabaseFlags.SEQNUM_KEY.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(name, name.length + 1);
    }

    /**
     * A persistent database's sequence number (0 when never written or not 8 bytes, as in
     * CTDB); empty when its chain is busy.
     */
    public OptionalLong trySequenceNumber() throws TdbException {
        Fetched f = tryFetch(seqnumKey());
        if (f.status() == Status.BUSY) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(f.record().map(r -> seqnumValue(r.data())).orElse(0L));
    }

    /**
     * Applies a persistent transaction: every record (header + data; empty data stores the
     * header alone, CTDB's deleted record) in one TDB transaction, all or nothing. A record whose
     * stored RSN is not lower than the new one and whose data differs fails the whole
     * transaction, as CTDB's UPDATE_RECORD does. The sequence number record is taken from
     * {@code records} when the client wrote it (smbd and the ctdb tool do), otherwise it is
     * incremented here.
     *
     * @return the sequence number after the commit; empty when the file was busy (nothing written)
     */
    public Optional<Long> tryApplyTransaction(List<LtdbRecord> records) throws TdbException {
        if (kind == DatabaseKind.VOLATILE) {
            throw new TdbException(path(), "persistent transaction", -1, "database " + name + " is volatile");
        }
        byte[] seqKey = seqnumKey();
        return file.tryTransaction(() -> {
            boolean clientSeqnum = false;
            for (LtdbRecord r : records) {
                Optional<byte[]> old = file.fetch(r.key());
                if (old.isPresent() && old.get().length >= LtdbHeader.SIZE) {
                    LtdbRecord current = LtdbRecord.parse(r.key(), old.get());
                    if (current.header().rsn() >= r.header().rsn() && !Arrays.equals(current.data(), r.data())) {
                        throw new TdbException(
                                path(),
                                "persistent transaction",
                                -1,
                                "record " + r + " has RSN " + r.header().rsn() + " but the stored one has "
                                        + current.header().rsn());
                    }
                }
                file.store(r.key(), r.stored());
                clientSeqnum |= Arrays.equals(r.key(), seqKey);
            }
            Optional<byte[]> stored = file.fetch(seqKey);
            LtdbHeader oldHeader = stored.filter(v -> v.length >= LtdbHeader.SIZE)
                    .map(LtdbHeader::decode)
                    .orElse(new LtdbHeader(0, pnn, LtdbHeader.FLAG_DEFAULT));
            long seqnum = stored.filter(v -> v.length >= LtdbHeader.SIZE)
                    .map(v -> seqnumValue(LtdbHeader.dataOf(v)))
                    .orElse(0L);
            if (!clientSeqnum) {
                seqnum++;
                LtdbHeader h = new LtdbHeader(oldHeader.rsn() + 1, pnn, oldHeader.flags());
                file.store(seqKey, h.encode(seqnumData(seqnum)));
            }
            return seqnum;
        });
    }

    static long seqnumValue(byte[] data) {
        return data.length == Long.BYTES
                ? ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong()
                : 0L;
    }

    static byte[] seqnumData(long seqnum) {
        return ByteBuffer.allocate(Long.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(seqnum)
                .array();
    }

    @Override
    public String toString() {
        return "Database[" + id + " " + name + " " + kind + " " + path() + "]";
    }
}
