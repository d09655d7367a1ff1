package org.jctdb.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.lab.ReachProbe;

/**
 * One fault on a {@link NetnsCluster} and its measured failover: a non-leader node hosting
 * addresses (or the leader) is killed, paused or cut off; the time until each of its addresses is
 * configured on another node and answers the client is measured. Used by IpFailoverIT and the bench.
 */
public final class FailoverScenario {
    public enum Fault {
        KILL,
        PAUSE,
        LINK
    }

    /** Result: failover time (ms, -1 when it did not happen within the limit) and the victim. */
    public record Outcome(Fault fault, int victim, List<String> ips, long failoverMillis) {}

    /**
     * The leader's fault: its own addresses' failover as in {@link Outcome}, and every removal of an
     * address of another node from that node while the fault lasted ({@code kept}: those addresses).
     */
    public record LeaderOutcome(Outcome outcome, List<String> kept, List<AddressWatch.Change> keptRemoved) {}

    private final NetnsCluster cluster;
    private final AddressWatch watch;
    private final ReachProbe probe;

    public FailoverScenario(NetnsCluster cluster, AddressWatch watch, ReachProbe probe) {
        this.cluster = cluster;
        this.watch = watch;
        this.probe = probe;
    }

    /**
     * Waits until every address is configured in exactly one node namespace and answers, and
     * they are spread over as many nodes as can take one, for 2 s: the moment the last node takes
     * its first address its run is still under way (CutOffLeaderIT cut the leader there once, under
     * load, a node having become healthy 25 s after start).
     */
    public boolean waitSettled(long limitMillis) {
        return waitSettled(limitMillis, 2_000);
    }

    /**
     * Every address hosted once and answering, with the same placement for {@code stableMillis}: the
     * next fault then starts from a settled cluster, not from a run still moving addresses back.
     */
    public boolean waitSettled(long limitMillis, long stableMillis) {
        long until = System.nanoTime() + limitMillis * 1_000_000;
        Map<String, Set<String>> since = null;
        long sinceNanos = 0;
        while (System.nanoTime() < until) {
            Map<String, Set<String>> now = watch.now();
            ReachProbe.Round r = probe == null ? null : probe.latest();
            boolean ok = now.values().stream().allMatch(s -> s.size() == 1);
            Set<String> hosts = new java.util.HashSet<>();
            now.values().forEach(hosts::addAll);
            ok &= hosts.size() == Math.min(cluster.nodes, now.size());
            if (ok && probe != null) {
                ok = r != null
                        && r.answered().values().stream().allMatch(b -> b)
                        && r.answered().size() == now.size();
            }
            if (!ok) {
                since = null;
            } else if (!now.equals(since)) {
                since = now;
                sinceNanos = System.nanoTime();
            }
            if (ok && System.nanoTime() - sinceNanos >= stableMillis * 1_000_000) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    /** A node other than the leader that hosts at least one address, and its addresses. */
    public int pickVictim() throws IOException {
        int leader = Integer.parseInt(cluster.query(0, "leader").stdout().strip());
        Map<String, Set<String>> now = watch.now();
        for (int k = 0; k < cluster.nodes; k++) {
            String ns = cluster.nodeNs(k);
            if (k != leader && now.values().stream().anyMatch(s -> s.contains(ns))) {
                return k;
            }
        }
        throw new IllegalStateException("no non-leader node hosts an address: " + now + " leader " + leader);
    }

    public Outcome run(Fault fault, long limitMillis) throws IOException {
        return run(fault, pickVictim(), limitMillis);
    }

    /**
     * The fault hits the leader; the other nodes are to keep their own addresses all along (they
     * keep them on each other's vouches until a new leader grants).
     */
    public LeaderOutcome runOnLeader(Fault fault, long limitMillis) throws IOException {
        int leader = Integer.parseInt(cluster.query(0, "leader").stdout().strip());
        Map<String, String> kept = hostedOutside(watch, cluster.nodeNs(leader));
        long t0 = System.nanoTime();
        Outcome o = run(fault, leader, limitMillis);
        return new LeaderOutcome(o, List.copyOf(kept.keySet()), removals(watch, kept, t0, System.nanoTime()));
    }

    /** Address -> the one namespace it is configured in now, for the addresses not in {@code ns}. */
    public static Map<String, String> hostedOutside(AddressWatch watch, String ns) {
        Map<String, String> out = new java.util.TreeMap<>();
        watch.now().forEach((ip, where) -> {
            if (where.size() == 1 && !where.contains(ns)) {
                out.put(ip, where.iterator().next());
            }
        });
        return out;
    }

    /** Removals of an address of {@code places} from its namespace between the two times. */
    public static List<AddressWatch.Change> removals(
            AddressWatch watch, Map<String, String> places, long fromNanos, long toNanos) {
        List<AddressWatch.Change> out = new ArrayList<>();
        for (AddressWatch.Change ch : watch.snapshot()) {
            if (ch.nanos() >= fromNanos
                    && ch.nanos() <= toNanos
                    && !ch.present()
                    && ch.ns().equals(places.get(ch.ip()))) {
                out.add(ch);
            }
        }
        return out;
    }

    private Outcome run(Fault fault, int victim, long limitMillis) throws IOException {
        String victimNs = cluster.nodeNs(victim);
        List<String> ips = new ArrayList<>();
        watch.now().forEach((ip, where) -> {
            if (where.contains(victimNs)) {
                ips.add(ip);
            }
        });
        long t0 = System.nanoTime();
        switch (fault) {
            case KILL -> cluster.signal(victim, "KILL");
            case PAUSE -> cluster.signal(victim, "STOP");
            case LINK -> cluster.link(victim, false);
        }
        long done = -1;
        long until = t0 + limitMillis * 1_000_000 + 2_000_000_000L;
        while (System.nanoTime() < until) {
            long latest = -1;
            boolean all = true;
            for (String ip : ips) {
                long t = movedAndAnswering(ip, victimNs, t0);
                if (t < 0) {
                    all = false;
                    break;
                }
                latest = Math.max(latest, t);
            }
            if (all) {
                done = (latest - t0) / 1_000_000;
                break;
            }
            sleep(50);
        }
        return new Outcome(fault, victim, ips, done);
    }

    /** Undoes the fault and waits until every address is hosted once again. */
    public boolean heal(Outcome o, long limitMillis) throws IOException {
        switch (o.fault()) {
            case KILL -> cluster.start(o.victim());
            case PAUSE -> cluster.signal(o.victim(), "CONT");
            case LINK -> cluster.link(o.victim(), true);
        }
        return waitSettled(limitMillis, 3_000);
    }

    /** First probe round after t0 at which ip answered while configured on a node other than the victim. */
    private long movedAndAnswering(String ip, String victimNs, long t0) {
        for (ReachProbe.Round r : probe.rounds()) {
            if (r.nanos() < t0 || !Boolean.TRUE.equals(r.answered().get(ip))) {
                continue;
            }
            Set<String> where = watch.sample(r.nanos()).get(ip);
            if (!where.isEmpty() && !where.contains(victimNs)) {
                return r.nanos();
            }
        }
        return -1;
    }

    static void sleep(long ms) {
        java.util.concurrent.locks.LockSupport.parkNanos(ms * 1_000_000);
    }
}
