package org.jctdb.protocol.ctdb;

/**
 * SCHEDULE_FOR_DELETION request, ctdb_key_data: u32 db_id, 4 bytes padding, the record's
 * 24-byte {@link LtdbHeader}, u32 keylen, key.
 */
public record KeyData(int dbId, LtdbHeader header, Bytes key) {

    public static KeyData decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_key_data");
        int dbId = r.u32("db_id");
        r.skip(4, "padding");
        LtdbHeader h = LtdbHeader.read(r);
        long keylen = Integer.toUnsignedLong(r.u32("keylen"));
        Bytes key = Bytes.wrap(r.bytes(keylen, "key"));
        r.end();
        return new KeyData(dbId, h, key);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(36 + key.length());
        w.u32(dbId).zeros(4);
        header.write(w);
        w.u32(key.length()).bytes(key);
        return w.toByteArray();
    }
}
