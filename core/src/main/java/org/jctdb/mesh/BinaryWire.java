package org.jctdb.mesh;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.jctdb.database.DbId;
import org.jctdb.database.migration.PeerMessage;
import org.jctdb.database.migration.RecordKey;

/**
 * The compact encoding of the mesh's hot messages: record migration ({@link WireMessage.Migration})
 * and relayed CTDB packets ({@link WireMessage.CtdbRelay}), which carry binary record data and are
 * sent once per migrated record. The first byte is a tag that {@link CompactWire}'s ({@code 0x20})
 * is not, so a frame is one or the other by its first byte. Integers are big-endian; byte strings are a u32 length and
 * the bytes; nothing follows the last field.
 *
 * <pre>
 * 0x01 req-call       from:i32 gen:i64 db:u32 key:bytes origin:i32 reqId:i64 hops:i32
 * 0x02 req-dmaster    from:i32 gen:i64 db:u32 key:bytes newDmaster:i32 reqId:i64 rsn:i64 flags:u32 data:bytes hops:i32
 * 0x03 reply-dmaster  from:i32 gen:i64 db:u32 key:bytes reqId:i64 rsn:i64 flags:u32 data:bytes hops:i32
 * 0x04 reply-error    from:i32 gen:i64 reqId:i64 reason:u8
 * 0x10 ctdb-relay     kind:u8 id:i64 packet:bytes
 * </pre>
 */
final class BinaryWire {
    static final byte REQ_CALL = 0x01;
    static final byte REQ_DMASTER = 0x02;
    static final byte REPLY_DMASTER = 0x03;
    static final byte REPLY_ERROR = 0x04;
    static final byte CTDB_RELAY = 0x10;

    private static final PeerMessage.Reason[] REASONS = PeerMessage.Reason.values();
    private static final WireMessage.CtdbRelay.Kind[] KINDS = WireMessage.CtdbRelay.Kind.values();

    private BinaryWire() {}

    /** Whether a frame starting with {@code first} is in this encoding. */
    static boolean isBinary(byte first) {
        return first == REQ_CALL
                || first == REQ_DMASTER
                || first == REPLY_DMASTER
                || first == REPLY_ERROR
                || first == CTDB_RELAY;
    }

