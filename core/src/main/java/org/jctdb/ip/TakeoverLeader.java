package org.jctdb.ip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jctdb.leader.Generation;
import org.jctdb.leader.Quorum;
import org.jctdb.protocol.NodeFlags;

/**
 * The leader's side of IP failover, pure: grants holds, computes the assignment with
 * {@link IpAllocator}, and drives takeover runs (release everywhere, then take, then
 * ipreallocated), one at a time. Addresses of a node that went silent are left alone until
 * they are surely gone from it ({@link PeerRecord#addressesGone}). Core thread only.
 */
public final class TakeoverLeader {
    static final long RETRY_AFTER_FAILURE_MS = 1_000;

    private final int me;
    private final FailoverTiming timing;
    private final Map<Integer, PeerRecord> peers = new TreeMap<>();
    /** The node flags of the latest tick. */
    private List<Integer> flags = List.of();

    private final BanCredits banCredits = new BanCredits();
    private long generation;
    private long leaderSince;
    /**
     * This leader began on one half of a tie: the other half may have a leader on the lock file this
     * one replaced, granting until its re-check finds out (docs/design/ip-failover.md, "Residual
     * risks"), so no gap is looked for until that leader's grants have surely run out.
     */
    private boolean tieAtStart;

    private TakeoverRun run;
    private long nextRunId = 1;
    private long failedRuns;
    private long reallocatedGeneration;
    private long notBefore;
    private boolean forced;
    private final Map<String, Integer> moves = new LinkedHashMap<>();
    /**
     * Takes sent and not yet answered, per node: address -> the run that sent it. The node may
     * still be about to configure the address (its job queue runs one script at a time, and its
     * reports list only what it has begun), so until the node answers a step of that run or a
     * later one (messages of a connection arrive in order, so the take is done or never came), or
     * its addresses are surely gone, the address counts as hosted there.
     */
    private final Map<Integer, Map<String, PendingTake>> unansweredTakes = new TreeMap<>();

    private record PendingTake(long run, IpMessage.Listed address) {}

    private Map<String, Integer> assignment = Map.of();
    /** Changes with every new assignment (never reset: versions of this leader stay distinct across terms). */
    private long assignmentVersion;

    public TakeoverLeader(int me, FailoverTiming timing) {
        this.me = me;
        this.timing = timing;
    }

    public boolean leading() {
        return generation != 0;
    }

    /**
     * Whether a tick would find nothing to do: this leader leads {@code leadingGeneration} (its tick has
     * seen it) and has run the generation's first takeover run (ipreallocated everywhere), no node has a
     * public address and no run is asked for (see {@link #idle}). Reports are
     * still answered as they come; one that lists an address ends it, as does a new generation or a
     * change of a node's flags, which a shell hears of anyway. Gaps (markGaps) are found at the next
     * tick as they would have been at this one: each is tried at the time it could have begun.
     */
    public boolean idleIn(long leadingGeneration, long now) {
        return leading()
                && generation == leadingGeneration
                && reallocatedGeneration == generation
                && !forced
                && idle(now);
    }

    /** The latest address-to-node map (-1: nowhere), sent with every grant. */
    public Map<String, Integer> assignment() {
        return assignment;
    }

    public boolean runInProgress() {
        return run != null;
    }

    /** Takeover runs this object has started, in any term (for the metrics). */
    public long runsStarted() {
        return nextRunId - 1;
    }

    /** Of those, the runs that ended failed (a step failed or went unanswered). */
    public long runsFailed() {
        return failedRuns;
    }

    /** A requested run (ipreallocate, moveip) has not started yet. */
    public boolean runRequested() {
        return forced;
    }

    /** ipreallocate, reloadips: run a takeover (and ipreallocated) even if nothing moves. */
    public void requestRun() {
        forced = true;
    }

    /** moveip: put {@code ip} on {@code pnn} in the next run. */
    public void requestMove(String ip, int pnn) {
        moves.put(ip, pnn);
        forced = true;
    }

