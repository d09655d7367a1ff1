package org.jctdb.database;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    // the header's fields, little-endian as CTDB writes them (no ByteBuffer per record: on every migration's path)
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

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
        byte[] b = new byte[SIZE + data.length];
        I64.set(b, 0, rsn);
        I32.set(b, 8, dmaster);
        I32.set(b, 16, flags);
        System.arraycopy(data, 0, b, SIZE, data.length);
        return b;
    }

    public byte[] encode() {
        return encode(new byte[0]);
    }

    /** The header of a stored value. */
    public static LtdbHeader decode(byte[] stored) {
        requireHeader(stored);
        return new LtdbHeader((long) I64.get(stored, 0), (int) I32.get(stored, 8), (int) I32.get(stored, 16));
    }

    /** The data after the header of a stored value. */
    public static byte[] dataOf(byte[] stored) {
        requireHeader(stored);
        return Arrays.copyOfRange(stored, SIZE, stored.length);
    }

    private static void requireHeader(byte[] stored) {
        if (stored.length < SIZE) {
            throw new IllegalArgumentException("a CTDB record is at least " + SIZE + " bytes, got " + stored.length);
        }
    }

    public boolean has(int flag) {
        return (flags & flag) == flag;
    }
}
