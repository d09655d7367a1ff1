package org.jctdb.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.LtdbHeader;

/** CTDB 4.17's output of its database commands (ctdb/tools/ctdb.c), as pure functions. */
final class DatabaseFormat {
    private DatabaseFormat() {}

    /** One line of getdbmap: the id, name, path, flags and whether DB_GET_HEALTH gave a reason. */
    record DbRow(int id, String name, String path, int flags, boolean unhealthy) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** CTDB's record flags (ctdb/protocol/protocol.h) in the order ctdb prints their names. */
    private static final int[] FLAG_BITS = {
        0x00010000, 0x00020000, 0x00040000, 0x01000000, 0x02000000, 0x04000000, 0x08000000, 0x00000001, 0x00000002
    };

    private static final String[] FLAG_NAMES = {
        "MIGRATED_WITH_DATA",
        "VACUUM_MIGRATED",
        "AUTOMATIC",
        "RO_HAVE_DELEGATIONS",
        "RO_HAVE_READONLY",
        "RO_REVOKING_READONLY",
        "RO_REVOKE_COMPLETE",
        "PERSISTENT",
        "PERSISTENT_IN_PROGRESS"
    };

    static String dbmap(List<DbRow> rows, OutputStyle style) {
        StringBuilder b = new StringBuilder();
        if (style.machine()) {
            b.append(style.row("ID", "Name", "Path", "Persistent", "Sticky", "Unhealthy", "Readonly", "Replicated"));
            for (DbRow r : rows) {
                b.append(style.row(
                        String.format("0x%08X", r.id()),
                        r.name(),
                        r.path(),
                        bit(r.has(CtdbWire.DB_FLAGS_PERSISTENT)),
                        bit(r.has(CtdbWire.DB_FLAGS_STICKY)),
                        bit(r.unhealthy()),
                        bit(r.has(CtdbWire.DB_FLAGS_READONLY)),
                        bit(r.has(CtdbWire.DB_FLAGS_REPLICATED))));
            }
            return b.toString();
        }
        b.append("Number of databases:").append(rows.size()).append('\n');
        for (DbRow r : rows) {
            b.append(String.format("dbid:0x%08x name:%s path:%s", r.id(), r.name(), r.path()));
            b.append(r.has(CtdbWire.DB_FLAGS_PERSISTENT) ? " PERSISTENT" : "");
            b.append(r.has(CtdbWire.DB_FLAGS_STICKY) ? " STICKY" : "");
            b.append(r.has(CtdbWire.DB_FLAGS_READONLY) ? " READONLY" : "");
            b.append(r.has(CtdbWire.DB_FLAGS_REPLICATED) ? " REPLICATED" : "");
            b.append(r.unhealthy() ? " UNHEALTHY" : "");
            b.append('\n');
        }
        return b.toString();
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    static String dbstatus(int id, String name, String path, int flags, Optional<String> health) {
        return String.format("dbid: 0x%08x%nname: %s%npath: %s%n", id, name, path)
                + "PERSISTENT: " + yesNo(flags, CtdbWire.DB_FLAGS_PERSISTENT) + "\n"
                + "REPLICATED: " + yesNo(flags, CtdbWire.DB_FLAGS_REPLICATED) + "\n"
                + "STICKY: " + yesNo(flags, CtdbWire.DB_FLAGS_STICKY) + "\n"
                + "READONLY: " + yesNo(flags, CtdbWire.DB_FLAGS_READONLY) + "\n"
                + "HEALTH: " + health.orElse("OK") + "\n";
    }

    private static String yesNo(int flags, int flag) {
        return (flags & flag) != 0 ? "yes" : "no";
    }

    /** {@code NAME(LEN) = "..."}: printable ASCII as is except '"' and '\', every other byte as \XX. */
    static String tdbData(String name, Bytes value) {
        byte[] v = value.toArray();
        StringBuilder b = new StringBuilder(name).append('(').append(v.length).append(") = \"");
        for (byte x : v) {
            int c = x & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
                b.append((char) c);
            } else {
                b.append(String.format("\\%02X", c));
            }
        }
        return b.append("\"\n").toString();
    }

    static String ltdbHeader(LtdbHeader h) {
        StringBuilder b = new StringBuilder();
        b.append("dmaster: ").append(Integer.toUnsignedString(h.dmaster())).append('\n');
        b.append("rsn: ").append(Long.toUnsignedString(h.rsn())).append('\n');
        b.append(String.format("flags: 0x%08x", h.flags()));
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((h.flags() & FLAG_BITS[i]) != 0) {
                b.append(' ').append(FLAG_NAMES[i]);
            }
        }
        return b.append('\n').toString();
    }

    /** One record of catdb and cattdb, followed by an empty line. */
    static String record(Bytes key, LtdbHeader header, Bytes value) {
        return tdbData("key", key) + ltdbHeader(header) + tdbData("data", value) + "\n";
    }

    /** catdb's last line; cattdb says "record(s)". */
    static String dumped(int count, boolean local) {
        return "Dumped " + count + (local ? " record(s)\n" : " records\n");
    }

    /** readkey: {@code Data: size:N ptr:[...]}, the data printed as C's %.*s does (up to a NUL). */
    static String readkey(Bytes value) {
        return "Data: size:" + value.length() + " ptr:[" + cString(value) + "]\n";
    }

    /** pfetch: the value as C's %.*s prints it, then a newline. */
    static String pfetch(Bytes value) {
        return cString(value) + "\n";
    }

    static String seqnum(long seqnum) {
        return "0x" + Long.toHexString(seqnum) + "\n";
    }

    /** The bytes before the first NUL, decoded as UTF-8. */
    static String cString(Bytes value) {
        byte[] v = value.toArray();
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.UTF_8);
    }

    /** Thrown by {@link #parseData} with ctdb's message for a bad "0x..." argument. */
    static final class BadDataException extends Exception {
        private static final long serialVersionUID = 1L;

        BadDataException(String message) {
            super(message);
        }
    }

    /**
     * A key or value argument as ctdb reads it: "0x" followed by an even number of hex digits is
     * those bytes, anything else the string's own bytes (no NUL).
     */
    static Bytes parseData(String arg) throws BadDataException {
        return parseData(arg, "");
    }

    /**
     * {@link #parseData(String)} for a string cut from a longer line: ctdb's messages print the
     * text from the bad spot to the end of the line ({@code tail} is what follows {@code arg}).
     */
    static Bytes parseData(String arg, String tail) throws BadDataException {
        if (!arg.startsWith("0x")) {
            return Bytes.ofUtf8(arg);
        }
        String hex = arg.substring(2);
        if ((hex.length() & 1) != 0) {
            throw new BadDataException("Key (" + hex + tail + ") contains odd number of hex digits");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new BadDataException("Invalid hex: " + hex.substring(2 * i) + tail);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return Bytes.of(out);
    }
}