    /**
     * A node's report; answered with a grant only while the leader core still leads this generation
     * ({@code leadingGeneration}, 0 if it does not lead): a term it ended since the last tick (a step
     * down, a pause past the leader timeout) grants nothing more.
     */
    public List<IpEffect> onReport(IpMessage.Report r, long now, long leadingGeneration) {
        if (!leading() || leadingGeneration != generation) {
            return List.of();
        }
        PeerRecord rec = peer(r.from());
        rec.report(r, now);
        Optional<String> conflict = claimedElsewhere(rec, now);
        if (conflict.isPresent()) {
            // Renewing its hold would keep an address on two nodes (a node back from a stale leader's
            // grants): let its hold lapse; the next run releases the address there.
            if (!rec.withheld) {
                rec.withheld = true;
                return List.of(log(
                        IpEffect.Level.WARN,
                        "not renewing node " + r.from() + "'s hold: it reports " + conflict.get()));
            }
            return List.of();
        }
        rec.withheld = false;
        rec.granted(r.seq(), now);
        boolean current = r.assignmentGeneration() == generation && r.assignmentVersion() == assignmentVersion;
        return List.of(new IpEffect.Send(
                r.from(),
                new IpMessage.Grant(
                        me,
                        generation,
                        r.seq(),
                        current ? null : assignment,
                        assignmentVersion,
                        nextRunId - 1,
                        rec.listingKnown ? rec.listedVersion : -1,
                        idle(now))));
    }

