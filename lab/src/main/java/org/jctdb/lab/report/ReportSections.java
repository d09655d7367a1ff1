package org.jctdb.lab.report;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jctdb.lab.report.RunData.Violation;

/** The report's sections on overlaps, outages and invariant violations, and its definitions. */
final class ReportSections {
    private ReportSections() {}

    static void overlapsAndOutages(
            StringBuilder b, List<String> systems, List<RunData> runs, Map<RunData, String> names) {
        b.append("## Address overlaps and client outages\n\n");
        MarkdownTable t = new MarkdownTable(
                "system",
                "longest overlap (s)",
                "where",
                "samples with an overlap",
                "longest client outage (s)",
                "where",
                "samples with an outage");
        for (String s : systems) {
            Worst overlap = new Worst();
            Worst outage = new Worst();
            for (RunData r : runs) {
                if (r.system().equals(s)) {
                    overlap.add(
                            SampleRuns.overlap(r), names.get(r), r.addresses().size());
                    outage.add(SampleRuns.outage(r), names.get(r), r.addresses().size());
                }
            }
            t.row(
                    ChartStyle.systemName(s),
                    MarkdownTable.seconds(overlap.longest.millis()),
                    overlap.where(),
                    overlap.total,
                    MarkdownTable.seconds(outage.longest.millis()),
                    outage.where(),
                    outage.total);
        }
        b.append(t).append('\n');
    }

    /** The longest run over several runs of one system, and the matching samples of all of them. */
    private static final class Worst {
        SampleRuns.Longest longest = new SampleRuns.Longest(-1, -1, 0, 0, Set.of(), 0);
        String run = "";
        int runAddresses;
        int total;

        void add(SampleRuns.Longest l, String name, int addresses) {
            total += l.totalSamples();
            if (l.samples() > longest.samples()) {
                longest = l;
                run = name;
                runAddresses = addresses;
            }
        }

        String where() {
            if (longest.none()) {
                return "none";
            }
            String which = longest.addresses().size() == runAddresses && runAddresses > 1
                    ? "all " + runAddresses + " addresses"
                    : String.join(" ", new TreeSet<>(longest.addresses()));
            return run + " from " + MarkdownTable.seconds(longest.startT()) + " s, " + longest.samples() + " samples, "
                    + which;
        }
    }

    /** Per run, what the database workload did and how many database invariants it broke. */
    static void database(StringBuilder b, List<RunData> runs, Map<RunData, String> names) {
        b.append("## Database workload\n\n");
        if (runs.stream().allMatch(r -> r.info().db().equals(RunData.DbCounts.NONE))) {
            b.append("Not run (`--no-db-workload`, or runs made before it existed).\n\n");
            return;
        }
        MarkdownTable t = new MarkdownTable(
                "run",
                "system",
                "writes ok",
                "writes failed",
                "reads ok",
                "reads failed",
                "stale reads",
                "fetches ok",
                "fetches failed",
                "database violations");
        for (RunData r : runs) {
            RunData.DbCounts c = r.info().db();
            long broken = r.violations().stream()
                    .filter(v -> v.invariant().startsWith("db-"))
                    .count();
            t.row(
                    names.get(r),
                    ChartStyle.systemName(r.system()),
                    c.writes(),
                    c.writesFailed(),
                    c.reads(),
                    c.readsFailed(),
                    c.staleReads(),
                    c.fetches(),
                    c.fetchesFailed(),
                    broken);
        }
        b.append(t)
                .append(
                        "\nWrites are persistent transactions, reads a node's copy of every node's key, fetches "
                                + "volatile records migrated to the asking node. A stale read returned less than a write "
                                + "acknowledged before it began (a commit not yet visible there, or a cut-off node). A node "
                                + "that is down or cut off fails operations; only the db-* invariants below are violations.\n\n");
    }

    static void violations(
            StringBuilder b, List<String> systems, List<RunData> runs, Map<RunData, String> names, int listed) {
        b.append("## Invariant violations\n\n");
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (RunData r : runs) {
            for (Violation v : r.violations()) {
                counts.computeIfAbsent(v.invariant(), k -> new TreeMap<>()).merge(r.system(), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            b.append("None: no invariant was violated in any run.\n\n");
            return;
        }
        String[] header = new String[systems.size() + 1];
        header[0] = "invariant";
        for (int i = 0; i < systems.size(); i++) {
            header[i + 1] = ChartStyle.systemName(systems.get(i));
        }
        MarkdownTable t = new MarkdownTable(header);
        counts.forEach((inv, bySystem) -> {
            Object[] row = new Object[systems.size() + 1];
            row[0] = inv;
            for (int i = 0; i < systems.size(); i++) {
                row[i + 1] = bySystem.getOrDefault(systems.get(i), 0);
            }
            t.row(row);
        });
        b.append(t).append('\n');
        for (String s : systems) {
            MarkdownTable list = new MarkdownTable("run", "t (s)", "invariant", "detail");
            int total = 0;
            for (RunData r : runs) {
                if (!r.system().equals(s)) {
                    continue;
                }
                for (Violation v : r.violations()) {
                    if (total++ < listed) {
                        list.row(names.get(r), MarkdownTable.seconds(v.t()), v.invariant(), v.detail());
                    }
                }
            }
            if (total > 0) {
                b.append("### ")
                        .append(ChartStyle.systemName(s))
                        .append(": ")
                        .append(total)
                        .append(total == 1 ? " violation" : " violations")
                        .append(total > listed ? " (the first " + listed + " listed)" : "")
                        .append("\n\n")
                        .append(list)
                        .append('\n');
            }
        }
    }

    static void definitions(StringBuilder b) {
        b.append("## How the numbers are computed\n\n")
                .append("- **Failover time**: for a crash, pause, linkcut, partition (the smaller group), freeze or "
                        + "hungmonitor fault, the addresses its nodes hosted in the last sample before it started; "
                        + "the time from the fault's start to the first sample in which each of them is on exactly "
                        + "one node the fault does not hit and the client reached it. **No failover**: that did not "
                        + "happen before the fault ended. **Nothing hosted**: the nodes hosted no address then (or "
                        + "no sample came before the fault).\n")
                .append("- **Median** of an even count is the mean of the two middle values; **p90** is the "
                        + "nearest-rank 90th percentile.\n")
                .append("- **Overlap**: consecutive samples in which some address was configured on two or more "
                        + "nodes; **client outage**: consecutive samples in which the client failed to reach some "
                        + "address. A length runs from the first to the last such sample plus one sample interval (the "
                        + "number of samples times the interval when the sampler kept pace).\n")
                .append("- **Time lines** show, per pixel column, the worst node state of the samples in it, an "
                        + "overlap or an address on no node if any sample had one, and a client error mark if "
                        + "any sample had one.\n");
    }
}
