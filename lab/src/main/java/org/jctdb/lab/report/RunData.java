package org.jctdb.lab.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One run directory as read (see /docs lab format): its settings, faults, samples and violations. */
public record RunData(
        Path dir,
        RunInfo info,
        List<Fault> faults,
        List<Sample> samples,
        List<Violation> violations,
        List<String> warnings) {

    public RunData {
        faults = List.copyOf(faults);
        samples = List.copyOf(samples);
        violations = List.copyOf(violations);
        warnings = List.copyOf(warnings);
    }

    /** run.json. */
    public record RunInfo(
            String system,
            long seed,
            double minutes,
            int nodes,
            List<String> publicIps,
            String command,
            String startedAt,
            String endedAt,
            long sampleIntervalMs,
            long healBoundMs,
            boolean interrupted,
            DbCounts db) {
        public RunInfo {
            publicIps = List.copyOf(publicIps);
        }
    }

    /** run.json "db": successful and failed operations of the database workload ({@link #NONE}: it did not run). */
    public record DbCounts(
            long writes,
            long writesFailed,
            long reads,
            long readsFailed,
            long fetches,
            long fetchesFailed,
            long staleReads) {
        public static final DbCounts NONE = new DbCounts(0, 0, 0, 0, 0, 0, 0);
    }

    /** A fault from its start to its end; {@code endT} is the run's end when the fault never healed. */
    public record Fault(
            int id, String kind, List<Integer> nodes, long startT, long endT, boolean healed, String detail) {
        public Fault {
            nodes = List.copyOf(nodes);
        }
    }

    /** One node as a sample saw it. */
    public record NodeSample(int pnn, boolean reachable, String status, int leader, int dstate, int hungProbes) {}

    /** One sample: node states, which nodes host each address, lock holders, client reachability. */
    public record Sample(
            long t,
            List<NodeSample> nodes,
            Map<String, List<Integer>> addrs,
            int lockHolders,
            Map<String, Boolean> client) {
        /** Nodes hosting {@code ip} (empty when nowhere or not sampled). */
        public List<Integer> hosts(String ip) {
            return addrs.getOrDefault(ip, List.of());
        }

        /** Whether the client's last connect to {@code ip} succeeded (an address it did not try: no). */
        public boolean reached(String ip) {
            return Boolean.TRUE.equals(client.get(ip));
        }
    }

    /** One line of violations.jsonl. */
    public record Violation(long t, String invariant, String detail) {}

    public String system() {
        return info.system();
    }

    /** The run's name in the report: its directory's name. */
    public String name() {
        Path f = dir.getFileName();
        return f == null ? dir.toString() : f.toString();
    }

    /** run.json's addresses first, then any other address the samples mention, in first-seen order. */
    public List<String> addresses() {
        Set<String> all = new LinkedHashSet<>(info.publicIps());
        for (Sample s : samples) {
            all.addAll(s.addrs().keySet());
            all.addAll(s.client().keySet());
        }
        return new ArrayList<>(all);
    }

    /** Number of nodes: run.json's count, or more when samples show higher PNNs. */
    public int nodeCount() {
        int n = info.nodes();
        for (Sample s : samples) {
            for (NodeSample ns : s.nodes()) {
                n = Math.max(n, ns.pnn() + 1);
            }
        }
        return n;
    }

    /** Time of the last sample (0 for a run without samples). */
    public long endT() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).t();
    }
}
