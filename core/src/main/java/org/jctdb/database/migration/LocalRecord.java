package org.jctdb.database.migration;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jctdb.database.LtdbHeader;

/** One node's copy of a record: CTDB header and the data after it. */
public record LocalRecord(LtdbHeader header, byte[] data) {

    public LocalRecord {
        Objects.requireNonNull(header, "header");
        data = Arrays.copyOf(data, data.length); // not clone(): see RecordKey
    }

    @Override
    public byte[] data() {
        return Arrays.copyOf(data, data.length);
    }

    public boolean isEmpty() {
        return data.length == 0;
    }

    public LocalRecord withHeader(LtdbHeader h) {
        return new LocalRecord(h, data);
    }

    /** What CTDB assumes for a record a node does not have: rsn 0, its lmaster is its dmaster. */
    public static LocalRecord initial(int lmaster) {
        return new LocalRecord(new LtdbHeader(0, lmaster, LtdbHeader.FLAG_AUTOMATIC), new byte[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LocalRecord r && header.equals(r.header) && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LocalRecord[rsn=" + header.rsn() + ", dmaster=" + header.dmaster() + ", flags=0x"
                + Integer.toHexString(header.flags()) + ", data="
                + HexFormat.of().formatHex(data) + "]";
    }
}
