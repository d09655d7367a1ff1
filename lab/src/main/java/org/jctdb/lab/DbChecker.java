package org.jctdb.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The database invariants, judged from the recorded workload (db.jsonl) and faults (faults.jsonl)
 * once the campaign has ended. Pure. A node that is down or cut off may fail operations; only
 * lost acknowledged writes, contradicting data masters and a database that does not recover in
 * the bound are violations. See docs/design/lab.md "Database invariants".
 */
public final class DbChecker {
    /** The lowest rsn compared by {@link #twoDataMasters}. */
    static final long FRESH_RSN_LIMIT = 2;
    /** GETVNNMAP's generation when the node names none (CTDB's -1 as an unsigned 32-bit number). */
    static final long NO_GENERATION = 0xFFFF_FFFFL;

    private DbChecker() {}

    /** A stretch [from, to) in which no fault is active; {@code from} is when the last fault of an episode ended. */
    record Calm(long from, long to) {}

    /**
     * Every violation of the three database invariants in a run of {@code nodes} nodes that ended
     * at {@code end}, with {@code healMs} the heal bound of the campaign.
     */
    public static List<Violation> check(
            List<DbEvent> events, List<FaultEvent> faults, int nodes, long healMs, long end) {
        List<Calm> calms = calms(faults, end);
        List<Violation> out = new ArrayList<>();
        out.addAll(lostWrites(events, calms, healMs));
        out.addAll(twoDataMasters(events));
        out.addAll(notRecovered(events, calms, nodes, healMs));
        out.sort(Comparator.comparingLong(Violation::t));
        return out;
    }

    /** The stretches without an active fault; the campaign starts healthy (calm from 0). */
    static List<Calm> calms(List<FaultEvent> faults, long end) {
        List<FaultEvent> sorted = new ArrayList<>(faults);
        sorted.sort(Comparator.comparingLong(FaultEvent::t));
        List<Calm> out = new ArrayList<>();
        Set<Integer> active = new HashSet<>();
        long calmSince = 0;
        for (FaultEvent e : sorted) {
            if (e.start()) {
                if (calmSince >= 0 && e.t() > calmSince) {
                    out.add(new Calm(calmSince, e.t()));
                }
                calmSince = -1;
                if (e.kind().lasting()) {
                    active.add(e.id());
                } else if (active.isEmpty()) {
                    // an instant fault (a crash): its episode ends when it happened
                    calmSince = e.t();
                }
            } else {
                active.remove(e.id());
                if (active.isEmpty() && calmSince < 0) {
                    calmSince = e.t();
                }
            }
        }
        if (calmSince >= 0 && end > calmSince) {
            out.add(new Calm(calmSince, end));
        }
        return out;
    }

    /**
     * (a) A read begun at least {@code healMs} into a calm stretch (and answered in it) returns at
     * least the value of every write of that key acknowledged {@code healMs} or more before the
     * read began: the heal bound is also the time allowed for a commit to show on every node,
     * so a lagging copy is not a lost write, a copy still behind after the bound is. Values of a
     * key only rise, so a higher value (a later or an unacknowledged write) is fine.
     */
    static List<Violation> lostWrites(List<DbEvent> events, List<Calm> calms, long healMs) {
        Map<String, List<DbEvent>> acks = acks(events);
        List<Violation> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (DbEvent r : events) {
            if (!r.ok() || !r.op().equals(DbEvent.PREAD) || !settled(r, calms, healMs)) {
                continue;
            }
            DbEvent acked = lastAcked(acks, r.key(), r.start() - healMs);
            if (acked != null
                    && r.value() < acked.value()
                    && reported.add(r.node() + "/" + r.key() + "/" + acked.value())) {
                out.add(new Violation(
                        r.t(),
                        Violation.DB_LOST_WRITE,
                        "node " + r.node() + " reads " + r.key() + " = " + r.value() + " but " + acked.value()
                                + " was acknowledged by node " + acked.node() + " at +" + acked.t() + " ms"));
            }
        }
        return out;
    }

    /**
     * Reads, at any time, that returned less than a write of the key acknowledged before the read
     * began: not violations (a commit may show on the other nodes a moment after it is
     * acknowledged, and a cut-off node serves its stale copy), but worth counting.
     */
    public static long staleReads(List<DbEvent> events) {
        Map<String, List<DbEvent>> acks = acks(events);
        return events.stream()
                .filter(r -> r.ok() && r.op().equals(DbEvent.PREAD))
                .filter(r -> {
                    DbEvent w = lastAcked(acks, r.key(), r.start());
                    return w != null && r.value() < w.value();
                })
                .count();
    }

