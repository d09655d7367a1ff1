package org.jctdb.cli.ctdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.RecBuffer;
import org.jctdb.protocol.ctdb.RecData;

/**
 * The file `ctdb backupdb` writes and `ctdb restoredb` reads (CTDB 4.17, 64-bit Linux, host byte
 * order), so backups move between CTDB and JCTDB:
 * <ul>
 * <li>a 104-byte header, C's struct of five unsigned longs and a name: u64 version (3), i64 time
 * of the backup (seconds since the epoch), u64 database flags (CTDB_DB_FLAGS_*), u64 number of
 * buffers, u64 number of records, 64 bytes of NUL-padded database name;</li>
 * <li>then each buffer: u32 db_id, u32 record count, u64 length of what follows, and that many
 * bytes of ctdb_rec_data entries whose data is the record's CTDB header and value.</li>
 * </ul>
 * The ctdb tool starts a new buffer once one reaches 100,000 bytes; it leaves db_id unset, so a
 * reader must not rely on it.
 */
public record BackupFile(long timestamp, int flags, String name, List<RecBuffer> buffers) {
    public static final long VERSION = 3;
    public static final int HEADER_SIZE = 5 * 8 + 64;
    public static final int MAX_NAME = 64;
    /** Where the ctdb tool closes a buffer. */
    public static final int BUFFER_LIMIT = 100 * 1000;

    public BackupFile {
        buffers = List.copyOf(buffers);
    }

    /** The records split into buffers as the ctdb tool splits them. */
    public static BackupFile of(long timestamp, int flags, String name, int dbId, List<RecData> records) {
        List<RecBuffer> buffers = new ArrayList<>();
        List<RecData> current = new ArrayList<>();
        int size = 8;
        for (RecData r : records) {
            current.add(r);
            size += r.encode().length;
            if (size >= BUFFER_LIMIT) {
                buffers.add(new RecBuffer(dbId, current));
                current = new ArrayList<>();
                size = 8;
            }
        }
        if (!current.isEmpty()) {
            buffers.add(new RecBuffer(dbId, current));
        }
        return new BackupFile(timestamp, flags, name, buffers);
    }

    public List<RecData> records() {
        List<RecData> all = new ArrayList<>();
        buffers.forEach(b -> all.addAll(b.records()));
        return all;
    }

    public byte[] encode() {
        List<byte[]> bodies = new ArrayList<>();
        int total = HEADER_SIZE;
        for (RecBuffer b : buffers) {
            byte[] all = b.encode();
            bodies.add(all);
            total += 16 + all.length - 8;
        }
        ByteBuffer out = ByteBuffer.allocate(total).order(CtdbWire.ORDER);
        out.putLong(VERSION)
                .putLong(timestamp)
                .putLong(flags & 0xffL)
                .putLong(buffers.size())
                .putLong(records().size());
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        out.put(Arrays.copyOf(n, MAX_NAME - 1)).put((byte) 0);
        for (byte[] all : bodies) {
            // RecBuffer.encode() is db_id, count, records: the file puts a u64 length after count.
            out.put(all, 0, 8).putLong(all.length - 8).put(all, 8, all.length - 8);
        }
        return out.array();
    }

    /** Thrown with the ctdb tool's words for a file it would refuse. */
    public static final class BadBackupException extends IOException {
        private static final long serialVersionUID = 1L;

        BadBackupException(String message) {
            super(message);
        }
    }

    public static BackupFile decode(byte[] file) throws BadBackupException {
        ByteBuffer in = ByteBuffer.wrap(file).order(CtdbWire.ORDER);
        if (file.length < HEADER_SIZE) {
            throw new BadBackupException("Failed to read db header: the file has " + file.length + " bytes");
        }
        long version = in.getLong();
        if (version != VERSION) {
            throw new BadBackupException(
                    "Wrong version of backup file, expected " + VERSION + ", got " + Long.toUnsignedString(version));
        }
        long timestamp = in.getLong();
        int flags = (int) (in.getLong() & 0xff);
        long nbuf = in.getLong();
        in.getLong(); // the record count, checked against the buffers below only by the reader's needs
        byte[] rawName = new byte[MAX_NAME];
        in.get(rawName);
        int len = 0;
        while (len < MAX_NAME - 1 && rawName[len] != 0) {
            len++;
        }
        String name = new String(rawName, 0, len, StandardCharsets.UTF_8);
        List<RecBuffer> buffers = new ArrayList<>();
        for (long i = 0; i < nbuf; i++) {
            if (in.remaining() < 16) {
                throw new BadBackupException("Failed to read records: buffer " + i + " is cut short");
            }
            int dbId = in.getInt();
            int count = in.getInt();
            long length = in.getLong();
            if (length < 0 || length > in.remaining()) {
                throw new BadBackupException("Failed to read records: buffer " + i + " claims " + length + " bytes");
            }
            byte[] all = new byte[(int) length + 8];
            ByteBuffer.wrap(all).order(CtdbWire.ORDER).putInt(dbId).putInt(count);
            in.get(all, 8, (int) length);
            try {
                buffers.add(RecBuffer.decode(all));
            } catch (BadPacketException e) {
                throw new BadBackupException("Failed to read records: " + e.getMessage());
            }
        }
        return new BackupFile(timestamp, flags, name, buffers);
    }
}
