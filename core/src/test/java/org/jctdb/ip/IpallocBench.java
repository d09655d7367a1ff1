package org.jctdb.ip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Benchmark (a main, not a test): LCP2 time for the worst everyday case, every address
 * unassigned on an all-healthy cluster (placement plus failback), and for one node
 * returning to a cluster that hosts everything (failback only). Median of several runs.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes org.jctdb.ip.IpallocBench}
 */
public final class IpallocBench {

    private IpallocBench() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] nodeCounts = {8, 32, 64};
        int[] addressCounts = {256, 1024, 4096};
        System.out.println("LCP2 allocation time, median of " + runs + " runs (ms)");
        System.out.printf("%-6s %-9s %14s %16s%n", "nodes", "addresses", "all-unassigned", "1 node returns");
        for (int n : nodeCounts) {
            for (int a : addressCounts) {
                double fresh = median(runs, freshInput(n, a));
                double returning = median(runs, returningInput(n, a));
                System.out.printf("%-6d %-9d %14.1f %16.1f%n", n, a, fresh, returning);
            }
        }
    }

    private static double median(int runs, AllocationInput in) {
        IpAllocator.allocate(in); // warm-up
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            IpAllocator.allocate(in);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static Set<Integer> all(int n) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    private static List<NodeState> healthy(int n) {
        List<NodeState> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(NodeState.running(0));
        }
        return l;
    }

    /** Addresses 10.x.y.z, 250 per /24, consecutive. */
    private static IpAddress address(int i) {
        return IpAddress.ipv4((10 << 24) | ((i / 250) << 8) | (1 + i % 250));
    }

    private static AllocationInput freshInput(int n, int a) {
        List<PublicAddress> l = new ArrayList<>();
        for (int i = 0; i < a; i++) {
            l.add(PublicAddress.of(address(i), -1, all(n)));
        }
        return new AllocationInput(healthy(n), l, IpAllocTunables.defaults());
    }

    /** Everything spread over nodes 1..n-1; node 0 just became healthy. */
    private static AllocationInput returningInput(int n, int a) {
        List<PublicAddress> l = new ArrayList<>();
        for (int i = 0; i < a; i++) {
            l.add(PublicAddress.of(address(i), 1 + i % (n - 1), all(n)));
        }
        return new AllocationInput(healthy(n), l, IpAllocTunables.defaults());
    }
}
