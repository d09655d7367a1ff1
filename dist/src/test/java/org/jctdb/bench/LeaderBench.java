package org.jctdb.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.leader.LeaderIT;
import org.jctdb.testing.LocalClusterHarness;

/**
 * Leader failover after kill -9 of the leader: time until every surviving node names one new
 * leader and that leader's helper holds the fcntl lock (read from /proc/locks). The killed
 * node is restarted and the cluster settles between runs. bench/run LeaderBench [runs]
 */
public final class LeaderBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<Double> secs = new ArrayList<>();
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            Path lock = c.dir.resolve("shared/.ctdb/cluster.lock");
            Set<Integer> all = Set.of(0, 1, 2);
            for (int i = 0; i < runs; i++) {
                int leader = waitFor(c, lock, all, -1);
                Set<Integer> alive = new TreeSet<>(all);
                alive.remove(leader);
                long t0 = System.nanoTime();
                LocalClusterHarness.signal(c.pid(leader), "KILL");
                waitFor(c, lock, alive, leader);
                secs.add((System.nanoTime() - t0) / 1e9);
                c.startNode(leader);
            }
        }
        Collections.sort(secs);
        System.out.println("| measurement | value |");
        System.out.println("|---|---|");
        System.out.printf(
                "| leader failover after kill -9 of the leader (new leader holds the lock) | median %.3f s, "
                        + "max %.3f s (%d runs) |%n",
                secs.get(secs.size() / 2), secs.get(secs.size() - 1), secs.size());
    }

    /** Waits until the nodes in {@code alive} agree on a leader other than {@code not} that holds the lock. */
    private static int waitFor(LocalClusterHarness c, Path lock, Set<Integer> alive, int not) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            int l = LeaderIT.leaderHoldingLock(c, lock, alive);
            if (l >= 0 && l != not) {
                return l;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no leader holding the lock within 60 s");
    }
}