    /** The compact bytes of {@code m}, or empty for a message that travels in {@link CompactWire}'s form. */
    static Optional<byte[]> encode(WireMessage m) {
        if (m instanceof WireMessage.CtdbRelay r) {
            ByteBuffer b = ByteBuffer.allocate(1 + 1 + 8 + 4 + r.packet().length);
            b.put(CTDB_RELAY).put((byte) r.kind().ordinal()).putLong(r.id());
            putBytes(b, r.packet());
            return Optional.of(b.array());
        }
        if (!(m instanceof WireMessage.Migration mig)) {
            return Optional.empty();
        }
        PeerMessage p = mig.message();
        if (p instanceof PeerMessage.ReqCall c) {
            ByteBuffer b = head(REQ_CALL, c.from(), c.generation(), c.db(), c.key(), 4 + 8 + 4);
            b.putInt(c.origin()).putLong(c.reqId()).putInt(c.hops());
            return Optional.of(b.array());
        }
        if (p instanceof PeerMessage.ReqDmaster d) {
            ByteBuffer b = head(REQ_DMASTER, d.from(), d.generation(), d.db(), d.key(), 4 + MOVED + d.data().length);
            b.putInt(d.newDmaster());
            putMoved(b, d.reqId(), d.rsn(), d.flags(), d.data(), d.hops());
            return Optional.of(b.array());
        }
        if (p instanceof PeerMessage.ReplyDmaster d) {
            ByteBuffer b = head(REPLY_DMASTER, d.from(), d.generation(), d.db(), d.key(), MOVED + d.data().length);
            putMoved(b, d.reqId(), d.rsn(), d.flags(), d.data(), d.hops());
            return Optional.of(b.array());
        }
        PeerMessage.ReplyError e = (PeerMessage.ReplyError) p;
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 8 + 1);
        b.put(REPLY_ERROR).putInt(e.from()).putLong(e.generation()).putLong(e.reqId());
        b.put((byte) e.reason().ordinal());
        return Optional.of(b.array());
    }

    /** Bytes of the moved-record tail besides the data: reqId, rsn, flags, data length, hops. */
    private static final int MOVED = 8 + 8 + 4 + 4 + 4;

    /** A buffer for a record message with its head written: tag, from, generation, db, key. */
    private static ByteBuffer head(byte tag, int from, long generation, DbId db, RecordKey key, int rest) {
        byte[] k = key.bytes();
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 4 + 4 + k.length + rest);
        b.put(tag).putInt(from).putLong(generation).putInt(db.value());
        putBytes(b, k);
        return b;
    }

    private static void putMoved(ByteBuffer b, long reqId, long rsn, int flags, byte[] data, int hops) {
        b.putLong(reqId).putLong(rsn).putInt(flags);
        putBytes(b, data);
        b.putInt(hops);
    }

    /** What a record message starts with. */
    private record Head(int from, long generation, DbId db, RecordKey key) {
        static Head read(ByteBuffer b, String message) throws BadMessageException {
            return new Head(b.getInt(), b.getLong(), new DbId(b.getInt()), new RecordKey(bytes(b, message, "key")));
        }
    }

    /** The tail of REQ_DMASTER and REPLY_DMASTER: the record handed over. */
    private record Moved(long reqId, long rsn, int flags, byte[] data, int hops) {
        static Moved read(ByteBuffer b, String message) throws BadMessageException {
            return new Moved(
                    b.getLong(), b.getLong(), b.getInt(), bytes(b, message, "data"), BinaryWire.hops(b, message));
        }
    }

    /** Decodes a frame whose first byte {@link #isBinary} accepted. */
    static WireMessage decode(byte[] frame) throws BadMessageException {
        ByteBuffer b = ByteBuffer.wrap(frame);
        byte tag = b.get();
        String name = name(tag);
        try {
            WireMessage m = switch (tag) {
                case REQ_CALL -> {
                    Head h = Head.read(b, name);
                    yield new WireMessage.Migration(new PeerMessage.ReqCall(
                            h.from(), h.generation(), h.db(), h.key(), b.getInt(), b.getLong(), hops(b, name)));
                }
                case REQ_DMASTER -> {
                    Head h = Head.read(b, name);
                    int newDmaster = b.getInt();
                    Moved moved = Moved.read(b, name);
                    yield new WireMessage.Migration(new PeerMessage.ReqDmaster(
                            h.from(),
                            h.generation(),
                            h.db(),
                            h.key(),
                            newDmaster,
                            moved.reqId(),
                            moved.rsn(),
                            moved.flags(),
                            moved.data(),
                            moved.hops()));
                }
                case REPLY_DMASTER -> {
                    Head h = Head.read(b, name);
                    Moved moved = Moved.read(b, name);
                    yield new WireMessage.Migration(new PeerMessage.ReplyDmaster(
                            h.from(),
                            h.generation(),
                            h.db(),
                            h.key(),
                            moved.reqId(),
                            moved.rsn(),
                            moved.flags(),
                            moved.data(),
                            moved.hops()));
                }
                case REPLY_ERROR ->
                    new WireMessage.Migration(
                            new PeerMessage.ReplyError(b.getInt(), b.getLong(), b.getLong(), reason(b)));
                case CTDB_RELAY -> new WireMessage.CtdbRelay(kind(b), b.getLong(), bytes(b, name, "packet"));
                default -> throw new BadMessageException(String.format("unknown message tag 0x%02x", tag & 0xff));
            };
            if (b.hasRemaining()) {
                throw new BadMessageException(name + " message has " + b.remaining() + " bytes after its last field");
            }
            return m;
        } catch (BufferUnderflowException e) {
            throw new BadMessageException(name + " message truncated (" + frame.length + " bytes)");
        }
    }

    private static String name(byte tag) {
        return switch (tag) {
            case REQ_CALL -> "req-call";
            case REQ_DMASTER -> "req-dmaster";
            case REPLY_DMASTER -> "reply-dmaster";
            case REPLY_ERROR -> "reply-error";
            case CTDB_RELAY -> "ctdb-relay";
            default -> String.format("tag 0x%02x", tag & 0xff);
        };
    }

    private static void putBytes(ByteBuffer b, byte[] bytes) {
        b.putInt(bytes.length).put(bytes);
    }

    /** A u32 length and that many bytes; a length beyond the frame is named, not allocated. */
    private static byte[] bytes(ByteBuffer b, String message, String field) throws BadMessageException {
        long len = Integer.toUnsignedLong(b.getInt());
        if (len > b.remaining()) {
            throw new BadMessageException(message + " message: " + field + " length " + len + " exceeds the "
                    + b.remaining() + " bytes left in the frame");
        }
        byte[] out = new byte[(int) len];
        b.get(out);
        return out;
    }

    private static int hops(ByteBuffer b, String message) throws BadMessageException {
        int hops = b.getInt();
        if (hops < 0) {
            throw new BadMessageException(message + " message: negative hop count " + hops);
        }
        return hops;
    }

    private static PeerMessage.Reason reason(ByteBuffer b) throws BadMessageException {
        int r = b.get() & 0xff;
        if (r >= REASONS.length) {
            throw new BadMessageException("reply-error message: unknown reason " + r);
        }
        return REASONS[r];
    }

    private static WireMessage.CtdbRelay.Kind kind(ByteBuffer b) throws BadMessageException {
        int k = b.get() & 0xff;
        if (k >= KINDS.length) {
            throw new BadMessageException("ctdb-relay message: unknown kind " + k);
        }
        return KINDS[k];
    }
}
