package org.jctdb.protocol.ctdb;

/**
 * TRAVERSE_START_EXT request (what the ctdb tool's catdb sends): u32 db_id, u32 reqid, u64 srvid,
 * u8 withemptyrecords (0 or 1), 7 bytes padding: 24 bytes.
 */
public record TraverseStartExt(int dbId, int reqid, long srvid, boolean withEmptyRecords) {
    public static final int SIZE = 24;

    public static TraverseStartExt decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_traverse_start_ext");
        int dbId = r.u32("db_id");
        int reqid = r.u32("reqid");
        long srvid = r.u64("srvid");
        int b = r.u8("withemptyrecords");
        if (b > 1) {
            throw new BadPacketException("ctdb_traverse_start_ext: withemptyrecords is " + b + ", not 0 or 1");
        }
        r.skip(7, "padding");
        r.end();
        return new TraverseStartExt(dbId, reqid, srvid, b == 1);
    }

    public byte[] encode() {
        return new WireWriter(SIZE)
                .u32(dbId)
                .u32(reqid)
                .u64(srvid)
                .u8(withEmptyRecords ? 1 : 0)
                .zeros(7)
                .toByteArray();
    }
}
