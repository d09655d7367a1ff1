package org.jctdb.protocol.ctdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The scalar and string payloads of controls:
 * <ul>
 * <li>u32: the db_id of GETDBPATH, GET_DBNAME, ENABLE_SEQNUM, DB_OPEN_FLAGS, SET_DB_READONLY,
 *     DB_GET_HEALTH, GET_DB_STATISTICS; PROCESS_EXISTS' pid; the reply of DB_ATTACH* (the db_id),
 *     GET_CAPABILITIES, GET_RUNSTATE, GET_TUNABLE, DB_OPEN_FLAGS (the tdb flags).</li>
 * <li>u64: the GET_DB_SEQNUM reply.</li>
 * <li>C string (bytes and a NUL, no length): DB_ATTACH* request (database name), GETDBPATH and
 *     GET_DBNAME replies, DB_GET_HEALTH reply (empty data when healthy).</li>
 * <li>u32 length + C string: GET_TUNABLE request; LIST_TUNABLES reply (names joined with ':').</li>
 * <li>GET_DB_SEQNUM request: u32 db_id and 4 bytes of padding.</li>
 * </ul>
 * Controls like GET_PNN, GET_RECMODE and PROCESS_EXISTS answer in the reply's status, not its data.
 */
public final class ControlData {
    private ControlData() {}

    public static byte[] u32(int v) {
        return new WireWriter(4).u32(v).toByteArray();
    }

    public static int decodeU32(byte[] data, String what) throws BadPacketException {
        WireReader r = new WireReader(data, what);
        int v = r.u32("value");
        r.end();
        return v;
    }

    public static byte[] u64(long v) {
        return new WireWriter(8).u64(v).toByteArray();
    }

    public static long decodeU64(byte[] data, String what) throws BadPacketException {
        WireReader r = new WireReader(data, what);
        long v = r.u64("value");
        r.end();
        return v;
    }

    public static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** A payload that is one NUL-terminated string with no NUL inside. */
    public static String decodeCString(byte[] data, String what) throws BadPacketException {
        if (data.length == 0 || data[data.length - 1] != 0) {
            throw new BadPacketException(what + ": string of " + data.length + " bytes is not NUL-terminated");
        }
        for (int i = 0; i < data.length - 1; i++) {
            if (data[i] == 0) {
                throw new BadPacketException(what + ": NUL at byte " + i + " inside a " + data.length + "-byte string");
            }
        }
        return new String(data, 0, data.length - 1, StandardCharsets.UTF_8);
    }

    static String readStringN(WireReader r, String field) throws BadPacketException {
        int len = r.count(field + " length", 1);
        return decodeCString(r.bytes(len, field), field);
    }

    static void writeStringN(WireWriter w, String s) {
        byte[] b = cString(s);
        w.u32(b.length).bytes(b);
    }

    public static byte[] stringN(String s) {
        WireWriter w = new WireWriter();
        writeStringN(w, s);
        return w.toByteArray();
    }

    public static String decodeStringN(byte[] data, String what) throws BadPacketException {
        WireReader r = new WireReader(data, what);
        String s = readStringN(r, "string");
        r.end();
        return s;
    }

    /** LIST_TUNABLES reply. */
    public static byte[] tunableNames(List<String> names) {
        return stringN(String.join(":", names));
    }

    public static List<String> decodeTunableNames(byte[] data) throws BadPacketException {
        String all = decodeStringN(data, "ctdb_var_list");
        return all.isEmpty() ? List.of() : List.of(all.split(":", -1));
    }

    /** GET_DB_SEQNUM request. */
    public static byte[] dbSeqnumRequest(int dbId) {
        return new WireWriter(8).u32(dbId).zeros(4).toByteArray();
    }

    public static int decodeDbSeqnumRequest(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "GET_DB_SEQNUM request");
        int dbId = r.u32("db_id");
        r.skip(4, "padding");
        r.end();
        return dbId;
    }
}
