package org.jctdb.ip;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jctdb.config.Tunables;
import org.jctdb.leader.Generation;

/**
 * Benchmark (a main, not a test): what the leader's core spends planning one takeover run, as
 * the daemon's IP tick calls it: N nodes have reported listing every address and hosting none,
 * then one {@link TakeoverLeader#tick} plans the run (LCP2 allocation, the plan, the takes).
 * Median wall and thread CPU time of several fresh leaders per size, after one unmeasured
 * warm-up (CPU time is the fairer figure on a loaded machine).
 *
 * <p>Run: {@code java -cp core/target/classes:core/target/test-classes org.jctdb.ip.TakeoverRunBench [runs]}
 */
public final class TakeoverRunBench {
    private static final FailoverTiming T = FailoverTiming.fromTunables(Tunables.defaults());
    private static final long GEN = Generation.next(0, 0);

    private TakeoverRunBench() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("Takeover run planned by the leader (tick after all reports), median of " + runs + " (ms)");
        System.out.printf("%-6s %-9s %12s %11s %6s%n", "nodes", "addresses", "wall ms", "CPU ms", "takes");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int n : new int[] {8, 32, 64}) {
            for (int a : new int[] {256, 4096}) {
                once(n, a); // warm-up
                double[] ms = new double[runs];
                double[] cpu = new double[runs];
                int takes = 0;
                for (int i = 0; i < runs; i++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    takes = once(n, a);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                Arrays.sort(ms);
                Arrays.sort(cpu);
                System.out.printf("%-6d %-9d %12.1f %11.1f %6d%n", n, a, ms[runs / 2], cpu[runs / 2], takes);
            }
        }
    }

    /** A fresh leader, a first tick, n reports of a addresses, one tick; returns how many take messages it sent. */
    private static int once(int n, int a) {
        List<IpMessage.Listed> listed = new ArrayList<>();
        for (int i = 0; i < a; i++) {
            listed.add(new IpMessage.Listed(
                    "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 16, List.of("eth0")));
        }
        List<Integer> flags = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            flags.add(0);
        }
        TakeoverInput in = new TakeoverInput(GEN, false, flags, IpAllocTunables.defaults(), true, 300, 120);
        TakeoverLeader leader = new TakeoverLeader(0, T);
        long now = 1_000;
        leader.tick(now, in); // takes the generation; waits for every node's report
        for (int p = 0; p < n; p++) {
            leader.onReport(TakeoverLeaderTest.fullReport(p, 1, List.of(), listed, List.of(), null), now, GEN);
        }
        int takes = 0;
        for (IpEffect e : leader.tick(now, in)) {
            if (e instanceof IpEffect.Send s && s.message() instanceof IpMessage.Take) {
                takes++;
            }
        }
        if (takes == 0) {
            throw new IllegalStateException("the leader planned no takes for " + n + " nodes, " + a + " addresses");
        }
        return takes;
    }
}
