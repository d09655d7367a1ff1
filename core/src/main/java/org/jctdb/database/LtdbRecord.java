package org.jctdb.database;

import java.util.Arrays;
import java.util.HexFormat;

/** A record of a CTDB database: key, CTDB header and the data after it. */
public record LtdbRecord(byte[] key, LtdbHeader header, byte[] data) {

    /** Splits a stored value into header and data. */
    public static LtdbRecord parse(byte[] key, byte[] stored) {
        return new LtdbRecord(key, LtdbHeader.decode(stored), LtdbHeader.dataOf(stored));
    }

    public byte[] stored() {
        return header.encode(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LtdbRecord r
                && Arrays.equals(key, r.key)
                && header.equals(r.header)
                && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + header.hashCode()) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "LtdbRecord[key=" + hex.formatHex(key) + ", " + header + ", data=" + hex.formatHex(data) + "]";
    }
}
