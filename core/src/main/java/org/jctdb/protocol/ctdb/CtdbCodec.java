package org.jctdb.protocol.ctdb;

import java.nio.ByteBuffer;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyDmaster;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyError;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqDmaster;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqKeepalive;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqTunnel;

/**
 * Packets to and from bytes. Pure: no I/O. A stream is framed by the first u32 of each packet
 * ({@link #peekLength}); {@link #decode} takes exactly one packet.
 *
 * <p>Padding: ctdbd and the ctdb tool round every packet up to 8 bytes and put the rounded size in
 * the length field; smbd sends its REQ_CALLs unpadded. ctdbd sizes some packets as the C struct
 * plus the data, which counts the struct's one-byte data placeholder and tail padding: its empty
 * REPLY_CALL is 48 bytes for a 40-byte body. So decoding accepts up to {@link #MAX_SLACK} bytes
 * after the body. {@link #encode} pads to 8 only; {@link #reencode} reproduces a decoded packet's
 * declared length, zero-filled.
 */
public final class CtdbCodec {
    /** Bytes allowed between the end of a body and the declared length. */
    public static final int MAX_SLACK = 15;

    private final int maxPacketLength;

    /** A decoded packet: its header (with the declared length) and body. */
    public record Frame(CtdbHeader header, CtdbPacket packet) {}

    public CtdbCodec() {
        this(CtdbWire.DEFAULT_MAX_PACKET);
    }

    public CtdbCodec(int maxPacketLength) {
        if (maxPacketLength < CtdbWire.HEADER_SIZE) {
            throw new IllegalArgumentException("maximum packet length below the header size: " + maxPacketLength);
        }
        this.maxPacketLength = maxPacketLength;
    }

    public int maxPacketLength() {
        return maxPacketLength;
    }

    /**
     * The declared length of the packet at the buffer's position, or -1 if fewer than 4 bytes are
     * there; throws if the length can never be a valid packet, so a reader can drop the stream early.
     */
    public long peekLength(ByteBuffer in) throws BadPacketException {
        if (in.remaining() < 4) {
            return -1;
        }
        long length =
                Integer.toUnsignedLong(in.duplicate().order(CtdbWire.ORDER).getInt());
        checkDeclaredLength(length);
        return length;
    }

    private void checkDeclaredLength(long length) throws BadPacketException {
        if (length < CtdbWire.HEADER_SIZE) {
            throw new BadPacketException(
                    "declared length " + length + " is shorter than the " + CtdbWire.HEADER_SIZE + "-byte header");
        }
        if (length > maxPacketLength) {
            throw new BadPacketException("declared length " + length + " exceeds the maximum of " + maxPacketLength);
        }
    }

    /** Decodes one whole packet; the array must hold exactly the declared length. */
    public Frame decode(byte[] wire) throws BadPacketException {
        if (wire.length < CtdbWire.HEADER_SIZE) {
            throw new BadPacketException(
                    "packet of " + wire.length + " bytes is shorter than the " + CtdbWire.HEADER_SIZE + "-byte header");
        }
        WireReader r = new WireReader(wire, "header");
        long length = Integer.toUnsignedLong(r.u32("length"));
        checkDeclaredLength(length);
        if (length != wire.length) {
            throw new BadPacketException("declared length " + length + " but the packet has " + wire.length + " bytes");
        }
        int magic = r.u32("magic");
        if (magic != CtdbWire.MAGIC) {
            throw new BadPacketException(String.format("bad magic 0x%08x (expected 0x%08x)", magic, CtdbWire.MAGIC));
        }
        int version = r.u32("version");
        if (version != CtdbWire.VERSION) {
            throw new BadPacketException("unsupported protocol version " + Integer.toUnsignedString(version)
                    + " (expected " + CtdbWire.VERSION + ")");
        }
        CtdbHeader h = new CtdbHeader(
                (int) length,
                magic,
                version,
                r.u32("generation"),
                r.u32("operation"),
                r.u32("destnode"),
                r.u32("srcnode"),
                r.u32("reqid"));
        String name = CtdbHeader.operationName(h.operation());
        WireReader b = new WireReader(wire, CtdbWire.HEADER_SIZE, wire.length - CtdbWire.HEADER_SIZE, name);
        CtdbPacket p = decodeBody(h.operation(), b);
        if (b.remaining() > MAX_SLACK) {
            throw new BadPacketException(name + ": " + b.remaining() + " bytes after the body (at most " + MAX_SLACK
                    + " bytes of padding are allowed)");
        }
        return new Frame(h, p);
    }

