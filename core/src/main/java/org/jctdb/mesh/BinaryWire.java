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
 * sent once per migrated record. The first byte is a tag below {@code '{'}, so a frame is this
 * encoding or JSON by its first byte. Integers are big-endian; byte strings are a u32 length and
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

    /** The compact bytes of {@code m}, or empty for a message that travels as JSON. */
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
            byte[] key = c.key().bytes();
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 4 + 4 + key.length + 4 + 8 + 4);
            b.put(REQ_CALL).putInt(c.from()).putLong(c.generation()).putInt(c.db().value());
            putBytes(b, key);
            b.putInt(c.origin()).putLong(c.reqId()).putInt(c.hops());
            return Optional.of(b.array());
        }
        if (p instanceof PeerMessage.ReqDmaster d) {
            byte[] key = d.key().bytes();
            ByteBuffer b =
                    ByteBuffer.allocate(1 + 4 + 8 + 4 + 4 + key.length + 4 + 8 + 8 + 4 + 4 + d.data().length + 4);
            b.put(REQ_DMASTER).putInt(d.from()).putLong(d.generation()).putInt(d.db().value());
            putBytes(b, key);
            b.putInt(d.newDmaster()).putLong(d.reqId()).putLong(d.rsn()).putInt(d.flags());
            putBytes(b, d.data());
            b.putInt(d.hops());
            return Optional.of(b.array());
        }
        if (p instanceof PeerMessage.ReplyDmaster d) {
            byte[] key = d.key().bytes();
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 4 + 4 + key.length + 8 + 8 + 4 + 4 + d.data().length + 4);
            b.put(REPLY_DMASTER).putInt(d.from()).putLong(d.generation()).putInt(d.db().value());
            putBytes(b, key);
            b.putLong(d.reqId()).putLong(d.rsn()).putInt(d.flags());
            putBytes(b, d.data());
            b.putInt(d.hops());
            return Optional.of(b.array());
        }
        PeerMessage.ReplyError e = (PeerMessage.ReplyError) p;
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 8 + 8 + 1);
        b.put(REPLY_ERROR).putInt(e.from()).putLong(e.generation()).putLong(e.reqId());
        b.put((byte) e.reason().ordinal());
        return Optional.of(b.array());
    }

    /** Decodes a frame whose first byte {@link #isBinary} accepted. */
    static WireMessage decode(byte[] frame) throws BadMessageException {
        ByteBuffer b = ByteBuffer.wrap(frame);
        byte tag = b.get();
        String name = name(tag);
        try {
            WireMessage m = switch (tag) {
                case REQ_CALL ->
                    new WireMessage.Migration(new PeerMessage.ReqCall(
                            b.getInt(),
                            b.getLong(),
                            new DbId(b.getInt()),
                            new RecordKey(bytes(b, name, "key")),
                            b.getInt(),
                            b.getLong(),
                            hops(b, name)));
                case REQ_DMASTER ->
                    new WireMessage.Migration(new PeerMessage.ReqDmaster(
                            b.getInt(),
                            b.getLong(),
                            new DbId(b.getInt()),
                            new RecordKey(bytes(b, name, "key")),
                            b.getInt(),
                            b.getLong(),
                            b.getLong(),
                            b.getInt(),
                            bytes(b, name, "data"),
                            hops(b, name)));
                case REPLY_DMASTER ->
                    new WireMessage.Migration(new PeerMessage.ReplyDmaster(
                            b.getInt(),
                            b.getLong(),
                            new DbId(b.getInt()),
                            new RecordKey(bytes(b, name, "key")),
                            b.getLong(),
                            b.getLong(),
                            b.getInt(),
                            bytes(b, name, "data"),
                            hops(b, name)));
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
