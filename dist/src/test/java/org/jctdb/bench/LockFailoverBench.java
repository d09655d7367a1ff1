package org.jctdb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.lab.LocalLockServer;
import org.jctdb.leader.LeaderIT;
import org.jctdb.leader.LeasedLockLeaderIT;
import org.jctdb.testing.LocalClusterHarness;

/**
 * Leader failover after kill -9 of the leader, with the cluster lock on an fcntl lock file, a
 * single-member etcd and a single-member ZooKeeper (`local-cluster up --cluster-lock`, lease 5 s),
 * side by side: time from the kill until both survivors name one new leader and that leader holds
 * the lock (fcntl: /proc/locks; etcd, ZooKeeper: the holder read from the service). The killed
 * node is restarted between runs. bench/run LockFailoverBench [runs] [fcntl,etcd,zookeeper]
 */
public final class LockFailoverBench {
    private interface Holder {
        int leaderHoldingLock(Set<Integer> alive) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<String> locks = List.of((args.length > 1 ? args[1] : "fcntl,etcd,zookeeper").split(","));
        List<String> rows = new ArrayList<>();
        for (String lock : locks) {
            List<Double> secs = lock.equals("fcntl")
                    ? fcntl(runs)
                    : leased(
                            LocalLockServer.Kind.of(lock)
                                    .orElseThrow(() -> new IllegalArgumentException("unknown lock " + lock)),
                            runs);
            Collections.sort(secs);
            rows.add(String.format(
                    "| %s | %s | %d | %.2f s | %.2f s | %.2f s |",
                    lock,
                    lock.equals("fcntl") ? "kernel drops the dead helper's lock" : "lease 5 s runs out",
                    secs.size(),
                    secs.get(0),
                    secs.get(secs.size() / 2),
                    secs.get(secs.size() - 1)));
        }
        System.out.println("Leader failover after kill -9 of the leader (3 nodes; until both others name one new"
                + " leader holding the lock)");
        System.out.println("| cluster lock | what frees it | runs | min | median | max |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println(
                "load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static List<Double> fcntl(int runs) throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            Path lock = c.dir.resolve("shared/.ctdb/cluster.lock");
            return measure(c, runs, alive -> LeaderIT.leaderHoldingLock(c, lock, alive));
        }
    }

    private static List<Double> leased(LocalLockServer.Kind kind, int runs) throws Exception {
        LocalLockServer.missing(kind).ifPresent(m -> {
            throw new IllegalStateException(m);
        });
        try (LocalClusterHarness c = LocalClusterHarness.up(3, List.of("--cluster-lock", kind.word));
                LeasedLockLeaderIT.Service s = new LeasedLockLeaderIT.Service(c, kind)) {
            return measure(c, runs, s::leaderHoldingLock);
        }
    }

    private static List<Double> measure(LocalClusterHarness c, int runs, Holder h) throws Exception {
        Set<Integer> all = Set.of(0, 1, 2);
        List<Double> secs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            int leader = waitFor(h, all, -1);
            Set<Integer> alive = new TreeSet<>(all);
            alive.remove(leader);
            long t0 = System.nanoTime();
            LocalClusterHarness.signal(c.pid(leader), "KILL");
            waitFor(h, alive, leader);
            secs.add((System.nanoTime() - t0) / 1e9);
            c.startNode(leader);
        }
        return secs;
    }

    /** Waits until the nodes in {@code alive} agree on a leader other than {@code not} that holds the lock. */
    private static int waitFor(Holder h, Set<Integer> alive, int not) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            int l = h.leaderHoldingLock(alive);
            if (l >= 0 && l != not) {
                return l;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no leader holding the lock within 60 s");
    }
}
