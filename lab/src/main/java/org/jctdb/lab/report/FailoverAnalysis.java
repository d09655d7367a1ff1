package org.jctdb.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jctdb.lab.report.RunData.Fault;
import org.jctdb.lab.report.RunData.Sample;

/**
 * Failover time of each fault that stops nodes serving (lab format): the addresses the affected
 * nodes hosted in the last sample before the fault, and the first sample after its start in
 * which every one of them is on exactly one unaffected node and the client reached it.
 */
public final class FailoverAnalysis {
    /** Kinds whose start makes the faulted nodes unable to serve. */
    public static final Set<String> SERVING_KINDS =
            Set.of("crash", "pause", "linkcut", "partition", "freeze", "hungmonitor");

    public enum Outcome {
        /** The addresses moved; {@code millis} says when. */
        FAILED_OVER,
        /** They had not all moved by the time the fault ended. */
        NO_FAILOVER,
        /** The affected nodes hosted no address (or no sample came before the fault). */
        NOTHING_HOSTED
    }

    /** The result for one fault; {@code millis} is -1 unless it failed over. */
    public record Result(Fault fault, Outcome outcome, long millis, List<String> addresses) {
        public Result {
            addresses = List.copyOf(addresses);
        }
    }

    private FailoverAnalysis() {}

    /** One result per fault of a serving kind, in fault start order. */
    public static List<Result> analyse(RunData run) {
        List<Result> out = new ArrayList<>();
        for (Fault f : run.faults()) {
            if (SERVING_KINDS.contains(f.kind())) {
                out.add(of(f, run.samples()));
            }
        }
        return out;
    }

    static Result of(Fault f, List<Sample> samples) {
        int before = lastBefore(samples, f.startT());
        if (before < 0) {
            return new Result(f, Outcome.NOTHING_HOSTED, -1, List.of());
        }
        Sample last = samples.get(before);
        List<String> moving = new ArrayList<>();
        last.addrs().forEach((ip, hosts) -> {
            if (hosts.stream().anyMatch(f.nodes()::contains)) {
                moving.add(ip);
            }
        });
        if (moving.isEmpty()) {
            return new Result(f, Outcome.NOTHING_HOSTED, -1, moving);
        }
        for (int i = before + 1; i < samples.size() && samples.get(i).t() <= f.endT(); i++) {
            Sample s = samples.get(i);
            if (s.t() > f.startT() && servedElsewhere(s, moving, f.nodes())) {
                return new Result(f, Outcome.FAILED_OVER, s.t() - f.startT(), moving);
            }
        }
        return new Result(f, Outcome.NO_FAILOVER, -1, moving);
    }

    private static boolean servedElsewhere(Sample s, List<String> ips, List<Integer> affected) {
        for (String ip : ips) {
            List<Integer> hosts = s.hosts(ip);
            if (hosts.size() != 1 || affected.contains(hosts.get(0)) || !s.reached(ip)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the last sample strictly before {@code t}, or -1 (binary search: runs have 18,000 samples). */
    static int lastBefore(List<Sample> samples, long t) {
        int lo = 0;
        int hi = samples.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (samples.get(mid).t() < t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
