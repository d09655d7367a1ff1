package org.jctdb.lab.report;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Which node leads, by the answers of one sample: the node most reachable nodes name, ties to
 * the lowest pnn, -1 when none names one. The lab aims faults with it while it runs and the
 * report counts "the leader's" faults with it afterwards, so both must count the same way.
 */
public final class LeaderVote {
    private LeaderVote() {}

    public static <N> int of(Collection<N> nodes, Predicate<N> reachable, ToIntFunction<N> leader) {
        Map<Integer, Integer> votes = new TreeMap<>();
        for (N n : nodes) {
            int l = leader.applyAsInt(n);
            if (reachable.test(n) && l >= 0) {
                votes.merge(l, 1, Integer::sum);
            }
        }
        int best = -1;
        int most = 0;
        for (Map.Entry<Integer, Integer> e : votes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }
}
