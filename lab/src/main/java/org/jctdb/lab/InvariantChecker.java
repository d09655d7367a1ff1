package org.jctdb.lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the lab's invariants on a stream of samples and fault events, in time order:
 * no public address configured in two node namespaces, at most one holder of the cluster lock,
 * at most one hung storage probe per node, and, once no fault is active any more, a sample
 * within {@code healMs} in which every node is OK and every address is hosted exactly once.
 * A condition that lasts several samples is reported once, when it begins. Pure: no clock.
 */
public final class InvariantChecker {
    private final long healMs;
    private final List<String> publicIps;
    private final Set<Integer> active = new HashSet<>();
    /** Keys of conditions seen in the previous sample, so each is reported once per stretch. */
    private Set<String> ongoing = new HashSet<>();

    private long healSince = -1;
    private Sample last;

    public InvariantChecker(long healMs, List<String> publicIps) {
        this.healMs = healMs;
        this.publicIps = List.copyOf(publicIps);
    }

    /** Time at which every fault had ended and healing is awaited, or -1. */
    public long awaitingHealSince() {
        return healSince;
    }

    public List<Violation> onFault(FaultEvent e) {
        List<Violation> out = new ArrayList<>();
        if (e.start()) {
            if (e.kind().lasting()) {
                active.add(e.id());
            }
            // A new fault before the bound: the heal window was cut short; judge it up to now.
            if (healSince >= 0 && e.t() >= healSince + healMs) {
                out.add(notHealed(healSince + healMs));
            }
            healSince = active.isEmpty() ? e.t() : -1;
        } else {
            active.remove(e.id());
            if (active.isEmpty()) {
                healSince = e.t();
            }
        }
        return out;
    }

    public List<Violation> onSample(Sample s) {
        List<Violation> out = new ArrayList<>();
        Set<String> now = new HashSet<>();
        for (Map.Entry<String, List<Integer>> e : new TreeMap<>(s.addrs()).entrySet()) {
            if (e.getValue().size() > 1) {
                report(
                        out,
                        now,
                        s.t(),
                        Violation.ADDRESS_IN_TWO_PLACES,
                        e.getKey(),
                        e.getKey() + " on nodes " + joinNodes(e.getValue()));
            }
        }
        if (s.lockHolders() > 1) {
            report(
                    out,
                    now,
                    s.t(),
                    Violation.TWO_LOCK_HOLDERS,
                    "",
                    s.lockHolders() + " processes hold locks on the cluster filesystem");
        }
        for (NodeSample n : s.nodes()) {
            if (n.hungProbes() > 1) {
                report(
                        out,
                        now,
                        s.t(),
                        Violation.DUPLICATE_HUNG_PROBE,
                        String.valueOf(n.pnn()),
                        "node " + n.pnn() + " has " + n.hungProbes() + " hung storage probes");
            }
        }
        ongoing = now;
        if (healSince >= 0) {
            if (healthy(s)) {
                healSince = -1;
            } else if (s.t() > healSince + healMs) {
                out.add(notHealed(s.t()));
                healSince = -1;
            }
        }
        last = s;
        return out;
    }

    /** At the end of the run: a heal still awaited past its bound is a violation. */
    public List<Violation> finish(long t) {
        if (healSince >= 0 && t > healSince + healMs) {
            Violation v = notHealed(t);
            healSince = -1;
            return List.of(v);
        }
        return List.of();
    }

    private void report(List<Violation> out, Set<String> now, long t, String invariant, String key, String detail) {
        String id = invariant + ":" + key;
        now.add(id);
        if (!ongoing.contains(id)) {
            out.add(new Violation(t, invariant, detail));
        }
    }

    /** Every node OK in its own view and every public address on exactly one node. */
    public boolean healthy(Sample s) {
        return s.nodes().stream().allMatch(NodeSample::ok)
                && publicIps.stream()
                        .allMatch(ip -> s.addrs().getOrDefault(ip, List.of()).size() == 1);
    }

    private Violation notHealed(long t) {
        List<String> why = new ArrayList<>();
        if (last != null) {
            for (NodeSample n : last.nodes()) {
                if (!n.ok()) {
                    why.add("node " + n.pnn() + " " + (n.reachable() ? n.status() : "not answering"));
                }
            }
            for (String ip : publicIps) {
                int where = last.addrs().getOrDefault(ip, List.of()).size();
                if (where != 1) {
                    why.add(ip + " on " + where + " nodes");
                }
            }
        }
        return new Violation(
                t,
                Violation.NOT_HEALED_IN_BOUND,
                "not healed " + healMs / 1000 + " s after the last fault ended (at +" + healSince + " ms): "
                        + String.join(", ", why));
    }

    static String joinNodes(List<Integer> nodes) {
        List<String> s = new TreeSet<>(nodes).stream().map(String::valueOf).toList();
        if (s.size() <= 1) {
            return String.join("", s);
        }
        return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
    }
}
