package org.jctdb.lab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.lab.report.RunData.Fault;

/** Joins the start and end lines of faults.jsonl into fault intervals. */
final class FaultPairing {
    private record Start(long t, String kind, List<Integer> nodes, String detail) {}

    private final Map<Integer, Start> open = new LinkedHashMap<>();
    private final List<Fault> done = new ArrayList<>();
    private final Set<Integer> seen = new HashSet<>();

    void add(JsonLine l) throws LabFormatException {
        long t = l.longField("t");
        int id = l.intOf(l.node(), "id", true, 0);
        String phase = l.textOf(l.node(), "phase", true);
        String kind = l.textOf(l.node(), "kind", true);
        if (kind.isBlank()) {
            throw l.error("fault " + id + " has an empty kind");
        }
        List<Integer> nodes = l.pnns(l.arrayOf(l.node(), "nodes", false), "\"nodes\"");
        String detail = l.textOf(l.node(), "detail", false);
        switch (phase) {
            case "start" -> {
                if (!seen.add(id)) {
                    throw l.error("fault " + id + " starts a second time");
                }
                open.put(id, new Start(t, kind, nodes, detail));
            }
            case "end" -> {
                Start s = open.remove(id);
                if (s == null) {
                    throw l.error("fault " + id + " ends but never started (or ended already)");
                }
                if (t < s.t()) {
                    throw l.error("fault " + id + " ends at " + t + ", before its start at " + s.t());
                }
                done.add(new Fault(id, s.kind(), s.nodes(), s.t(), t, true, s.detail()));
            }
            default -> throw l.error("phase must be \"start\" or \"end\", not \"" + phase + "\"");
        }
    }

    /** All faults by start time; one never healed lasts until {@code runEnd}. */
    List<Fault> faults(long runEnd) {
        List<Fault> all = new ArrayList<>(done);
        open.forEach((id, s) ->
                all.add(new Fault(id, s.kind(), s.nodes(), s.t(), Math.max(runEnd, s.t()), false, s.detail())));
        all.sort(Comparator.comparingLong(Fault::startT).thenComparingInt(Fault::id));
        return all;
    }
}
