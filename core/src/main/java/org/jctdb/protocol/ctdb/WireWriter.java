package org.jctdb.protocol.ctdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/** Appends host-order fields to a growing array (no buffer object per field: this is on every packet's path). */
final class WireWriter {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, CtdbWire.ORDER);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, CtdbWire.ORDER);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, CtdbWire.ORDER);

    private byte[] buf;
    private int size;

    WireWriter() {
        this(64);
    }

    WireWriter(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    /** Makes room for {@code n} more bytes and returns where they start. */
    private int room(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
        int at = size;
        size += n;
        return at;
    }

    WireWriter u8(int v) {
        int at = room(1); // before reading buf: room may replace it
        buf[at] = (byte) v;
        return this;
    }

    WireWriter u16(int v) {
        int at = room(2);
        U16.set(buf, at, (short) v);
        return this;
    }

    WireWriter u32(int v) {
        int at = room(4);
        U32.set(buf, at, v);
        return this;
    }

    /** Overwrites the u32 at {@code at}, written before (a length known only at the end). */
    WireWriter u32At(int at, int v) {
        if (at < 0 || at + 4 > size) {
            throw new IndexOutOfBoundsException("u32 at " + at + " of " + size + " bytes written");
        }
        U32.set(buf, at, v);
        return this;
    }

    WireWriter u64(long v) {
        int at = room(8);
        U64.set(buf, at, v);
        return this;
    }

    WireWriter bytes(byte[] b) {
        int at = room(b.length);
        System.arraycopy(b, 0, buf, at, b.length);
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

    /** The bytes written (the array itself when it is exactly full: write nothing more after this). */
    byte[] toByteArray() {
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }
}
