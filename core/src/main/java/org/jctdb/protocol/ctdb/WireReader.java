package org.jctdb.protocol.ctdb;

import java.nio.ByteBuffer;

/**
 * Reads host-order fields from a byte array, turning every overrun into a BadPacketException
 * that names the structure and field, so no decoder can throw an unchecked exception.
 */
final class WireReader {
    private final ByteBuffer buf;
    private final String what;

    WireReader(byte[] bytes, String what) {
        this(bytes, 0, bytes.length, what);
    }

    WireReader(byte[] bytes, int offset, int length, String what) {
        this.buf = ByteBuffer.wrap(bytes, offset, length).slice().order(CtdbWire.ORDER);
        this.what = what;
    }

    int remaining() {
        return buf.remaining();
    }

    int position() {
        return buf.position();
    }

    private void need(long n, String field) throws BadPacketException {
        if (n < 0 || n > buf.remaining()) {
            throw new BadPacketException(
                    what + ": " + field + " needs " + n + " bytes but only " + buf.remaining() + " remain");
        }
    }

    int u8(String field) throws BadPacketException {
        need(1, field);
        return buf.get() & 0xff;
    }

    int u16(String field) throws BadPacketException {
        need(2, field);
        return buf.getShort() & 0xffff;
    }

    int u32(String field) throws BadPacketException {
        need(4, field);
        return buf.getInt();
    }

    long u64(String field) throws BadPacketException {
        need(8, field);
        return buf.getLong();
    }

    /** A u32 count or length, checked to be at most what is left when each unit takes unitSize bytes. */
    int count(String field, int unitSize) throws BadPacketException {
        long n = Integer.toUnsignedLong(u32(field));
        if (n * unitSize > buf.remaining()) {
            throw new BadPacketException(
                    what + ": " + field + " of " + n + (unitSize == 1 ? " bytes" : " entries of " + unitSize + " bytes")
                            + " exceeds the " + buf.remaining() + " bytes that remain");
        }
        return (int) n;
    }

    byte[] bytes(long n, String field) throws BadPacketException {
        need(n, field);
        byte[] out = new byte[(int) n];
        buf.get(out);
        return out;
    }

    /** Structure padding: skipped, whatever it holds (CTDB never reads it either). */
    void skip(int n, String field) throws BadPacketException {
        need(n, field);
        buf.position(buf.position() + n);
    }

    void end() throws BadPacketException {
        if (buf.hasRemaining()) {
            throw new BadPacketException(what + ": " + buf.remaining() + " unexpected bytes after the last field");
        }
    }
}
