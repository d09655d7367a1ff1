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
     * least the value of the last write of that key acknowledged before the read began. Values
     * of a key only rise, so a higher value (a later or an unacknowledged write) is fine.
     */
    static List<Violation> lostWrites(List<DbEvent> events, List<Calm> calms, long healMs) {
        List<DbEvent> writes = events.stream()
                .filter(e -> e.ok() && e.op().equals(DbEvent.PWRITE))
                .sorted(Comparator.comparingLong(DbEvent::t))
                .toList();
        List<Violation> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (DbEvent r : events) {
            if (!r.ok() || !r.op().equals(DbEvent.PREAD) || !settled(r, calms, healMs)) {
                continue;
            }
            DbEvent acked = null;
            for (DbEvent w : writes) {
                if (w.t() >= r.start()) {
                    break;
                }
                if (w.key().equals(r.key()) && (acked == null || w.value() > acked.value())) {
                    acked = w;
                }
            }
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

    private static boolean settled(DbEvent e, List<Calm> calms, long healMs) {
        return calms.stream().anyMatch(c -> e.start() >= c.from() + healMs && e.t() < c.to());
    }

    /**
     * (b) Within one generation the rsn of a volatile record rises with every migration, so two
     * answers for the same key, generation and rsn that name different data masters mean two
     * nodes held it as master at once. Answers are taken in the order they began; an rsn below
     * the highest seen means the record was deleted and created again (vacuuming), which starts
     * the comparison afresh. Answers whose generation changed during the call are not compared.
     */
    static List<Violation> twoDataMasters(List<DbEvent> events) {
        Map<String, List<DbEvent>> byKeyGen = new TreeMap<>();
        for (DbEvent e : events) {
            if (e.ok() && e.op().equals(DbEvent.VFETCH) && e.gen() >= 0) {
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
