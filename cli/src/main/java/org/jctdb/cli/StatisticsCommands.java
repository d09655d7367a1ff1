package org.jctdb.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jctdb.control.Statistics;
import picocli.CommandLine.Command;

/** statistics and statisticsreset, in ctdb 4.17's layout (human and -X). */
final class StatisticsCommands {
    private StatisticsCommands() {}

    @Command(name = "statistics", description = "Show what the daemon has done since it started or statisticsreset.")
    static final class Show extends DaemonCommand {
        @Override
        public Integer call() {
            Statistics s = api().statistics();
            if (style().json()) {
                printJson(s);
            } else if (style().machine()) {
                out().print(machine(s, style().separator()));
            } else {
                out().print(human(s));
            }
            return 0;
        }
    }

    @Command(name = "statisticsreset", description = "Start the statistics again from zero.")
    static final class Reset extends DaemonCommand {
        @Override
        public Integer call() {
            api().resetStatistics();
            return 0;
        }
    }

    /** The counters in ctdb's order; a "." separates a group from the counter. */
    static Map<String, Long> fields(Statistics s) {
        Map<String, Long> f = new LinkedHashMap<>();
        f.put("num_clients", s.numClients());
        f.put("frozen", s.frozen());
        f.put("recovering", s.recovering());
        f.put("num_recoveries", s.numRecoveries());
        f.put("client_packets_sent", s.client().packetsSent());
        f.put("client_packets_recv", s.client().packetsReceived());
        f.put("node_packets_sent", s.node().packetsSent());
        f.put("node_packets_recv", s.node().packetsReceived());
        f.put("keepalive_packets_sent", s.keepalivesSent());
        f.put("keepalive_packets_recv", s.keepalivesReceived());
        f.put("node.req_call", s.node().reqCall());
        f.put("node.reply_call", s.node().replyCall());
        f.put("node.req_dmaster", s.node().reqDmaster());
        f.put("node.reply_dmaster", s.node().replyDmaster());
        f.put("node.reply_error", s.node().replyError());
        f.put("node.req_message", s.node().reqMessage());
        f.put("node.req_control", s.node().reqControl());
        f.put("node.reply_control", s.node().replyControl());
        f.put("node.req_tunnel", 0L);
        f.put("client.req_call", s.client().reqCall());
        f.put("client.req_message", s.client().reqMessage());
        f.put("client.req_control", s.client().reqControl());
        f.put("client.req_tunnel", 0L);
        f.put("timeouts.call", 0L); // calls have no deadline here: a busy chain waits in the lock helper
        f.put("timeouts.control", s.controlTimeouts());
        f.put("timeouts.traverse", s.traverseTimeouts());
        f.put("locks.num_calls", s.locks().numCalls());
        f.put("locks.num_current", s.locks().numCurrent());
        f.put("locks.num_pending", s.locks().numPending());
        f.put("locks.num_failed", s.locks().numFailed());
        f.put("total_calls", s.totalCalls());
        f.put("pending_calls", s.pendingCalls());
        f.put("childwrite_calls", 0L);
        f.put("pending_childwrite_calls", 0L);
        f.put("memory_used", s.memoryUsed());
        f.put("max_hop_count", (long) s.maxHopCount());
        f.put("total_ro_delegations", 0L);
        f.put("total_ro_revokes", 0L);
        return f;
    }

    static String human(Statistics s) {
        StringBuilder b = new StringBuilder("CTDB version 1\n");
        b.append("Current time of statistics  :                ")
                .append(DaemonCommands.ctime(s.nowMillis()))
                .append('\n');
        b.append("Statistics collected since  : ")
                .append(DaemonCommands.age(s.collectedSinceMillis(), s.nowMillis()))
                .append(' ')
                .append(DaemonCommands.ctime(s.collectedSinceMillis()))
                .append('\n');
        String group = null;
        for (Map.Entry<String, Long> e : fields(s).entrySet()) {
            String name = e.getKey();
            int dot = name.indexOf('.');
            if (dot >= 0) {
                if (!name.substring(0, dot).equals(group)) {
                    group = name.substring(0, dot);
                    b.append(' ').append(group).append('\n');
                }
                b.append(String.format(Locale.ROOT, "     %-22s%10d%n", name.substring(dot + 1), e.getValue()));
            } else {
                group = null;
                b.append(String.format(Locale.ROOT, " %-22s    %10d%n", name, e.getValue()));
            }
        }
        b.append(" hop_count_buckets:");
        s.hopCountBuckets().forEach(x -> b.append(' ').append(x));
        b.append("\n lock_buckets:");
        for (int i = 0; i < 16; i++) {
            b.append(" 0"); // lock waits are not bucketed by duration here; locks_latency has them
        }
        b.append('\n');
        latency(b, "locks_latency      MIN/AVG/MAX", s.lockWaitLatency());
        latency(b, "reclock_ctdbd      MIN/AVG/MAX", Statistics.Latency.NONE);
        latency(b, "reclock_recd       MIN/AVG/MAX", Statistics.Latency.NONE);
        latency(b, "call_latency       MIN/AVG/MAX", s.callLatency());
        latency(b, "childwrite_latency MIN/AVG/MAX", Statistics.Latency.NONE);
        return b.toString();
    }

    private static void latency(StringBuilder b, String label, Statistics.Latency l) {
        b.append(String.format(
                Locale.ROOT, " %-30s     %.6f/%.6f/%.6f sec out of %d%n", label, l.min(), l.avg(), l.max(), l.count()));
    }

    static String machine(Statistics s, String sep) {
        List<String> names =
                new ArrayList<>(List.of("CTDB version", "Current time of statistics", "Statistics collected since"));
        List<String> values = new ArrayList<>(
                List.of("1", String.valueOf(s.nowMillis() / 1000), String.valueOf(s.collectedSinceMillis() / 1000)));
        fields(s).forEach((k, v) -> {
            names.add(k);
            values.add(String.valueOf(v));
        });
        String[] kinds = {"reclock_ctdbd", "reclock_recd", "call", "lockwait", "childwrite"};
        Statistics.Latency[] lat = {
            Statistics.Latency.NONE,
            Statistics.Latency.NONE,
            s.callLatency(),
            s.lockWaitLatency(),
            Statistics.Latency.NONE
        };
        for (int i = 0; i < kinds.length; i++) {
            for (String m : new String[] {"num", "min", "avg", "max"}) {
                names.add(m + "_" + kinds[i] + "_latency");
            }
            values.add(String.valueOf(lat[i].count()));
            values.add(String.format(Locale.ROOT, "%.6f", lat[i].min()));
            values.add(String.format(Locale.ROOT, "%.6f", lat[i].avg()));
            values.add(String.format(Locale.ROOT, "%.6f", lat[i].max()));
        }
        return String.join(sep, names) + sep + "\n" + String.join(sep, values) + sep + "\n";
    }
}