    /** Per key, the acknowledged writes in order of their acknowledgement, with the running highest value. */
    private static Map<String, List<DbEvent>> acks(List<DbEvent> events) {
        Map<String, List<DbEvent>> byKey = new HashMap<>();
        events.stream()
                .filter(w -> w.ok() && w.op().equals(DbEvent.PWRITE))
                .sorted(Comparator.comparingLong(DbEvent::t))
                .forEach(w -> {
                    List<DbEvent> l = byKey.computeIfAbsent(w.key(), k -> new ArrayList<>());
                    // keep only writes that raise the highest value: then the last one before a time is the answer
                    if (l.isEmpty() || w.value() > l.get(l.size() - 1).value()) {
                        l.add(w);
                    }
                });
        return byKey;
    }

    /** The write of {@code key} with the highest value among those acknowledged before {@code before}. */
    private static DbEvent lastAcked(Map<String, List<DbEvent>> acks, String key, long before) {
        List<DbEvent> l = acks.getOrDefault(key, List.of());
        int lo = 0;
        int hi = l.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (l.get(mid).t() < before) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? null : l.get(lo - 1);
    }

    private static boolean settled(DbEvent e, List<Calm> calms, long healMs) {
        return calms.stream().anyMatch(c -> e.start() >= c.from() + healMs && e.t() < c.to());
    }

    /**
     * (b) Within one generation the rsn of a volatile record rises with every migration, so two
     * answers for the same key, generation and rsn that name different data masters mean two
     * nodes held it as master at once. Answers are taken in the order they began; an rsn below
     * the highest seen means the record was deleted and created again (vacuuming), which starts
     * the comparison afresh. Answers whose generation changed during the call are not compared,
     * nor answers with an rsn below {@link #FRESH_RSN_LIMIT}: a record created afresh (its first
     * fetch, or after vacuuming deleted the empty record) starts from rsn 0 or 1 on whichever
     * node asks, so such answers may name different masters without any contradiction. Answers under
     * {@link #NO_GENERATION} are not compared either: they name no generation, and the same rsn half an
     * hour apart, after restarts, is not one record version (seen in the etcd campaign, seed 1807).
     */
    static List<Violation> twoDataMasters(List<DbEvent> events) {
        Map<String, List<DbEvent>> byKeyGen = new TreeMap<>();
        for (DbEvent e : events) {
            if (e.ok() && e.op().equals(DbEvent.VFETCH) && e.gen() >= 0 && e.gen() != NO_GENERATION) {
                byKeyGen.computeIfAbsent(e.key() + "@" + e.gen(), k -> new ArrayList<>())
                        .add(e);
            }
        }
        List<Violation> out = new ArrayList<>();
        for (List<DbEvent> answers : byKeyGen.values()) {
            answers.sort(Comparator.comparingLong(DbEvent::start));
            Map<Long, DbEvent> byRsn = new HashMap<>();
            long highest = -1;
            for (DbEvent a : answers) {
                if (a.rsn() < highest) {
                    byRsn.clear();
                }
                highest = a.rsn() < highest ? a.rsn() : Math.max(highest, a.rsn());
                if (a.rsn() < FRESH_RSN_LIMIT) {
                    continue; // kept above: its low rsn says the record was created afresh
                }
                DbEvent seen = byRsn.putIfAbsent(a.rsn(), a);
                if (seen != null && seen.dmaster() != a.dmaster()) {
                    out.add(new Violation(
                            a.t(),
                            Violation.DB_TWO_DATA_MASTERS,
                            a.key() + " at generation " + a.gen() + " rsn " + a.rsn() + ": node " + seen.node()
                                    + " saw data master " + seen.dmaster() + " at +" + seen.t() + " ms, node "
                                    + a.node() + " saw " + a.dmaster()));
                }
            }
        }
        return out;
    }

    /**
     * (c) In every calm stretch that lasts at least {@code healMs}, every node answers a
     * persistent write, a persistent read and a volatile fetch within {@code healMs} of its start.
     */
    static List<Violation> notRecovered(List<DbEvent> events, List<Calm> calms, int nodes, long healMs) {
        List<Violation> out = new ArrayList<>();
        for (Calm c : calms) {
            long bound = c.from() + healMs;
            if (c.to() < bound) {
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (int k = 0; k < nodes; k++) {
                for (String op : List.of(DbEvent.PWRITE, DbEvent.PREAD, DbEvent.VFETCH)) {
                    int node = k;
                    boolean done = events.stream()
                            .anyMatch(e -> e.ok()
                                    && e.node() == node
                                    && e.op().equals(op)
                                    && e.t() >= c.from()
                                    && e.t() <= bound);
                    if (!done) {
                        missing.add(op + " on node " + k);
                    }
                }
            }
            if (!missing.isEmpty()) {
                out.add(new Violation(
                        bound,
                        Violation.DB_NOT_RECOVERED,
                        "no successful " + String.join(", ", missing) + " within " + healMs / 1000
                                + " s after the faults ended at +" + c.from() + " ms"));
            }
        }
        return out;
    }
}
