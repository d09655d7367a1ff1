package org.jctdb.database;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * CTDB's per-record header (struct ctdb_ltdb_header): u64 rsn, u32 dmaster, u32 reserved,
 * u32 flags, u32 padding to 8 bytes = 24 bytes, in host order (little-endian on x86_64),
 * in front of the record's data in every CTDB database file. Reserved words are written as 0
 * and ignored on read.
 */
public record LtdbHeader(long rsn, int dmaster, int flags) {

    public static final int SIZE = 24;

    /** Record flags (ctdb/protocol/protocol.h). */
    public static final int FLAG_DEFAULT = 0;

    public static final int FLAG_MIGRATED_WITH_DATA = 0x00010000;
    public static final int FLAG_VACUUM_MIGRATED = 0x00020000;
    public static final int FLAG_AUTOMATIC = 0x00040000;
    public static final int RO_HAVE_DELEGATIONS = 0x01000000;
    public static final int RO_HAVE_READONLY = 0x02000000;
    public static final int RO_REVOKING_READONLY = 0x04000000;
    public static final int RO_REVOKE_COMPLETE = 0x08000000;
    public static final int RO_FLAGS =
            RO_HAVE_DELEGATIONS | RO_HAVE_READONLY | RO_REVOKING_READONLY | RO_REVOKE_COMPLETE;

    /** The 24 header bytes followed by {@code data}: what the TDB file stores. */
    public byte[] encode(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(SIZE + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(rsn).putInt(dmaster).putInt(0).putInt(flags).putInt(0).put(data);
        return b.array();
    }

    public byte[] encode() {
        return encode(new byte[0]);
    }

    /** The header of a stored value. */
    public static LtdbHeader decode(byte[] stored) {
        if (stored.length < SIZE) {
            throw new IllegalArgumentException("a CTDB record is at least " + SIZE + " bytes, got " + stored.length);
        }
        ByteBuffer b = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
        long rsn = b.getLong(0);
        int dmaster = b.getInt(8);
        int flags = b.getInt(16);
        return new LtdbHeader(rsn, dmaster, flags);
    }

    /** The data after the header of a stored value. */
    public static byte[] dataOf(byte[] stored) {
        decode(stored);
        return Arrays.copyOfRange(stored, SIZE, stored.length);
    }

    public boolean has(int flag) {
        return (flags & flag) == flag;
    }
}
