package org.jctdb.leader;

/**
 * The generation fence of one node: the newest generation it has seen and the boot id of the
 * leader that used it. A leader message passes only if its generation is not older, and a
 * generation seen before passes only from the same boot of its leader.
 */
final class Fence {
    enum Verdict {
        ACCEPT,
        STALE,
        REUSED,
        FORGED
    }

    private long seen = Generation.NONE;
    private long seenBoot; // 0 = learnt indirectly, boot unknown

    long seen() {
        return seen;
    }

    Verdict check(LeaderMessage.FromLeader m) {
        long gen = m.generation();
        if (Generation.leaderOf(gen) != m.from()) {
            return Verdict.FORGED;
        }
        if (gen < seen) {
            return Verdict.STALE;
        }
        if (gen == seen && gen != Generation.NONE && seenBoot != 0 && m.boot() != seenBoot) {
            return Verdict.REUSED;
        }
        return Verdict.ACCEPT;
    }

    /** A leader's generation, with the boot id that used it. */
    void accept(long generation, long boot) {
        seen = generation;
        seenBoot = boot;
    }

    /** Heard of a newer generation without its leader's message (candidate, refused). */
    void learn(long generation) {
        if (generation > seen) {
            seen = generation;
            seenBoot = 0;
        }
    }
}
