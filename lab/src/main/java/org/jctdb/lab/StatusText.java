package org.jctdb.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses what a node answers, in CTDB 4.17's formats (JCTDB prints the same): `status` (the
 * node's own flags on its "(THIS NODE)" line and the "Leader:" / "Recovery master:" line),
 * `-X ip`, and JCTDB's `health` table. Pure.
 */
public final class StatusText {
    /** Flags in the order they win when several are set; OK when none. */
    private static final List<String> ORDER =
            List.of("DISCONNECTED", "BANNED", "STOPPED", "DISABLED", "UNHEALTHY", "INACTIVE", "UNKNOWN");

    /** A node's own flags (one word) and the leader it names (-1 when unknown). */
    public record Self(String status, int leader) {}

    private StatusText() {}

    public static Optional<Self> status(String text) {
        String status = null;
        int leader = -1;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("pnn:") && l.endsWith("(THIS NODE)")) {
                String[] f = l.split("\\s+");
                status = f.length >= 3 ? word(f[2]) : "UNKNOWN";
            } else if (l.startsWith("Leader:") || l.startsWith("Recovery master:")) {
                leader = number(l.substring(l.indexOf(':') + 1).strip());
            }
        }
        return status == null ? Optional.empty() : Optional.of(new Self(status, leader));
    }

    /** "OK", or the strongest of the set flags ("UNHEALTHY|DISABLED" gives DISABLED). */
    static String word(String flags) {
        if (flags.equals("OK")) {
            return "OK";
        }
        List<String> set = List.of(flags.split("\\|"));
        return ORDER.stream().filter(set::contains).findFirst().orElse("UNKNOWN");
    }

    /** `-X ip` ("|Public IP|Node|" then "|IP|PNN|" lines): address to hosting node, -1 unassigned. */
    public static Map<String, Integer> ipTable(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length >= 3 && !f[1].equals("Public IP") && f[1].matches("[0-9a-fA-F.:]+")) {
                out.put(f[1], number(f[2]));
            }
        }
        return out;
    }

    /** The most hung probes on one path in JCTDB's `health` table (column "Hung"); 0 when none. */
    public static int hungProbes(String text) {
        int col = -1;
        int most = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String[] f = line.strip().split("\\s+");
            if (col < 0) {
                col = List.of(f).indexOf("Hung");
            } else if (f.length > col) {
                most = Math.max(most, Math.max(0, number(f[col])));
            }
        }
        return most;
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
