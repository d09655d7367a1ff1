package org.jctdb.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jctdb.lab.report.RunData.Sample;

/**
 * Runs of consecutive samples with an address in two places, unreachable by the client, or no
 * address hosted anywhere.
 */
public final class SampleRuns {
    /**
     * The longest run (by samples): its first and last sample times, its length in samples and in
     * ms (from its first to its last sample plus one sample interval: the samples times the
     * interval when the sampler keeps pace, and still the real span when it falls behind), the
     * addresses involved, and how many samples matched in all.
     */
    public record Longest(long startT, long lastT, int samples, long millis, Set<String> addresses, int totalSamples) {
        public Longest {
            addresses = Set.copyOf(addresses);
        }

        public boolean none() {
            return samples == 0;
        }
    }

    /** Which addresses of a sample are in the bad state being measured. */
    private interface Bad {
        Set<String> in(Sample s, List<String> addresses);
    }

    private SampleRuns() {}

    /** Longest run of samples in which some address was configured on two or more nodes. */
    public static Longest overlap(RunData run) {
        return longest(run, (s, ips) -> matching(ips, ip -> s.hosts(ip).size() >= 2));
    }

    /** Longest run of samples in which the client could not reach some address. */
    public static Longest outage(RunData run) {
        return longest(run, (s, ips) -> matching(ips, ip -> !s.reached(ip)));
    }

    /**
     * Every stretch of samples in which no node hosted any address (a cluster-wide outage), in ms
     * from its first sample to the first sample with an address again (or the run's end).
     */
    public static List<Long> blackouts(RunData run) {
        List<String> ips = run.addresses();
        List<Long> out = new ArrayList<>();
        long start = -1;
        for (Sample s : run.samples()) {
            boolean none =
                    !ips.isEmpty() && ips.stream().allMatch(ip -> s.hosts(ip).isEmpty());
            if (none && start < 0) {
                start = s.t();
            } else if (!none && start >= 0) {
                out.add(s.t() - start);
                start = -1;
            }
        }
        if (start >= 0) {
            out.add(run.samples().get(run.samples().size() - 1).t()
                    - start
                    + run.info().sampleIntervalMs());
        }
        return out;
    }

    private static Set<String> matching(List<String> ips, Predicate<String> p) {
        Set<String> out = new TreeSet<>();
        for (String ip : ips) {
            if (p.test(ip)) {
                out.add(ip);
            }
        }
        return out;
    }

    private static Longest longest(RunData run, Bad bad) {
        List<String> ips = run.addresses();
        long interval = run.info().sampleIntervalMs();
        Longest best = new Longest(-1, -1, 0, 0, Set.of(), 0);
        int total = 0;
        int length = 0;
        long start = -1;
        Set<String> involved = new TreeSet<>();
        for (Sample s : run.samples()) {
            Set<String> now = bad.in(s, ips);
            if (now.isEmpty()) {
                length = 0;
                continue;
            }
            total++;
            if (length == 0) {
                start = s.t();
                involved = new TreeSet<>();
            }
            length++;
            involved.addAll(now);
            if (length > best.samples()) {
                best = new Longest(start, s.t(), length, s.t() - start + interval, involved, 0);
            }
        }
        return new Longest(best.startT(), best.lastT(), best.samples(), best.millis(), best.addresses(), total);
    }
}
