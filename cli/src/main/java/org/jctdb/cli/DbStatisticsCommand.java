package org.jctdb.cli;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import org.jctdb.cli.ctdb.CtdbDatabases;
import org.jctdb.protocol.ctdb.CtdbWire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** dbstatistics DB as ctdb 4.17: GET_DB_STATISTICS of the node, printed in ctdb's layout. */
@Command(name = "dbstatistics", description = "Show a database's statistics: lock waits, hop counts, hot keys.")
final class DbStatisticsCommand extends DatabaseCommands.DbCommand {
    private static final int BUCKETS = 16;
    private static final int HOT_KEYS = 10;

    @Parameters(paramLabel = "DB")
    String db;

    @Override
    int run(CtdbDatabases dbs) throws IOException {
        Optional<String> text =
                query(dbs, db, "Failed to get statistics for DB ", d -> format(d.name(), dbs.dbStatistics(d.id())));
        text.ifPresent(out()::print);
        return text.isPresent() ? 0 : 1;
    }

    /** struct ctdb_db_statistics (ctdb 4.17, 64-bit) as ctdb's print_dbstatistics shows it. */
    static String format(String name, byte[] wire) {
        ByteBuffer b = ByteBuffer.wrap(wire).order(CtdbWire.ORDER);
        try {
            long[] locks = {u32(b), u32(b), u32(b), u32(b)};
            double[] lockLatency = latency(b);
            long[] lockBuckets = u32s(b, BUCKETS);
            double[] vacuumLatency = latency(b);
            long delegations = u32(b);
            long revokes = u32(b);
            long[] hops = u32s(b, BUCKETS);
            long slots = u32(b);
            b.getInt();
            if (slots > HOT_KEYS) {
                throw new IllegalArgumentException("GET_DB_STATISTICS reply: " + slots + " hot keys");
            }
            long[] counts = new long[HOT_KEYS];
            long[] sizes = new long[HOT_KEYS];
            for (int i = 0; i < HOT_KEYS; i++) {
                counts[i] = b.getInt();
                b.getInt();
                b.getLong(); // a pointer in the sender's memory
                sizes[i] = b.getLong();
                if (sizes[i] < 0 || sizes[i] > wire.length) {
                    throw new IllegalArgumentException("GET_DB_STATISTICS reply: a hot key of " + sizes[i] + " bytes");
                }
            }
            StringBuilder out = new StringBuilder("DB Statistics ").append(name).append('\n');
            row(out, "db_ro_delegations", delegations);
            row(out, "db_ro_revokes", revokes);
            out.append(" locks\n");
            String[] lockNames = {"num_calls", "num_current", "num_pending", "num_failed"};
            for (int i = 0; i < 4; i++) {
                out.append(String.format(Locale.ROOT, "     %-22s%10d%n", lockNames[i], locks[i]));
            }
            buckets(out, " hop_count_buckets:", hops);
            buckets(out, " lock_buckets:", lockBuckets);
            latencyRow(out, "locks_latency      MIN/AVG/MAX", lockLatency);
            latencyRow(out, "vacuum_latency     MIN/AVG/MAX", vacuumLatency);
            out.append(String.format(Locale.ROOT, " Num Hot Keys:     %d%n", slots));
            for (int i = 0; i < HOT_KEYS; i++) {
                byte[] key = new byte[(int) sizes[i]];
                b.get(key);
                if (i >= slots) {
                    continue;
                }
                out.append("     Count:").append(counts[i]).append(" Key:");
                for (byte x : key) {
                    out.append(String.format(Locale.ROOT, "%02x", x & 0xff));
                }
                out.append('\n');
            }
            return out.toString();
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("GET_DB_STATISTICS reply: cut short at " + wire.length + " bytes", e);
        }
    }

    private static long u32(ByteBuffer b) {
        return Integer.toUnsignedLong(b.getInt());
    }

    private static long[] u32s(ByteBuffer b, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = u32(b);
        }
        return v;
    }

    /** num, min, avg, max of a struct ctdb_latency_counter (num, padding, min, max, total). */
    private static double[] latency(ByteBuffer b) {
        int num = b.getInt();
        b.getInt();
        double min = b.getDouble();
        double max = b.getDouble();
        double total = b.getDouble();
        return new double[] {num, min, num == 0 ? 0.0 : total / num, max};
    }

    private static void row(StringBuilder out, String name, long value) {
        out.append(String.format(Locale.ROOT, " %-22s    %10d%n", name, value));
    }

    private static void buckets(StringBuilder out, String label, long[] values) {
        out.append(label);
        for (long v : values) {
            out.append(' ').append(v);
        }
        out.append('\n');
    }

    private static void latencyRow(StringBuilder out, String label, double[] l) {
        out.append(String.format(
                Locale.ROOT, " %-30s     %.6f/%.6f/%.6f sec out of %d%n", label, l[1], l[2], l[3], (long) l[0]));
    }
}
