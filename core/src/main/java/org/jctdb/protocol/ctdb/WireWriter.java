package org.jctdb.protocol.ctdb;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Appends host-order fields to a growing array. */
final class WireWriter {
    private byte[] buf;
    private int size;

    WireWriter() {
        this(64);
    }

    WireWriter(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    private ByteBuffer room(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
        ByteBuffer b = ByteBuffer.wrap(buf, size, n).order(CtdbWire.ORDER);
        size += n;
        return b;
    }

    WireWriter u8(int v) {
        room(1).put((byte) v);
        return this;
    }

    WireWriter u16(int v) {
        room(2).putShort((short) v);
        return this;
    }

    WireWriter u32(int v) {
        room(4).putInt(v);
        return this;
    }

    WireWriter u64(long v) {
        room(8).putLong(v);
        return this;
    }

    WireWriter bytes(byte[] b) {
        room(b.length).put(b);
        return this;
    }

    WireWriter bytes(Bytes b) {
        return bytes(b.array());
    }

    WireWriter zeros(int n) {
        room(n); // a fresh region of the array is already zero
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
