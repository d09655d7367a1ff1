package org.jctdb.lab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jctdb.lab.report.FailoverAnalysis.Outcome;
import org.jctdb.lab.report.FailoverAnalysis.Result;

/**
 * Failover statistics of one system for one fault kind. Median of an even count is the mean of
 * the two middle values; p90 is the nearest-rank value (the smallest that at least 90 % are not above).
 */
public record KindStats(String system, String kind, long[] millis, int noFailover, int nothingHosted) {

    public KindStats {
        millis = millis.clone();
        Arrays.sort(millis);
    }

    /** Per fault kind (sorted by name), the statistics of {@code results} from runs of {@code system}. */
    public static List<KindStats> byKind(String system, List<Result> results) {
        Map<String, List<Result>> byKind = new TreeMap<>();
        for (Result r : results) {
            byKind.computeIfAbsent(r.fault().kind(), k -> new ArrayList<>()).add(r);
        }
        List<KindStats> out = new ArrayList<>();
        byKind.forEach((kind, rs) -> out.add(of(system, kind, rs)));
        return out;
    }

    static KindStats of(String system, String kind, List<Result> rs) {
        long[] ms = rs.stream()
                .filter(r -> r.outcome() == Outcome.FAILED_OVER)
                .mapToLong(Result::millis)
                .toArray();
        int none = (int)
                rs.stream().filter(r -> r.outcome() == Outcome.NO_FAILOVER).count();
        int nothing = (int)
                rs.stream().filter(r -> r.outcome() == Outcome.NOTHING_HOSTED).count();
        return new KindStats(system, kind, ms, none, nothing);
    }

    @Override
    public long[] millis() {
        return millis.clone();
    }

    /** Faults of this kind that failed over. */
    public int count() {
        return millis.length;
    }

    public long min() {
        return millis.length == 0 ? -1 : millis[0];
    }

    public long max() {
        return millis.length == 0 ? -1 : millis[millis.length - 1];
    }

    public double median() {
        return millis.length == 0 ? -1 : median(millis);
    }

    /** The median of a non-empty sorted array (the mean of the middle two for an even count). */
    static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    public long p90() {
        int n = millis.length;
        return n == 0 ? -1 : millis[(int) Math.ceil(0.9 * n) - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KindStats k
                && k.system.equals(system)
                && k.kind.equals(kind)
                && Arrays.equals(k.millis, millis)
                && k.noFailover == noFailover
                && k.nothingHosted == nothingHosted;
    }

    @Override
    public int hashCode() {
        return (system.hashCode() * 31 + kind.hashCode()) * 31 + Arrays.hashCode(millis);
    }

    @Override
    public String toString() {
        return system + "/" + kind + " " + Arrays.toString(millis) + " none=" + noFailover + " nothing="
                + nothingHosted;
    }
}
