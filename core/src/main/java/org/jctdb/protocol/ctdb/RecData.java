package org.jctdb.protocol.ctdb;

import java.util.Arrays;

/**
 * ctdb_rec_data, one record: u32 length (of the whole entry, these 16 bytes included), u32 reqid,
 * u32 keylen, u32 datalen, key, data. Where a record travels with its CTDB header (traverse
 * messages, TRANS3_COMMIT, recovery) the data starts with the 24-byte {@link LtdbHeader}.
 */
public record RecData(int reqid, Bytes key, Bytes data) {
    static final int FIXED = 16;

    /** A record whose data is the CTDB header followed by the value. */
    public static RecData withHeader(int reqid, Bytes key, LtdbHeader header, Bytes value) {
        WireWriter w = new WireWriter(LtdbHeader.SIZE + value.length());
        header.write(w);
        w.bytes(value);
        return new RecData(reqid, key, Bytes.wrap(w.toByteArray()));
    }

    /** The CTDB header at the start of data. */
    public LtdbHeader header() throws BadPacketException {
        if (data.length() < LtdbHeader.SIZE) {
            throw new BadPacketException("ctdb_rec_data: " + data.length() + " bytes of data hold no " + LtdbHeader.SIZE
                    + "-byte record header");
        }
        return LtdbHeader.read(new WireReader(data.array(), 0, LtdbHeader.SIZE, "ctdb_ltdb_header"));
    }

    /** The data after the CTDB header. */
    public Bytes value() throws BadPacketException {
        header();
        return Bytes.wrap(Arrays.copyOfRange(data.array(), LtdbHeader.SIZE, data.length()));
    }

    int wireSize() {
        return FIXED + key.length() + data.length();
    }

    static RecData read(WireReader r) throws BadPacketException {
        long length = Integer.toUnsignedLong(r.u32("length"));
        int reqid = r.u32("reqid");
        long keylen = Integer.toUnsignedLong(r.u32("keylen"));
        long datalen = Integer.toUnsignedLong(r.u32("datalen"));
        if (length != FIXED + keylen + datalen) {
            throw new BadPacketException("ctdb_rec_data: length " + length + " does not match 16 + keylen " + keylen
                    + " + datalen " + datalen);
        }
        Bytes key = Bytes.wrap(r.bytes(keylen, "key"));
        return new RecData(reqid, key, Bytes.wrap(r.bytes(datalen, "data")));
    }

    void write(WireWriter w) {
        w.u32(wireSize())
                .u32(reqid)
                .u32(key.length())
                .u32(data.length())
                .bytes(key)
                .bytes(data);
    }

    /** A traverse message's payload, or TRAVERSE_DATA's: exactly one record. */
    public static RecData decode(byte[] bytes) throws BadPacketException {
        WireReader r = new WireReader(bytes, "ctdb_rec_data");
        RecData d = read(r);
        r.end();
        return d;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(wireSize());
        write(w);
        return w.toByteArray();
    }
}