    /**
     * Whether no node has a public address to hold: every connected, not-deleted node's list is known
     * and empty, none hosts one, no disconnected node may still have addresses, and no run or move is
     * under way. Its nodes may then report only every idle report period; one whose list changes
     * reports at once, and the others hear that the cluster is no longer idle with their next grant.
     * (Nothing rests on it: with no address anywhere no hold matters. A silent node whose addresses
     * are not yet known to be gone keeps the cluster busy: the wait for its gap needs the others'
     * promises without a break, and runs wait for it; MetricsIT saw no run for a minute without that.)
     */
    private boolean idle(long now) {
        if (run != null || !moves.isEmpty() || flags.isEmpty()) {
            return false;
        }
        for (Map<String, PendingTake> takes : unansweredTakes.values()) {
            if (!takes.isEmpty()) {
                return false;
            }
        }
        for (int pnn = 0; pnn < flags.size(); pnn++) {
            if (NodeFlags.has(flags.get(pnn), NodeFlags.DELETED)) {
                continue;
            }
            PeerRecord rec = peers.get(pnn);
            if (NodeFlags.has(flags.get(pnn), NodeFlags.DISCONNECTED)) {
                if (rec != null && !rec.addressesGone(now, timing.crashGraceMs())) {
                    return false;
                }
            } else if (rec == null || !rec.listingKnown || !rec.listed.isEmpty() || !rec.hosted.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * An address {@code rec} reports that this leader has sent to another node in a take not yet
     * answered, or that another node has reported without a gap for longer.
     */
    private Optional<String> claimedElsewhere(PeerRecord rec, long now) {
        for (String ip : rec.hosted.keySet()) {
            for (Map.Entry<Integer, Map<String, PendingTake>> e : unansweredTakes.entrySet()) {
                if (e.getKey() != rec.pnn && e.getValue().containsKey(ip)) {
                    return Optional.of(ip + ", which is being taken by node " + e.getKey());
                }
            }
            for (PeerRecord other : peers.values()) {
                if (other != rec
                        && other.alive(now)
                        && other.aliveSince < rec.aliveSince
                        && other.hosted.containsKey(ip)) {
                    return Optional.of(ip + ", which node " + other.pnn + " has hosted for longer");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Finds, for each node whose grant hold has ended, a time at which its hold surely ended for
     * good. A node without grants keeps its addresses only on the vouches of a majority of the
     * configured nodes; a node bound by a promise does not vouch. So at a time {@code g} when nodes
     * making up at least half of the cluster have been bound for a whole hold period up to {@code g},
     * no vouch round can have kept anyone holding at {@code g}, and a node whose grant hold ended by
     * {@code g} has lapsed there (it never refreshes a lapsed address again). Tried at the end of the
     * node's grant hold, at the earliest moment half the cluster can have been bound that long, and now;
     * for a leader that began on half of a tie, not before a stale leader's grants have run out.
     */
    private void markGaps(long now, List<Integer> flags) {
        int size = 0;
        long window = timing.holdMs();
        List<PeerRecord> members = new ArrayList<>();
        for (int pnn = 0; pnn < flags.size(); pnn++) {
            if (!NodeFlags.has(flags.get(pnn), NodeFlags.DELETED)) {
                size++;
                PeerRecord rec = peer(pnn);
                members.add(rec);
                window = Math.max(window, rec.holdMs);
            }
        }
        // The earliest moment half of the cluster can have been bound for a whole window.
        List<Long> known = new ArrayList<>();
        for (PeerRecord rec : members) {
            if (rec.chainKnownSince >= 0) {
                known.add(rec.chainKnownSince);
            }
        }
        known.sort(null);
        int half = (size + 1) / 2; // the fewest nodes that make at least half
        long earliest = known.size() >= half && half > 0 ? known.get(half - 1) + window : Long.MAX_VALUE;
        // A leader begun on half of a tie: no gap while a stale leader of the other half may grant.
        long gapNotBefore = tieAtStart ? leaderSince + FailoverTiming.STALE_LEAD_MS + window : Long.MIN_VALUE;
        for (PeerRecord rec : members) {
            long end = rec.grantHoldEnd();
            if (rec.lastGrantedAt < 0 || rec.gapAt >= end || end > now) {
                continue;
            }
            for (long g : new long[] {end, Math.max(end, Math.min(earliest, now)), now}) {
                if (g >= gapNotBefore && Quorum.isAtLeastHalf(promisedThrough(members, g - window, g), size)) {
                    rec.gapAt = g;
                    break;
                }
            }
        }
    }

    /**
     * Says once when a node's reports have come for a hold period without acknowledging one of this
     * leader's grants (its new takes wait; a join normally clears this within one report), and when
     * one gets through again.
     */
    private void grantsLog(PeerRecord rec, boolean alive, boolean mayTake, long now, List<IpEffect> out) {
        if (alive && !mayTake && !rec.grantsLost && now - rec.aliveSince >= rec.holdMs) {
            rec.grantsLost = true;
            out.add(log(
                    IpEffect.Level.WARN,
                    "node " + rec.pnn + " has reported for " + (now - rec.aliveSince)
                            + " ms without acknowledging a grant sent since: giving it no new address until one"
                            + " reaches it (its addresses stay)"));
        } else if (mayTake && rec.grantsLost) {
            rec.grantsLost = false;
            out.add(log(IpEffect.Level.INFO, "node " + rec.pnn + " acknowledges this leader's grants again"));
        }
    }

    /** Whether this node reaches exactly half of the configured, not-deleted nodes (itself included). */
    private static boolean reachesExactlyHalf(List<Integer> flags) {
        int size = 0;
        int reached = 0;
        for (int f : flags) {
            if (!NodeFlags.has(f, NodeFlags.DELETED)) {
                size++;
                if (!NodeFlags.has(f, NodeFlags.DISCONNECTED)) {
                    reached++;
                }
            }
        }
        return Quorum.isAtLeastHalf(reached, size) && !Quorum.isMajority(reached, size);
    }

    private static int promisedThrough(List<PeerRecord> members, long from, long until) {
        int n = 0;
        for (PeerRecord rec : members) {
            if (rec.promisedThrough(from, until)) {
                n++;
            }
        }
        return n;
    }

    public void onConnectionClosed(int pnn, long now) {
        if (peers.containsKey(pnn)) {
            peers.get(pnn).closedAt = now;
        }
    }

    public List<IpEffect> onStepDone(IpMessage.StepDone d, long now, TakeoverInput in) {
        List<IpEffect> out = new ArrayList<>();
        PeerRecord rec = peer(d.from());
        Map<String, PendingTake> pending = unansweredTakes.get(d.from());
        if (pending != null && Generation.leaderOf(d.generation()) == me) {
            pending.values().removeIf(p -> p.run() <= d.run());
        }
        if (run == null
                || in.generation() != generation // the term ended since the last tick: no next phase
                || d.generation() != generation
                || d.run() != run.id
                || d.phase() != run.phase
                || !run.waiting.remove(d.from())) {
            // A late answer still tells us what the node hosts (also one of an earlier generation of
            // this leader: the take it settles may have configured an address).
            if (d.generation() == generation || Generation.leaderOf(d.generation()) == me) {
                rec.setHosted(d.hosted());
            }
            return out;
        }
        rec.setHosted(d.hosted());
        if (!d.ok()) {
            run.failed = true;
            stepFailed(rec, d.phase() + " failed: " + d.detail(), out);
        }
        if (run.waiting.isEmpty()) {
            nextPhase(now, in, out);
        }
        return out;
    }

    public List<IpEffect> onRefused(IpMessage.Refused r) {
        return List.of(new IpEffect.Log(
                IpEffect.Level.WARN,
                "node " + r.from() + " refused takeover generation " + r.refusedGeneration()
                        + ": it has seen generation " + r.seenGeneration()));
    }

    public List<IpEffect> tick(long now, TakeoverInput in) {
        List<IpEffect> out = new ArrayList<>();
        if (in.generation() == 0) {
            if (leading()) {
                run = null;
                generation = 0;
                moves.clear();
                unansweredTakes.clear();
            }
            return out;
        }
        if (in.generation() != generation) {
            if (!leading()) {
                // A new leader does not know what others were granted: assume a grant right now.
                leaderSince = now;
                peers.clear();
                unansweredTakes.clear();
                for (int pnn = 0; pnn < in.flags().size(); pnn++) {
                    peer(pnn).lastGrantedAt = now;
                }
                tieAtStart = reachesExactlyHalf(in.flags());
            }
            if (run != null) {
                out.add(log(
                        IpEffect.Level.INFO,
                        "takeover run " + run.id + " abandoned: new generation " + in.generation()));
            }
            generation = in.generation();
            run = null;
        }
        flags = in.flags();
        markGaps(now, in.flags());
        if (run != null) {
            // A node that stopped reporting will not answer: do not wait for the step deadline.
            boolean lost = run.waiting.stream().anyMatch(p -> !peer(p).alive(now));
            if (now >= run.deadline || lost) {
                boolean anyFailed = false;
                for (int pnn : run.waiting) {
                    PeerRecord rec = peer(pnn);
                    if (run.phase == IpMessage.Phase.TAKE) {
                        // It may yet configure them: count them as hosted there until it says otherwise.
                        for (IpMessage.Listed l : run.takes.getOrDefault(pnn, List.of())) {
                            rec.hosted.putIfAbsent(l.ip(), new HostedAddress(l.ip(), l.maskBits(), null));
                        }
                    }
                    if (rec.alive(now)) {
                        anyFailed = true;
                        stepFailed(rec, run.phase + " not answered within " + timing.takeoverMs() + " ms", out);
                    } else {
                        out.add(log(IpEffect.Level.WARN, "node " + pnn + " stopped reporting during " + run.phase));
                    }
                }
                out.add(log(IpEffect.Level.WARN, "takeover run " + run.id + " abandoned in " + run.phase));
                // Only nodes that went away: plan again at once without them, no retry pause.
                endRun(now, anyFailed || run.failed, in, out);
            }
            return out;
        }
        if (in.inRecovery() || now < notBefore) {
            return out;
        }
        for (Map.Entry<Integer, Map<String, PendingTake>> e : unansweredTakes.entrySet()) {
            if (!e.getValue().isEmpty() && peer(e.getKey()).alive(now)) {
                forced = true; // a run's REALLOCATED step reaches the node: its answer settles the takes
            }
        }
        for (int pnn = 0; pnn < in.flags().size(); pnn++) {
            PeerRecord rec = peer(pnn);
            if (!NodeFlags.has(in.flags().get(pnn), NodeFlags.DELETED)
                    && (rec.lastReportAt < 0 || !rec.listingKnown)
                    && !rec.addressesGone(now, timing.crashGraceMs())) {
                return out; // it may host addresses we do not know of yet, or list some we do not know
            }
        }
        plan(now, in, out);
        return out;
    }

    private void plan(long now, TakeoverInput in, List<IpEffect> out) {
        Set<String> stillTaking = new TreeSet<>(); // unanswered takes of silent or dead nodes
        for (Map.Entry<Integer, Map<String, PendingTake>> e : unansweredTakes.entrySet()) {
            PeerRecord rec = peer(e.getKey());
            boolean alive = rec.alive(now);
            if (!alive && rec.lifetimeOver(now)) {
                e.getValue().clear();
            }
            for (PendingTake p : e.getValue().values()) {
                rec.hosted.putIfAbsent(
                        p.address().ip(),
                        new HostedAddress(p.address().ip(), p.address().maskBits(), null));
                if (!alive) {
                    stillTaking.add(p.address().ip()); // the crash grace is not enough: its script may add it late
                }
            }
        }
        Map<String, Integer> holder = new TreeMap<>();
        Map<String, List<Integer>> extraHolders = new TreeMap<>();
        Set<String> pinned = new TreeSet<>();
        // Hash maps while collecting (nodes x addresses inserts), sorted once below.
        Map<String, IpMessage.Listed> listedBy = new HashMap<>();
        Map<String, Set<Integer>> knownOn = new HashMap<>();
        List<Map.Entry<String, Integer>> keepOnly =
                new ArrayList<>(); // (address, node) hosted by one that may not take
        List<NodeState> states = new ArrayList<>();
        for (int pnn = 0; pnn < in.flags().size(); pnn++) {
            PeerRecord rec = peer(pnn);
            int flags = in.flags().get(pnn);
            boolean alive = rec.alive(now);
            if (!alive) {
                flags |= NodeFlags.DISCONNECTED;
            }
            states.add(new NodeState(flags, alive && rec.canHost ? RunState.RUNNING : RunState.STARTUP));
            if (alive) {
                for (String ip : rec.hosted.keySet()) {
                    Integer other = holder.putIfAbsent(ip, pnn);
                    if (other != null) {
                        // Two claim it: the one reporting longer without a gap keeps it.
                        int keep = peer(other).aliveSince <= rec.aliveSince ? other : pnn;
                        holder.put(ip, keep);
                        extraHolders.computeIfAbsent(ip, k -> new ArrayList<>()).add(keep == pnn ? other : pnn);
                    }
                }
            } else if (!rec.addressesGone(now, timing.crashGraceMs())) {
                pinned.addAll(rec.hosted.keySet());
            } else {
                rec.hosted.clear();
            }
            boolean reached = rec.grantsReach();
            grantsLog(rec, alive, reached, now, out);
            // Grants withheld (it claims an address another has hosted for longer): its hold lapses
            // and it has no current grant, so a take there would fail like one that never reached it.
            boolean mayTake = reached && !rec.withheld;
            for (IpMessage.Listed l : rec.listed) {
                listedBy.putIfAbsent(l.ip(), l);
                if (!rec.available(l)) {
                    continue;
                }
                if (mayTake) {
                    knownOn.computeIfAbsent(l.ip(), k -> new TreeSet<>()).add(pnn);
                } else if (rec.hosted.containsKey(l.ip())) {
                    keepOnly.add(Map.entry(l.ip(), pnn));
                }
            }
        }
        // A node that may not take keeps what it hosts, unless another claimant keeps it (then
        // moving it there would be a take, the very thing it cannot do: a heal's stale report once did).
        for (Map.Entry<String, Integer> k : keepOnly) {
            if (holder.getOrDefault(k.getKey(), -1).equals(k.getValue())) {
                knownOn.computeIfAbsent(k.getKey(), x -> new TreeSet<>()).add(k.getValue());
            }
        }
        pinned.addAll(stillTaking);
        List<PublicAddress> addresses = new ArrayList<>();
        Map<IpAddress, Hosting> before = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> h : holder.entrySet()) {
            if (!pinned.contains(h.getKey())) {
                before.put(
                        IpAddress.parse(h.getKey()),
                        new Hosting(
                                h.getValue(),
                                peer(h.getValue()).hosted.get(h.getKey()).iface()));
            }
        }
        for (Map.Entry<String, Set<Integer>> k : new TreeMap<>(knownOn).entrySet()) {
            if (pinned.contains(k.getKey())) {
                continue;
            }
            int current = holder.getOrDefault(k.getKey(), -1);
            Integer move = moves.get(k.getKey());
            if (move != null && k.getValue().contains(move) && states.get(move).canHostIps()) {
                current = move; // moveip: the allocator keeps it there
            }
            addresses.add(PublicAddress.of(IpAddress.parse(k.getKey()), current, k.getValue()));
        }
        moves.clear();
        Allocation alloc = IpAllocator.allocate(new AllocationInput(states, addresses, in.tunables()));
        TakeoverPlan plan = TakeoverPlanner.plan(before, alloc, keepInterface());
        Map<String, Integer> target = new TreeMap<>();
        for (Assignment a : alloc.assignments()) {
            target.put(a.address().toString(), a.pnn());
        }
        for (String ip : pinned) {
            target.putIfAbsent(ip, -1);
        }
        boolean newGeneration = reallocatedGeneration != generation;
        if (plan.isEmpty() && extraHolders.isEmpty() && !newGeneration && !forced) {
            assign(target);
            return;
        }
        forced = false;
        TakeoverRun r = new TakeoverRun(nextRunId++, target);
        for (TakeoverStep.Release s : plan.releases()) {
            String ip = s.address().toString();
            r.releases
                    .computeIfAbsent(s.pnn(), p -> new ArrayList<>())
                    .add(peer(s.pnn()).hosted.get(ip));
        }
        for (Map.Entry<String, List<Integer>> e : extraHolders.entrySet()) {
            for (int pnn : e.getValue()) {
                r.releases
                        .computeIfAbsent(pnn, p -> new ArrayList<>())
                        .add(peer(pnn).hosted.get(e.getKey()));
            }
        }
        for (TakeoverStep.Take s : plan.takes()) {
            String ip = s.address().toString();
            IpMessage.Listed l = listedOn(s.pnn(), ip).orElse(listedBy.get(ip));
            r.takes.computeIfAbsent(s.pnn(), p -> new ArrayList<>()).add(l);
        }
        for (TakeoverStep.UpdateIp u : plan.updates()) {
            HostedAddress h = peer(u.pnn()).hosted.get(u.address().toString());
            r.moves
                    .computeIfAbsent(u.pnn(), p -> new ArrayList<>())
                    .add(new IpMessage.Move(h.ip(), h.maskBits(), u.oldIface(), u.newIface()));
        }
        for (int pnn = 0; pnn < in.flags().size(); pnn++) {
            if (peer(pnn).alive(now)) {
                r.reallocatedOn.add(pnn);
            }
        }
        run = r;
        out.add(log(
                IpEffect.Level.INFO,
                "takeover run " + r.id + " (generation " + generation + "): "
                        + plan.describe() + (extraHolders.isEmpty() ? "" : ", duplicates " + extraHolders)
                        + (pinned.isEmpty() ? "" : ", waiting for " + pinned + " to be released")));
        run.phase = IpMessage.Phase.RELEASE;
        startPhase(now, in, out);
    }

    /**
     * For an address that stays on its node: its interface there, unless that is down or no
     * longer listed for it (then another up one, counting the moves already planned).
     */
    private TakeoverPlanner.KeepInterface keepInterface() {
        Map<Integer, Map<String, Integer>> refs = new HashMap<>();
        return (ip, pnn, current) -> {
            Optional<IpMessage.Listed> l = listedOn(pnn, ip.toString());
            if (current == null || l.isEmpty()) {
                return current;
            }
            Map<String, Integer> r = refs.computeIfAbsent(pnn, p -> peer(p).interfaceReferences());
            String to = InterfaceChooser.keepOrMove(current, l.get().ifaces(), peer(pnn).downIfaces, r)
                    .orElse(current);
            if (!to.equals(current)) {
                r.merge(current, -1, Integer::sum);
                r.merge(to, 1, Integer::sum);
            }
            return to;
        };
    }

    private void startPhase(long now, TakeoverInput in, List<IpEffect> out) {
        while (true) {
            run.deadline = now + timing.takeoverMs();
            run.waiting.clear();
            switch (run.phase) {
                case RELEASE ->
                    run.releases.forEach((pnn, list) -> {
                        run.waiting.add(pnn);
                        out.add(new IpEffect.Send(pnn, new IpMessage.Release(me, generation, run.id, list)));
                    });
                case TAKE -> {
                    recheckTakes(now, out);
                    for (int pnn : run.takers()) {
                        run.waiting.add(pnn);
                        for (IpMessage.Listed l : run.takes.getOrDefault(pnn, List.of())) {
                            unansweredTakes
                                    .computeIfAbsent(pnn, p -> new TreeMap<>())
                                    .put(l.ip(), new PendingTake(run.id, l));
                        }
                        out.add(new IpEffect.Send(
                                pnn,
                                new IpMessage.Take(
                                        me,
                                        generation,
                                        run.id,
                                        run.takes.getOrDefault(pnn, List.of()),
                                        run.moves.getOrDefault(pnn, List.of()))));
                    }
                }
                case REALLOCATED -> {
                    for (int pnn : run.reallocatedOn) {
                        run.waiting.add(pnn);
                        out.add(new IpEffect.Send(pnn, new IpMessage.Reallocated(me, generation, run.id)));
                    }
                }
            }
            if (!run.waiting.isEmpty()) {
                return;
            }
            if (!advance(now, in, out)) {
                return;
            }
        }
    }

    /**
     * Before the takes go out: drops a take of an address that another node has reported hosting
     * since the run was planned (a node that was cut off and came back from a stale leader's grants),
     * and asks for a new run, which plans with what that node reports.
     */
    private void recheckTakes(long now, List<IpEffect> out) {
        for (Map.Entry<Integer, List<IpMessage.Listed>> e : run.takes.entrySet()) {
            int taker = e.getKey();
            e.getValue().removeIf(l -> {
                for (PeerRecord other : peers.values()) {
                    if (other.pnn != taker
                            && other.hosted.containsKey(l.ip())
                            && !other.addressesGone(now, timing.crashGraceMs())) {
                        out.add(log(
                                IpEffect.Level.WARN,
                                "takeover run " + run.id + ": not taking " + l.ip() + " on node " + taker + ": node "
                                        + other.pnn + " reports it since the run was planned"));
                        run.target.put(l.ip(), other.pnn);
                        forced = true;
                        return true;
                    }
                }
                return false;
            });
        }
        run.takes.values().removeIf(List::isEmpty);
    }

    private void nextPhase(long now, TakeoverInput in, List<IpEffect> out) {
        if (run.failed) {
            out.add(log(IpEffect.Level.WARN, "takeover run " + run.id + " failed in " + run.phase + "; retrying"));
            endRun(now, true, in, out);
            return;
        }
        if (advance(now, in, out)) {
            startPhase(now, in, out);
        }
    }

    private void assign(Map<String, Integer> target) {
        if (!target.equals(assignment)) {
            assignment = Map.copyOf(target);
            assignmentVersion++;
        }
    }

    /** Moves to the next phase; false when the run is over. */
    private boolean advance(long now, TakeoverInput in, List<IpEffect> out) {
        if (run.phase == IpMessage.Phase.REALLOCATED) {
            assign(run.target);
            reallocatedGeneration = generation;
            endRun(now, false, in, out);
            return false;
        }
        run.phase = run.phase == IpMessage.Phase.RELEASE ? IpMessage.Phase.TAKE : IpMessage.Phase.REALLOCATED;
        return true;
    }

    private void endRun(long now, boolean failed, TakeoverInput in, List<IpEffect> out) {
        if (failed) {
            failedRuns++;
            notBefore = now + RETRY_AFTER_FAILURE_MS;
            BanCredits.culprit(run.failedSteps).ifPresent(pnn -> charge(pnn, now, in, out));
        }
        run = null;
    }

    private void stepFailed(PeerRecord rec, String why, List<IpEffect> out) {
        run.failedSteps.merge(rec.pnn, 1, Integer::sum);
        out.add(log(IpEffect.Level.WARN, "node " + rec.pnn + ": " + why));
    }

    /** CTDB's culprit accounting: see {@link BanCredits}. */
    private void charge(int pnn, long now, TakeoverInput in, List<IpEffect> out) {
        if (!in.enableBans()) {
            return;
        }
        int nodes = in.flags().size();
        int credits = banCredits.charge(pnn, nodes, now, in.graceSeconds() * 1000L);
        if (credits > 0) {
            out.add(log(
                    IpEffect.Level.WARN,
                    "node " + pnn + " caused takeover run " + run.id + " to fail: " + credits
                            + " banning credits (banned at " + 2 * nodes + ")"));
            return;
        }
        out.add(log(
                IpEffect.Level.ERROR,
                "banning node " + pnn + " for " + in.banSeconds() + " s: it reached " + 2 * nodes
                        + " banning credits (failed takeover runs within " + in.graceSeconds() + " s)"));
        out.add(new IpEffect.Send(pnn, new IpMessage.Ban(me, generation, in.banSeconds())));
    }

    private Optional<IpMessage.Listed> listedOn(int pnn, String ip) {
        return peer(pnn).listed.stream().filter(l -> l.ip().equals(ip)).findFirst();
    }

    private PeerRecord peer(int pnn) {
        return peers.computeIfAbsent(pnn, p -> new PeerRecord(p, timing));
    }

    private static IpEffect.Log log(IpEffect.Level level, String text) {
        return new IpEffect.Log(level, text);
    }
}