    private static CtdbPacket decodeBody(int operation, WireReader r) throws BadPacketException {
        switch (operation) {
            case CtdbHeader.REQ_CALL: {
                int flags = r.u32("flags");
                int dbId = r.u32("db_id");
                int callId = r.u32("callid");
                int hopcount = r.u32("hopcount");
                long keylen = Integer.toUnsignedLong(r.u32("keylen"));
                long calldatalen = Integer.toUnsignedLong(r.u32("calldatalen"));
                Bytes key = Bytes.wrap(r.bytes(keylen, "key"));
                return new ReqCall(flags, dbId, callId, hopcount, key, Bytes.wrap(r.bytes(calldatalen, "calldata")));
            }
            case CtdbHeader.REPLY_CALL:
                return new ReplyCall(r.u32("status"), blob(r, "data"));
            case CtdbHeader.REQ_DMASTER: {
                int dbId = r.u32("db_id");
                r.skip(4, "padding");
                long rsn = r.u64("rsn");
                int dmaster = r.u32("dmaster");
                long keylen = Integer.toUnsignedLong(r.u32("keylen"));
                long datalen = Integer.toUnsignedLong(r.u32("datalen"));
                Bytes key = Bytes.wrap(r.bytes(keylen, "key"));
                return new ReqDmaster(dbId, rsn, dmaster, key, Bytes.wrap(r.bytes(datalen, "data")));
            }
            case CtdbHeader.REPLY_DMASTER: {
                int dbId = r.u32("db_id");
                r.skip(4, "padding");
                long rsn = r.u64("rsn");
                long keylen = Integer.toUnsignedLong(r.u32("keylen"));
                long datalen = Integer.toUnsignedLong(r.u32("datalen"));
                Bytes key = Bytes.wrap(r.bytes(keylen, "key"));
                return new ReplyDmaster(dbId, rsn, key, Bytes.wrap(r.bytes(datalen, "data")));
            }
            case CtdbHeader.REPLY_ERROR:
                return new ReplyError(r.u32("status"), blob(r, "msg"));
            case CtdbHeader.REQ_MESSAGE:
                return new ReqMessage(r.u64("srvid"), blob(r, "data"));
            case CtdbHeader.REQ_CONTROL: {
                int opcode = r.u32("opcode");
                r.skip(4, "padding");
                long srvid = r.u64("srvid");
                int clientId = r.u32("client_id");
                int flags = r.u32("flags");
                return new ReqControl(opcode, srvid, clientId, flags, blob(r, "data"));
            }
            case CtdbHeader.REPLY_CONTROL: {
                int status = r.u32("status");
                long datalen = Integer.toUnsignedLong(r.u32("datalen"));
                long errorlen = Integer.toUnsignedLong(r.u32("errorlen"));
                Bytes data = Bytes.wrap(r.bytes(datalen, "data"));
                return new ReplyControl(status, data, Bytes.wrap(r.bytes(errorlen, "error")));
            }
            case CtdbHeader.REQ_KEEPALIVE:
                return new ReqKeepalive(r.u32("version"), r.u32("uptime"));
            case CtdbHeader.REQ_TUNNEL: {
                long tunnelId = r.u64("tunnel_id");
                int flags = r.u32("flags");
                return new ReqTunnel(tunnelId, flags, blob(r, "data"));
            }
            default:
                throw new BadPacketException("unknown operation " + Integer.toUnsignedString(operation));
        }
    }

