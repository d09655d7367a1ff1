package org.jctdb.lab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jctdb.lab.report.FailoverAnalysis.Outcome;
import org.jctdb.lab.report.FailoverAnalysis.Result;
import org.jctdb.lab.report.RunData.RunInfo;

/** Writes report.md and its charts for a set of runs into one directory. */
public final class ReportWriter {
    /** Violations listed one by one per system; the rest are only counted. */
    static final int LISTED_VIOLATIONS = 50;

    private final List<RunData> runs;
    private final List<String> systems;
    private final Map<RunData, List<Result>> failovers = new LinkedHashMap<>();
    private final Map<RunData, String> names = new LinkedHashMap<>();

    public ReportWriter(List<RunData> runs) {
        this.runs = List.copyOf(runs);
        Set<String> order = new LinkedHashSet<>(List.of("jctdb", "ctdb"));
        runs.forEach(r -> order.add(r.system()));
        order.removeIf(s -> runs.stream().noneMatch(r -> r.system().equals(s)));
        this.systems = new ArrayList<>(order);
        Set<String> used = new HashSet<>();
        for (RunData r : runs) {
            failovers.put(r, FailoverAnalysis.analyse(r));
            String name = r.name().replaceAll("[^A-Za-z0-9._-]", "_");
            String unique = name;
            for (int i = 2; !used.add(unique); i++) {
                unique = name + "-" + i; // two run directories of the same name from different places
            }
            names.put(r, unique);
        }
    }

    /** Writes everything into {@code out} (created if needed) and returns the path of report.md. */
    public Path write(Path out) throws IOException {
        Files.createDirectories(out);
        ChartStyle.write(DistributionChart.draw(systems, stats()), out.resolve("failover.png"));
        for (RunData r : runs) {
            ChartStyle.write(TimelineChart.draw(r), out.resolve(timelineFile(r)));
        }
        Path report = out.resolve("report.md");
        Files.writeString(report, markdown(), StandardCharsets.UTF_8);
        return report;
    }

    String timelineFile(RunData r) {
        return "timeline-" + names.get(r) + ".png";
    }

    List<KindStats> stats() {
        List<KindStats> all = new ArrayList<>();
        for (String s : systems) {
            List<Result> results = new ArrayList<>();
            failovers.forEach((r, rs) -> {
                if (r.system().equals(s)) {
                    results.addAll(rs);
                }
            });
            all.addAll(KindStats.byKind(s, results));
        }
        return all;
    }

    String markdown() {
        StringBuilder b = new StringBuilder("# Fault campaign report\n\n");
        b.append("Made by `jctdb lab report` from ")
                .append(runs.size())
                .append(runs.size() == 1 ? " run" : " runs")
                .append(". Times are seconds since the start of each run.\n\n");
        HeadlineTable.write(b, systems, runs, failovers);
        runsSection(b);
        failoverSection(b);
        ReportSections.overlapsAndOutages(b, systems, runs, names);
        ReportSections.database(b, runs, names);
        ReportSections.violations(b, systems, runs, names, LISTED_VIOLATIONS);
        timelines(b);
        ReportSections.definitions(b);
        return b.toString();
    }

    private void runsSection(StringBuilder b) {
        b.append("## Runs\n\n");
        MarkdownTable t = new MarkdownTable(
                "run",
                "system",
                "seed",
                "nodes",
                "addresses",
                "length (min)",
                "samples",
                "faults",
                "violations",
                "notes");
        for (RunData r : runs) {
            RunInfo i = r.info();
            List<String> notes = new ArrayList<>();
            if (i.interrupted()) {
                notes.add("interrupted");
            }
            if (r.samples().isEmpty()) {
                notes.add("no samples");
            }
            notes.addAll(r.warnings());
            t.row(
                    names.get(r),
                    ChartStyle.systemName(r.system()),
                    i.seed(),
                    r.nodeCount(),
                    r.addresses().size(),
                    String.format(Locale.ROOT, "%.1f", r.endT() / 60_000.0),
                    r.samples().size(),
                    r.faults().size(),
                    r.violations().size(),
                    String.join("; ", notes));
        }
        b.append(t).append('\n');
        for (String s : systems) {
            List<RunData> of = runs.stream().filter(r -> r.system().equals(s)).toList();
            b.append(String.format(
                    Locale.ROOT,
                    "- %s in all: %d faults in %d %s, %.1f minutes, %d violations.%n",
                    ChartStyle.systemName(s),
                    of.stream().mapToInt(r -> r.faults().size()).sum(),
                    of.size(),
                    of.size() == 1 ? "run" : "runs",
                    of.stream().mapToLong(RunData::endT).sum() / 60_000.0,
                    of.stream().mapToInt(r -> r.violations().size()).sum()));
        }
        b.append("\nThe commands that made them:\n\n```\n");
        for (RunData r : runs) {
            String started = r.info().startedAt().isEmpty()
                    ? ""
                    : " (started " + r.info().startedAt() + ")";
            b.append("# ")
                    .append(names.get(r))
                    .append(started)
                    .append('\n')
                    .append(
                            r.info().command().isEmpty()
                                    ? "(no command recorded)"
                                    : r.info().command())
                    .append('\n');
        }
        b.append("```\n\n");
    }

    private void failoverSection(StringBuilder b) {
        b.append("## Failover time per fault kind\n\n![Failover time per fault kind](failover.png)\n\n");
        MarkdownTable t = new MarkdownTable(
                "system",
                "fault kind",
                "failed over",
                "median (s)",
                "p90 (s)",
                "max (s)",
                "no failover",
                "nothing hosted");
        for (KindStats k : stats()) {
            t.row(
                    ChartStyle.systemName(k.system()),
                    k.kind(),
                    k.count(),
                    MarkdownTable.seconds(k.median()),
                    MarkdownTable.seconds(k.p90()),
                    MarkdownTable.seconds(k.max()),
                    k.noFailover(),
                    k.nothingHosted());
        }
        b.append(
                t.isEmpty()
                        ? "No fault of a kind that stops a node serving (crash, pause, linkcut, partition, "
                                + "freeze, hungmonitor).\n\n"
                        : t + "\n");
        MarkdownTable none = new MarkdownTable("run", "fault", "kind", "nodes", "from (s)", "to (s)", "addresses");
        failovers.forEach((r, rs) -> rs.stream()
                .filter(x -> x.outcome() == Outcome.NO_FAILOVER)
                .forEach(x -> none.row(
                        names.get(r),
                        x.fault().id(),
                        x.fault().kind(),
                        x.fault().nodes(),
                        MarkdownTable.seconds(x.fault().startT()),
                        MarkdownTable.seconds(x.fault().endT()),
                        String.join(" ", x.addresses()))));
        if (!none.isEmpty()) {
            b.append("Faults whose addresses did not all move before the fault ended:\n\n")
                    .append(none)
                    .append('\n');
        }
    }

    private void timelines(StringBuilder b) {
        b.append("## Time lines\n\n");
        for (RunData r : runs) {
            b.append("### ")
                    .append(names.get(r))
                    .append(" (")
                    .append(ChartStyle.systemName(r.system()))
                    .append(", seed ")
                    .append(r.info().seed())
                    .append(")\n\n")
                    .append("![Time line of ")
                    .append(names.get(r))
                    .append("](")
                    .append(timelineFile(r))
                    .append(")\n\n");
        }
    }
}
