package org.jctdb.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The seed-reproducible fault plan of a campaign. Faults come in episodes: one to
 * maxConcurrent+1 faults starting within a few seconds of each other (at most maxConcurrent
 * active at once, never two on one node, at most one cluster-wide fault, overlapping no
 * other), then a heal period of {@code healMs} plus a slack in which nothing happens, so
 * every episode can be judged on whether the cluster healed. A node takes part in at most one fault per episode:
 * a crashed node's restart takes seconds longer than planned, and a second fault on it must
 * not meet a daemon that is still starting; likewise at most one fault on the lock's service. Pure: the same parameters give the same schedule.
 */
public final class FaultSchedule {
    /** The first episode starts this long after the campaign starts. */
    static final long FIRST_MS = 3_000;
    /** Faults of an episode start within this window. */
    static final int START_WINDOW_MS = 6_000;
    /** Bounds of the short profile, the default. */
    static final int MIN_DURATION_MS = FaultProfile.SHORT.minMs();

    static final int MAX_DURATION_MS = FaultProfile.SHORT.maxMs();
    /** Extra quiet time after the heal bound: a restart's own duration delays a fault's end. */
    static final long SLACK_MS = 5_000;

    private static final int ATTEMPTS = 20;

    /** What a schedule is generated from. */
    public record Params(
            long seed,
            long campaignMs,
            int nodes,
            List<FaultKind> kinds,
            int maxConcurrent,
            long healMs,
            FaultProfile profile,
            double leaderShare) {
        public Params {
            kinds = List.copyOf(kinds);
            if (nodes < 1
                    || maxConcurrent < 1
                    || kinds.isEmpty()
                    || campaignMs < 0
                    || healMs < 0
                    || profile == null
                    || !(leaderShare >= 0 && leaderShare <= 1)) {
                throw new IllegalArgumentException("bad schedule parameters: " + this);
            }
        }

        /** The short profile. */
        public Params(long seed, long campaignMs, int nodes, List<FaultKind> kinds, int maxConcurrent, long healMs) {
            this(seed, campaignMs, nodes, kinds, maxConcurrent, healMs, FaultProfile.SHORT, 0);
        }
    }

    private FaultSchedule() {}

    /** The quiet time after the last fault of an episode ends. */
    public static long gapMs(long healMs) {
        return healMs + SLACK_MS;
    }

    public static List<Fault> generate(Params p) {
        Random r = new Random(p.seed());
        List<FaultKind> usable = p.kinds().stream()
                .filter(k -> (k != FaultKind.PARTITION && k != FaultKind.SPLIT) || p.nodes() >= 2)
                .toList();
        List<Fault> all = new ArrayList<>();
        long t = FIRST_MS;
        while (!usable.isEmpty()) {
            List<Fault> episode = episode(r, p, usable, t);
            long end = episode.stream().mapToLong(Fault::endMs).max().orElse(t);
            if (episode.isEmpty() || end + gapMs(p.healMs()) > p.campaignMs()) {
                break;
            }
            all.addAll(episode);
            t = end + gapMs(p.healMs());
        }
        all.sort(Comparator.comparingLong(Fault::startMs));
        List<Fault> numbered = new ArrayList<>();
        for (Fault f : all) {
            numbered.add(new Fault(numbered.size() + 1, f.kind(), f.nodes(), f.startMs(), f.endMs(), f.leader()));
        }
        return numbered;
    }

    private static List<Fault> episode(Random r, Params p, List<FaultKind> kinds, long t) {
        int want = 1 + r.nextInt(p.maxConcurrent() + 1);
        List<Fault> ep = new ArrayList<>();
        for (int i = 0; i < want; i++) {
            for (int a = 0; a < ATTEMPTS; a++) {
                FaultKind kind = kinds.get(r.nextInt(kinds.size()));
                long start = t + r.nextInt(START_WINDOW_MS);
                long duration = kind.lasting() ? p.profile().draw(r) : 0;
                List<Integer> on = nodes(r, kind, p.nodes());
                // Drawn only when asked for, so that a share of 0 keeps every earlier seed's schedule.
                boolean leader = p.leaderShare() > 0 && kind.leaderTargetable() && r.nextDouble() < p.leaderShare();
                Fault f = new Fault(0, kind, on, start, start + duration, leader);
                if (admissible(ep, f, p.maxConcurrent())) {
                    ep.add(f);
                    break;
                }
            }
        }
        return ep;
    }

    private static List<Integer> nodes(Random r, FaultKind kind, int n) {
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            all.add(k);
        }
        return switch (kind) {
            case FREEZEALL, SPLIT -> all;
            case LOCKDELETE, LOCKPAUSE, LOCKKILL, LOCKPAUSEALL -> List.of();
            case PARTITION -> {
                Collections.shuffle(all, r);
                List<Integer> minority = new ArrayList<>(all.subList(0, 1 + r.nextInt(n / 2)));
                minority.sort(null);
                yield minority;
            }
            default -> List.of(r.nextInt(n));
        };
    }

    /**
     * No node is used twice in an episode, an episode has at most one exclusive fault (cluster-wide
     * or aimed at the leader) and it overlaps nothing, at most max at once.
     */
    static boolean admissible(List<Fault> ep, Fault f, int max) {
        for (Fault o : ep) {
            if (o.exclusive() && f.exclusive()) {
                return false;
            }
            // One fault on the lock's service per episode: two would often hit the same member.
            if (o.kind().lockService() && f.kind().lockService()) {
                return false;
            }
            if (o.nodes().stream().anyMatch(f.nodes()::contains)) {
                return false;
            }
            if (o.overlaps(f) && (o.exclusive() || f.exclusive())) {
                return false;
            }
        }
        List<Fault> with = new ArrayList<>(ep);
        with.add(f);
        return maxActive(with) <= max;
    }

    /** The most faults active at one instant (each is active on [start, end]). */
    public static int maxActive(List<Fault> faults) {
        int most = 0;
        for (Fault at : faults) {
            int n = 0;
            for (Fault f : faults) {
                if (f.startMs() <= at.startMs() && at.startMs() <= f.endMs()) {
                    n++;
                }
            }
            most = Math.max(most, n);
        }
        return most;
    }
}
