package org.jctdb.protocol.ctdb;

import java.util.ArrayList;
import java.util.List;

/**
 * ctdb_rec_buffer (a "marshall buffer"): u32 db_id, u32 count, then count {@link RecData} back to
 * back. TRANS3_COMMIT carries one: every record's data is its new CTDB header and value, an
 * empty value meaning delete, and the database's sequence number record is among them.
 */
public record RecBuffer(int dbId, List<RecData> records) {
    public RecBuffer {
        records = List.copyOf(records);
    }

    public static RecBuffer decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_rec_buffer");
        int dbId = r.u32("db_id");
        int count = r.count("count", RecData.FIXED);
        List<RecData> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(RecData.read(r));
        }
        r.end();
        return new RecBuffer(dbId, records);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter();
        w.u32(dbId).u32(records.size());
        records.forEach(rec -> rec.write(w));
        return w.toByteArray();
    }
}