    /** A u32 length followed by that many bytes. */
    private static Bytes blob(WireReader r, String field) throws BadPacketException {
        long n = Integer.toUnsignedLong(r.u32(field + " length"));
        return Bytes.wrap(r.bytes(n, field));
    }

    /** Encodes as ctdbd does: the header's length is ignored, the packet padded to 8 bytes. */
    public byte[] encode(CtdbHeader header, CtdbPacket packet) {
        return write(header, packet, -1);
    }

    /** Encodes with exactly the declared length of a decoded frame (zero-filled past the body). */
    public byte[] reencode(Frame frame) {
        return write(frame.header(), frame.packet(), frame.header().length());
    }

    private byte[] write(CtdbHeader header, CtdbPacket packet, int declared) {
        if (header.operation() != packet.operation()) {
            throw new IllegalArgumentException("header says " + CtdbHeader.operationName(header.operation())
                    + " but the body is " + CtdbHeader.operationName(packet.operation()));
        }
        // One array: the header with its length field patched once the body is written, then the padding.
        WireWriter w = new WireWriter(CtdbWire.HEADER_SIZE + 64);
        header.writeTo(w, 0);
        writeBody(packet, w);
        long natural = w.size();
        long length = declared < 0 ? CtdbWire.padded((int) Math.min(natural, Integer.MAX_VALUE - 8)) : declared;
        if (natural > Integer.MAX_VALUE - 8 || length < natural || length > maxPacketLength) {
            throw new IllegalArgumentException("cannot encode a " + natural + "-byte packet with length " + length
                    + " (maximum " + maxPacketLength + ")");
        }
        w.u32At(0, (int) length);
        w.zeros((int) (length - natural));
        return w.toByteArray();
    }

    private static void writeBody(CtdbPacket packet, WireWriter w) {
        if (packet instanceof ReqCall p) {
            w.u32(p.flags())
                    .u32(p.dbId())
                    .u32(p.callId())
                    .u32(p.hopcount())
                    .u32(p.key().length())
                    .u32(p.callData().length())
                    .bytes(p.key())
                    .bytes(p.callData());
        } else if (packet instanceof ReplyCall p) {
            w.u32(p.status()).u32(p.data().length()).bytes(p.data());
        } else if (packet instanceof ReqDmaster p) {
            w.u32(p.dbId())
                    .zeros(4)
                    .u64(p.rsn())
                    .u32(p.dmaster())
                    .u32(p.key().length())
                    .u32(p.data().length())
                    .bytes(p.key())
                    .bytes(p.data());
        } else if (packet instanceof ReplyDmaster p) {
            w.u32(p.dbId())
                    .zeros(4)
                    .u64(p.rsn())
                    .u32(p.key().length())
                    .u32(p.data().length())
                    .bytes(p.key())
                    .bytes(p.data());
        } else if (packet instanceof ReplyError p) {
            w.u32(p.status()).u32(p.msg().length()).bytes(p.msg());
        } else if (packet instanceof ReqMessage p) {
            w.u64(p.srvid()).u32(p.data().length()).bytes(p.data());
        } else if (packet instanceof ReqControl p) {
            w.u32(p.opcode())
                    .zeros(4)
                    .u64(p.srvid())
                    .u32(p.clientId())
                    .u32(p.flags())
                    .u32(p.data().length())
                    .bytes(p.data());
        } else if (packet instanceof ReplyControl p) {
            w.u32(p.status())
                    .u32(p.data().length())
                    .u32(p.error().length())
                    .bytes(p.data())
                    .bytes(p.error());
        } else if (packet instanceof ReqKeepalive p) {
            w.u32(p.version()).u32(p.uptime());
        } else if (packet instanceof ReqTunnel p) {
            w.u64(p.tunnelId()).u32(p.flags()).u32(p.data().length()).bytes(p.data());
        } else {
            throw new IllegalStateException("unhandled packet type " + packet.getClass());
        }
    }
}
