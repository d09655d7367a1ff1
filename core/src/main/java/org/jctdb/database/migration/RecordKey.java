package org.jctdb.database.migration;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.jctdb.database.JenkinsHash;

/** A record's key with value semantics (byte arrays compare by identity), ordered for stable iteration. */
public record RecordKey(byte[] bytes) implements Comparable<RecordKey> {

    public RecordKey {
        // copyOf, not clone(): the daemon's C1 JIT (Java 17) calls into the VM for every array clone
        bytes = Arrays.copyOf(bytes, bytes.length);
    }

    public static RecordKey of(String s) {
        return new RecordKey(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    /** CTDB's ctdb_hash of the key: tdb's Jenkins hash, as an unsigned 32-bit value. */
    public long hash() {
        return Integer.toUnsignedLong(JenkinsHash.hash(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(RecordKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
