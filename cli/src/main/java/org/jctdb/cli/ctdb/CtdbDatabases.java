package org.jctdb.cli.ctdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.DbidMap;
import org.jctdb.protocol.ctdb.LtdbHeader;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;
import org.jctdb.protocol.ctdb.TraverseStartExt;

/**
 * What the ctdb tool's database commands ask of a daemon, over {@link CtdbClient}: the database
 * map and names, attach, traverses, sequence numbers, record fetches and persistent transactions.
 * Every control goes to the node the client is connected to.
 */
public final class CtdbDatabases {
    /** A control that failed: its opcode, status and the daemon's error text. */
    public static final class ControlFailedException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ControlFailedException(ControlOpcode op, ReplyControl r) {
            super(op.name() + " failed, status " + r.status()
                    + (r.errorMessage().isEmpty() ? "" : ": " + r.errorMessage()));
            this.status = r.status();
        }

        public int status() {
            return status;
        }
    }

    /** One database of the map: its id, flags (CTDB_DB_FLAGS_*) and name. */
    public record Db(int id, int flags, String name) {
        public boolean persistent() {
            return (flags & CtdbWire.DB_FLAGS_PERSISTENT) != 0;
        }

        public boolean replicated() {
            return (flags & CtdbWire.DB_FLAGS_REPLICATED) != 0;
        }

        /** Persistent or replicated: written in transactions, never with REQ_CALLs. */
        public boolean transactional() {
            return persistent() || replicated();
        }
    }

    /** A record as a traverse delivers it: key, CTDB header, value. */
    public record Record(Bytes key, LtdbHeader header, Bytes value) {}

    private final CtdbClient client;
    private final Map<Integer, String> names = new HashMap<>();

    public CtdbDatabases(CtdbClient client) {
        this.client = client;
    }

    public CtdbClient client() {
        return client;
    }

    private ReplyControl ok(ControlOpcode op, long srvid, byte[] data) throws IOException {
        ReplyControl r = client.control(CtdbWire.CURRENT_NODE, op, srvid, 0, data);
        if (r.status() != 0) {
            throw new ControlFailedException(op, r);
        }
        return r;
    }

    public DbidMap dbmap() throws IOException {
        return decode(() -> DbidMap.decode(
                ok(ControlOpcode.GET_DBMAP, 0, new byte[0]).data().toArray()));
    }

    public String name(int dbId) throws IOException {
        String n = names.get(dbId);
        if (n == null) {
            n = decode(() -> ControlData.decodeCString(
                    ok(ControlOpcode.GET_DBNAME, 0, ControlData.u32(dbId))
                            .data()
                            .toArray(),
                    "GET_DBNAME reply"));
            names.put(dbId, n);
        }
        return n;
    }

    public String path(int dbId) throws IOException {
        return decode(() -> ControlData.decodeCString(
                ok(ControlOpcode.GETDBPATH, 0, ControlData.u32(dbId)).data().toArray(), "GETDBPATH reply"));
    }

    /** Empty when healthy, else the reason (DB_GET_HEALTH). */
    public Optional<String> health(int dbId) throws IOException {
        byte[] d =
                ok(ControlOpcode.DB_GET_HEALTH, 0, ControlData.u32(dbId)).data().toArray();
        if (d.length == 0) {
            return Optional.empty();
        }
        return Optional.of(decode(() -> ControlData.decodeCString(d, "DB_GET_HEALTH reply")));
    }

    /** GET_DB_STATISTICS: struct ctdb_db_statistics as the daemon sent it. */
    public byte[] dbStatistics(int dbId) throws IOException {
        return ok(ControlOpcode.GET_DB_STATISTICS, 0, ControlData.u32(dbId))
                .data()
                .toArray();
    }

    public long seqnum(int dbId) throws IOException {
        return decode(() -> ControlData.decodeU64(
                ok(ControlOpcode.GET_DB_SEQNUM, 0, ControlData.dbSeqnumRequest(dbId))
                        .data()
                        .toArray(),
                "GET_DB_SEQNUM reply"));
    }

    /**
     * The database an argument names, as the ctdb tool finds it: "0x..." is an id, anything else a
     * name; empty if the map has no such database.
     */
    public Optional<Db> find(String arg) throws IOException {
        DbidMap map = dbmap();
        if (arg.startsWith("0x")) {
            long id;
            try {
                id = Long.decode(arg);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            for (DbidMap.Dbid d : map.dbs()) {
                if (Integer.toUnsignedLong(d.dbId()) == id) {
                    return Optional.of(new Db(d.dbId(), d.flags(), name(d.dbId())));
                }
            }
            return Optional.empty();
        }
        for (DbidMap.Dbid d : map.dbs()) {
            if (name(d.dbId()).equals(arg)) {
                return Optional.of(new Db(d.dbId(), d.flags(), arg));
            }
        }
        return Optional.empty();
    }

    /** Attaches (creates if need be) a database with CTDB_DB_FLAGS_PERSISTENT or _REPLICATED or 0; its id. */
    public int attach(String name, int flags) throws IOException {
        ControlOpcode op = (flags & CtdbWire.DB_FLAGS_PERSISTENT) != 0
                ? ControlOpcode.DB_ATTACH_PERSISTENT
                : (flags & CtdbWire.DB_FLAGS_REPLICATED) != 0
                        ? ControlOpcode.DB_ATTACH_REPLICATED
                        : ControlOpcode.DB_ATTACH;
        int id = decode(() -> ControlData.decodeU32(
                ok(op, 0, ControlData.cString(name)).data().toArray(), op.name() + " reply"));
        names.put(id, name);
        if ((flags & CtdbWire.DB_FLAGS_READONLY) != 0) {
            ok(ControlOpcode.SET_DB_READONLY, 0, ControlData.u32(id));
        }
        return id;
    }

    /**
     * Every record a traverse of the database on this node delivers, in the daemon's order:
     * TRAVERSE_START_EXT to a srvid of the client range registered for the purpose, records as
     * messages until the empty end record. {@code withEmpty} asks the daemon for records with no
     * value too and keeps them (cattdb); without it they are dropped here, as the ctdb tool's
     * traverse drops them (catdb).
     */
    public List<Record> traverse(int dbId, boolean withEmpty) throws IOException {
        long srvid = CtdbWire.SRVID_CLIENT_RANGE | ProcessHandle.current().pid();
        int reqid = (int) (System.nanoTime() & 0x7fffffff);
        ok(ControlOpcode.REGISTER_SRVID, srvid, new byte[0]);
        try {
            // withEmpty is cattdb: this node's own file, every record, whichever node is data master
            ReplyControl started = client.control(
                    CtdbWire.CURRENT_NODE,
                    ControlOpcode.TRAVERSE_START_EXT,
                    0,
                    withEmpty ? CtdbWire.CTRL_FLAG_JCTDB_LOCAL_TRAVERSE : 0,
                    new TraverseStartExt(dbId, reqid, srvid, withEmpty).encode());
            if (started.status() != 0) {
                throw new ControlFailedException(ControlOpcode.TRAVERSE_START_EXT, started);
            }
            List<Record> out = new ArrayList<>();
            while (true) {
                ReqMessage m = client.nextMessage(srvid);
                RecData r = decode(() -> RecData.decode(m.data().toArray()));
                if (r.key().length() == 0 && r.data().length() == 0) {
                    return out;
                }
                if (r.reqid() != reqid) {
                    continue;
                }
                Record rec = decode(() -> new Record(r.key(), r.header(), r.value()));
                // As libctdb-client's traverse: a record with no value is never handed on.
                if (withEmpty || rec.value().length() > 0) {
                    out.add(rec);
                }
            }
        } finally {
            client.control(CtdbWire.CURRENT_NODE, ControlOpcode.DEREGISTER_SRVID, srvid, 0, new byte[0]);
        }
    }

    /**
     * Makes the record local (REQ_CALL with immediate migration, as ctdb_fetch_lock does when the
     * record is not here) and returns its value.
     */
    public Bytes fetch(int dbId, Bytes key) throws IOException {
        return client.call(
                        new ReqCall(CtdbWire.CALL_IMMEDIATE_MIGRATION, dbId, CtdbWire.FETCH_FUNC, 0, key, Bytes.EMPTY))
                .data();
    }

    /**
     * writekey / deletekey: the daemon migrates the record to its node and stores {@code value} behind the
     * header, or empties the record and queues it for deletion when {@code value} is null (JCTDB's own call
     * functions: this process cannot write the daemon's file as the ctdb tool does).
     */
    public void write(int dbId, Bytes key, Bytes value) throws IOException {
        client.call(new ReqCall(
                CtdbWire.CALL_IMMEDIATE_MIGRATION,
                dbId,
                value == null ? CtdbWire.JCTDB_DELETE_FUNC : CtdbWire.JCTDB_STORE_FUNC,
                0,
                key,
                value == null ? Bytes.EMPTY : value));
    }

    /** Makes the record local and returns its stored bytes, header first. */
    public Bytes fetchWithHeader(int dbId, Bytes key) throws IOException {
        return client.call(new ReqCall(
                        CtdbWire.CALL_IMMEDIATE_MIGRATION, dbId, CtdbWire.FETCH_WITH_HEADER_FUNC, 0, key, Bytes.EMPTY))
                .data();
    }

    /** The u32 tdb_open flags the daemon wants clients to open the file with. */
    public int openFlags(int dbId) throws IOException {
        return decode(() -> ControlData.decodeU32(
                ok(ControlOpcode.DB_OPEN_FLAGS, 0, ControlData.u32(dbId)).data().toArray(), "DB_OPEN_FLAGS reply"));
    }

    /** Tells the daemon a record was emptied (SCHEDULE_FOR_DELETION: u32 db_id, pad, header, u32 keylen, key). */
    public void scheduleForDeletion(int dbId, LtdbHeader header, Bytes key) throws IOException {
        byte[] h = header.encode();
        byte[] k = key.toArray();
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4 + k.length).order(CtdbWire.ORDER);
        b.putInt(dbId).putInt(0).put(h).putInt(k.length).put(k);
        ok(ControlOpcode.SCHEDULE_FOR_DELETION, 0, b.array());
    }

    /** TRANS3_COMMIT: the records (each with its new header; an empty value deletes) in one transaction. */
    public void commit(RecBuffer records) throws IOException {
        ok(ControlOpcode.TRANS3_COMMIT, 0, records.encode());
    }

    private interface Decoder<T> {
        T get() throws IOException, BadPacketException;
    }

    private static <T> T decode(Decoder<T> d) throws IOException {
        try {
            return d.get();
        } catch (BadPacketException e) {
            throw new IOException("bad reply from the daemon: " + e.getMessage(), e);
        }
    }
}
