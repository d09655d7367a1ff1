package org.jctdb.protocol.ctdb;

/**
 * The 24-byte header CTDB puts in front of every record value in its TDB files and in record
 * data on the wire: u64 rsn, u32 dmaster, u32 reserved, u32 flags, 4 bytes padding.
 */
public record LtdbHeader(long rsn, int dmaster, int reserved1, int flags) {
    public static final int SIZE = 24;

    public static LtdbHeader of(long rsn, int dmaster, int flags) {
        return new LtdbHeader(rsn, dmaster, 0, flags);
    }

    static LtdbHeader read(WireReader r) throws BadPacketException {
        LtdbHeader h = new LtdbHeader(r.u64("rsn"), r.u32("dmaster"), r.u32("reserved1"), r.u32("flags"));
        r.skip(4, "padding");
        return h;
    }

    void write(WireWriter w) {
        w.u64(rsn).u32(dmaster).u32(reserved1).u32(flags).zeros(4);
    }

    public static LtdbHeader decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_ltdb_header");
        LtdbHeader h = read(r);
        r.end();
        return h;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(SIZE);
        write(w);
        return w.toByteArray();
    }
}
