package org.jctdb.protocol.ctdb;

/**
 * TRAVERSE_START (and TRAVERSE_KILL) request: u32 db_id, u32 reqid, u64 srvid: 16 bytes. The
 * daemon sends each record as a REQ_MESSAGE to srvid whose data is a {@link RecData} carrying
 * reqid, and ends with a RecData with empty key and data.
 */
public record TraverseStart(int dbId, int reqid, long srvid) {
    public static final int SIZE = 16;

    public static TraverseStart decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_traverse_start");
        TraverseStart t = new TraverseStart(r.u32("db_id"), r.u32("reqid"), r.u64("srvid"));
        r.end();
        return t;
    }

    public byte[] encode() {
        return new WireWriter(SIZE).u32(dbId).u32(reqid).u64(srvid).toByteArray();
    }
}
