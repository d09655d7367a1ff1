package org.jctdb.lab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jctdb.lab.report.FailoverAnalysis.Outcome;
import org.jctdb.lab.report.FailoverAnalysis.Result;
import org.jctdb.lab.report.RunData.Fault;
import org.jctdb.lab.report.RunData.NodeSample;
import org.jctdb.lab.report.RunData.Sample;

/**
 * The numbers users pick a cluster manager for, one row each, the systems side by side: how long
 * from a fault's start until the cluster noticed it or served the addresses elsewhere. Each cell is
 * the median and max over every fault of that kind in the runs, and how many of them got there
 * before the fault ended ("never" when none did).
 */
final class HeadlineTable {
    /** One row: its label and, per run, the times (ms after the fault's start; -1: not within it). */
    private record Row(String label, RowValues values) {}

    @FunctionalInterface
    private interface RowValues {
        List<Long> of(RunData run, List<Result> failovers);
    }

    private HeadlineTable() {}

    static void write(StringBuilder b, List<String> systems, List<RunData> runs, Map<RunData, List<Result>> failovers) {
        List<Row> rows = List.of(
                new Row(
                        "node-local storage hang (freeze) → that node UNHEALTHY",
                        (r, f) -> detection(r, "freeze", true)),
                new Row(
                        "node-local storage hang (freeze) → its addresses served elsewhere",
                        (r, f) -> failedOver(f, "freeze", x -> true)),
                new Row(
                        "cluster-wide storage hang (freezeall) → reported (a node UNHEALTHY)",
                        (r, f) -> detection(r, "freezeall", false)),
                new Row("hung monitor → that node UNHEALTHY", (r, f) -> detection(r, "hungmonitor", true)),
                new Row("kill -9 → addresses served elsewhere", (r, f) -> failedOver(f, "crash", x -> true)),
                new Row("pause (SIGSTOP) → addresses served elsewhere", (r, f) -> failedOver(f, "pause", x -> true)),
                new Row(
                        "pause of the leader → its addresses served elsewhere",
                        (r, f) -> failedOver(f, "pause", x -> wasLeader(r, x.fault()))),
                new Row(
                        "the leader's storage hang (freeze) → its addresses served elsewhere",
                        (r, f) -> failedOver(f, "freeze", x -> wasLeader(r, x.fault()))),
                new Row("link cut → addresses served elsewhere", (r, f) -> failedOver(f, "linkcut", x -> true)),
                new Row(
                        "cut-off leader (link cut of the leader) → addresses served by the majority",
                        (r, f) -> failedOver(f, "linkcut", x -> wasLeader(r, x.fault()))));
        List<String> header = new ArrayList<>(List.of("fault → outcome"));
        systems.forEach(s -> header.add(ChartStyle.systemName(s) + ": median / max (s), reached / faults"));
        MarkdownTable t = new MarkdownTable(header.toArray(new String[0]));
        for (Row row : rows) {
            List<Object> cells = new ArrayList<>(List.of(row.label()));
            for (String s : systems) {
                List<Long> all = new ArrayList<>();
                for (RunData r : runs) {
                    if (r.system().equals(s)) {
                        all.addAll(row.values().of(r, failovers.getOrDefault(r, List.of())));
                    }
                }
                cells.add(cell(all));
            }
            t.row(cells.toArray());
        }
        List<Object> overlap = new ArrayList<>(List.of("longest address overlap (an address on two nodes)"));
        for (String s : systems) {
            long longest = 0;
            for (RunData r : runs) {
                if (r.system().equals(s)) {
                    longest = Math.max(longest, SampleRuns.overlap(r).millis());
                }
            }
            overlap.add(longest == 0 ? "none" : MarkdownTable.seconds(longest) + " s");
        }
        t.row(overlap.toArray());
        List<Object> blackout =
                new ArrayList<>(List.of("every address down at once (no node hosts any): times, median / max, total"));
        for (String s : systems) {
            List<Long> all = new ArrayList<>();
            for (RunData r : runs) {
                if (r.system().equals(s)) {
                    all.addAll(SampleRuns.blackouts(r));
                }
            }
            blackout.add(blackouts(all));
        }
        t.row(blackout.toArray());
        b.append("## Headline\n\n").append(t).append('\n');
    }

    /** "n times, median / max s, total s" of cluster-wide outages, or "never". */
    static String blackouts(List<Long> millis) {
        if (millis.isEmpty()) {
            return "never";
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        return n + (n == 1 ? " time, " : " times, ") + MarkdownTable.seconds(Math.round(KindStats.median(sorted)))
                + " / "
                + MarkdownTable.seconds(sorted[n - 1]) + " s, "
                + MarkdownTable.seconds(Arrays.stream(sorted).sum())
                + " s in all";
    }

    /** "median / max, n / N" of the times that are not -1; N counts every fault. */
    static String cell(List<Long> times) {
        long[] reached = times.stream()
                .filter(x -> x >= 0)
                .mapToLong(Long::longValue)
                .sorted()
                .toArray();
        if (times.isEmpty()) {
            return "no such fault";
        }
        if (reached.length == 0) {
            return "never, 0 / " + times.size();
        }
        int n = reached.length;
        return MarkdownTable.seconds(Math.round(KindStats.median(reached))) + " / "
                + MarkdownTable.seconds(reached[n - 1]) + ", " + n + " / " + times.size();
    }

    private static List<Long> failedOver(List<Result> failovers, String kind, Predicate<Result> which) {
        List<Long> out = new ArrayList<>();
        for (Result x : failovers) {
            if (x.fault().kind().equals(kind) && x.outcome() != Outcome.NOTHING_HOSTED && which.test(x)) {
                out.add(x.outcome() == Outcome.FAILED_OVER ? x.millis() : -1);
            }
        }
        return out;
    }

    /**
     * Per fault of {@code kind}: ms from its start to the first sample within it in which a faulted
     * node (or, when {@code faultedOnly} is false, any node) says UNHEALTHY; -1 if none does.
     */
    static List<Long> detection(RunData run, String kind, boolean faultedOnly) {
        List<Long> out = new ArrayList<>();
        for (Fault f : run.faults()) {
            if (!f.kind().equals(kind)) {
                continue;
            }
            long found = -1;
            for (int i = Math.max(0, FailoverAnalysis.lastBefore(run.samples(), f.startT()) + 1);
                    i < run.samples().size() && run.samples().get(i).t() <= f.endT();
                    i++) {
                Sample s = run.samples().get(i);
                if (s.nodes().stream()
                        .anyMatch(n -> (!faultedOnly || f.nodes().contains(n.pnn()))
                                && Arrays.asList(n.status().split("\\|")).contains("UNHEALTHY"))) {
                    found = s.t() - f.startT();
                    break;
                }
            }
            out.add(found);
        }
        return out;
    }

    /** Whether the node cut off was the leader most nodes named in the last sample before the fault. */
    static boolean wasLeader(RunData run, Fault f) {
        int i = FailoverAnalysis.lastBefore(run.samples(), f.startT());
        if (i < 0 || f.nodes().size() != 1) {
            return false;
        }
        return LeaderVote.of(run.samples().get(i).nodes(), NodeSample::reachable, NodeSample::leader)
                == f.nodes().get(0);
    }
}
