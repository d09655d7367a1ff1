package org.jctdb.protocol.ctdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string (keys, record data, control payloads), so packet records compare by value. */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Bytes of(byte[] bytes) {
        // copyOf, not clone(): the daemon's C1 JIT (Java 17) calls into the VM for every array clone
        return bytes.length == 0 ? EMPTY : new Bytes(Arrays.copyOf(bytes, bytes.length));
    }

    /** The string's bytes in UTF-8, without a terminating NUL. */
    public static Bytes ofUtf8(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    public static Bytes fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** Takes ownership of the array: only for arrays nobody else holds. */
    static Bytes wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public byte[] toArray() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    /** For writers in this package that only read the array. */
    byte[] array() {
        return bytes;
    }

    public String toUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String hex = bytes.length <= 32 ? toHex() : HexFormat.of().formatHex(bytes, 0, 32) + "...";
        return "Bytes[" + bytes.length + ":" + hex + "]";
    }
}
