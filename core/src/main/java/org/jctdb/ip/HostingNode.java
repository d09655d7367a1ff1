package org.jctdb.ip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jctdb.leader.Generation;
import org.jctdb.leader.Quorum;

/**
 * One node's side of IP failover, pure: which addresses it hosts, whether it may still host
 * them (its "hold", renewed by the leader's grants or, without a leader, by the vouches of a
 * majority), its promise not to vouch while it is granted, and the generation fence for takeover
 * messages. Times are monotonic milliseconds. Called from the daemon's core thread only.
 */
public final class HostingNode {
    /** Reports awaiting a grant, at most (the leader's log of grants sent is as long). */
    public static final int MAX_PENDING_REPORTS = 64;

    private static final int MAX_VOUCH_ROUNDS = 16;

    private final int me;
    private final FailoverTiming timing;
    private final long incarnation;
    /** Before any grant: a previous incarnation's promise may still be counted on by a leader. */
    private final long startedAt;

    private final Map<String, HostedAddress> hosted = new LinkedHashMap<>();
    /** Hosted addresses whose hold lapsed: never refreshed again, only released. */
    private final Map<String, HostedAddress> lapsed = new LinkedHashMap<>();

    private final Set<String> handedOut = new HashSet<>();
    /** Being configured by a takeip/updateip script: hosted (the guard knows it), not refreshed yet. */
    private final Set<String> pending = new HashSet<>();

    private long epoch;
    private final TreeMap<Long, Long> pendingReports = new TreeMap<>(); // seq -> sent at
    private long seq;
    private long holdUntil = Long.MIN_VALUE;
    /** The part of the hold the leader's grants give: only it allows taking addresses. */
    private long grantHoldUntil = Long.MIN_VALUE;

    private long lastGrantAt = Long.MIN_VALUE;
    private long chainSeq = -1;
    private long lastGrantSeq = -1;
    private long vouchSeq;
    private final TreeMap<Long, VouchRound> vouchRounds = new TreeMap<>();
    private long seenGeneration;
    private Map<String, Integer> assignment = Map.of();
    private long assignmentGeneration = -1;
    private long assignmentVersion = -1;
    /** The list of addresses last reported, its version, and the version the leader says it holds. */
    private List<IpMessage.Listed> listed = List.of();

    private long listedVersion;
    private long leaderListedVersion = -1;
    private int assignmentFrom = -1;
    /** The latest grant said no node lists a public address: report every idle report period. */
    private boolean idle;

    private long lastReportAt = Long.MIN_VALUE;
    private boolean reportedCanHost;
    private Set<String> reportedDownIfaces = Set.of();
    private long grantGeneration;
    private long grantRun;

    /** One round of vouches for the request sent at {@code sentAt}; this node vouches for itself. */
    private record VouchRound(long sentAt, Set<Integer> vouchers) {}

    /**
     * @param incarnation differs between runs of the daemon (its reports' numbers start again)
     * @param startedAt   now: for a promise time after start this node vouches for nobody, since a
     *                    leader may count on its previous incarnation's promise
     */
    public HostingNode(int me, FailoverTiming timing, long incarnation, long startedAt) {
        this.me = me;
        this.timing = timing;
        this.incarnation = incarnation;
        this.startedAt = startedAt;
    }

    /** A report for the leader, sent now; its grant will extend the hold from {@code now}. */
    public IpMessage.Report report(long now, List<IpMessage.Listed> listed, boolean canHost, Set<String> downIfaces) {
        seq++;
        lastReportAt = now;
        reportedCanHost = canHost;
        reportedDownIfaces = Set.copyOf(downIfaces);
        pendingReports.put(seq, now);
        while (pendingReports.size() > MAX_PENDING_REPORTS) {
            pendingReports.pollFirstEntry();
        }
        if (!listed.equals(this.listed)) {
            this.listed = List.copyOf(listed);
            listedVersion++;
        }
        return new IpMessage.Report(
                me,
                seq,
                hostedList(),
                leaderListedVersion == listedVersion ? null : this.listed,
                listedVersion,
                canHost,
                timing.holdMs(),
                timing.leaseSeconds(),
                List.copyOf(new TreeSet<>(downIfaces)),
                incarnation,
                promising(now) && chainSeq >= 0 ? new IpMessage.Promise(chainSeq, lastGrantSeq) : null,
                assignmentGeneration,
                assignmentVersion);
    }

    /**
     * Whether this node is bound not to vouch for anyone: a grant arrived less than the promise time
     * ago, or it started less than that ago.
     */
    public boolean promising(long now) {
        return now - startedAt < timing.promiseMs()
                || (lastGrantAt != Long.MIN_VALUE && now - lastGrantAt < timing.promiseMs());
    }

    /**
     * A request for vouches to send to every peer, when this node hosts addresses, can host, still
     * holds them, and has had no grant for the promise time (its leader is gone or cut off); empty
     * otherwise. Its hold then continues while a majority of the {@code clusterSize} configured nodes
     * (this one included) vouch; it never takes new addresses on vouches alone.
     */
    public Optional<IpMessage.VouchRequest> vouchRequest(long now, boolean canHost, int clusterSize) {
        if (!canHost || hosted.isEmpty() || !mayHost(now) || promising(now)) {
            return Optional.empty();
        }
        vouchSeq++;
        Set<Integer> vouchers = new HashSet<>();
        vouchers.add(me);
        vouchRounds.put(vouchSeq, new VouchRound(now, vouchers));
        while (vouchRounds.size() > MAX_VOUCH_ROUNDS) {
            vouchRounds.pollFirstEntry();
        }
        countVouches(vouchSeq, now, clusterSize); // a cluster of one
        return Optional.of(new IpMessage.VouchRequest(me, vouchSeq, List.copyOf(hosted.keySet()), assignmentFrom));
    }

    /**
     * Another node asks for a vouch: given only while this node is bound by no promise, and only for
     * addresses neither hosted here nor placed here by the latest map this node was granted with.
     * (Seed 1796633633361: with a replaced lock file a stale leader's grant held an address the real
     * leader had moved, and a follower of the real leader, cut off from it, vouched the stale hold on
     * past the stale leader's end, while it served the same address itself.) And only for a hold resting
     * on a grant of the leader this node's own latest grant came from: seed 1796644103882 had a stale
     * leader on a replaced lock file, cut off with a minority, keep its own addresses on the vouches of
     * the new leader's followers once they lost that leader, after the new leader had moved them.
     */
    public IpMessage.Vouch vouchFor(IpMessage.VouchRequest r, long now) {
        return new IpMessage.Vouch(
                me, r.seq(), !promising(now) && !conflicts(r) && r.basis() >= 0 && r.basis() == assignmentFrom);
    }

    /**
     * Whether {@code r} keeps an address this node hosts or that the latest map places here. (Not
     * one the map places on a third node: a map is the one after the last finished run, and a run
     * cut short by the leader's loss may have moved the address to the asking node already.)
     */
    private boolean conflicts(IpMessage.VouchRequest r) {
        for (String ip : r.hosted()) {
            Integer owner = assignment.get(ip);
            if (hosted.containsKey(ip) || (owner != null && owner == me)) {
                return true;
            }
        }
        return false;
    }

    /** A peer's answer to one of our requests; a majority extends the hold to holdMs after it was sent. */
    public void vouched(IpMessage.Vouch v, long now, int clusterSize) {
        VouchRound round = vouchRounds.get(v.seq());
        if (v.given() && round != null && v.from() != me && v.from() >= 0 && v.from() < clusterSize) {
            round.vouchers().add(v.from());
            countVouches(v.seq(), now, clusterSize);
        }
    }

    private void countVouches(long seq, long now, int clusterSize) {
        VouchRound round = vouchRounds.get(seq);
        if (round == null || !Quorum.isMajority(round.vouchers().size(), clusterSize)) {
            return;
        }
        if (now >= holdUntil) {
            lapse(); // the hold ran out before the majority answered: what we host may be elsewhere
        }
        holdUntil = Math.max(holdUntil, round.sentAt() + timing.holdMs());
        vouchRounds.headMap(seq, true).clear();
    }

    /**
     * Checks a leader message against the newest generation seen here (and the leader core's,
     * {@code floor}); returns the refusal to send back when it is older.
     */
    public Optional<IpMessage.Refused> fence(IpMessage.FromLeader m, long floor) {
        long seen = Math.max(seenGeneration, floor);
        if (m.generation() < seen || Generation.leaderOf(m.generation()) != m.from()) {
            return Optional.of(new IpMessage.Refused(me, m.generation(), seen));
        }
        seenGeneration = m.generation();
        return Optional.empty();
    }

    /**
     * Whether {@code m} comes from a generation this node's leader core has not accepted
     * ({@code leaderSeen}): then it is dropped, neither obeyed nor refused, so the takeover fence
     * never runs ahead of the leader core's. (On the mesh a leader's announcement travels before its
     * takeover messages on the same connection; found by the simulator, whose two kinds of messages
     * are lost independently: a grant of generation 4097 whose leader core messages were lost made a
     * node refuse the real leader's 4096 for good.)
     */
    public boolean aheadOfLeaderCore(IpMessage.FromLeader m, long leaderSeen) {
        return m.generation() > leaderSeen;
    }

    /**
     * Whether a take (or updateip) of a step of {@code stepGeneration}, queued behind other address
     * jobs, must not begin: a newer generation is known here or to the leader core
     * ({@code leaderSeen}). Its leader plans from this node's reports, which cannot list an address
     * that a previous leader's queued take configures later (found by the simulator: a leader cut off
     * from the majority planned takes on itself, stepped down, and its queued takeip ran after the new
     * leader had given that address to another node).
     */
    public boolean superseded(long stepGeneration, long leaderSeen) {
        return stepGeneration < Math.max(seenGeneration, leaderSeen);
    }

    /**
     * A grant for one of our reports: we may host until holdMs after we sent it. Returns whether it
     * began a new run of promises: then a report at once tells the leader (it waits for half the
     * cluster to be known bound before it moves a silent node's addresses).
     */
    public boolean granted(IpMessage.Grant g, long now) {
        if (now >= holdUntil) {
            lapse(); // the hold ran out before this grant: what we host may be elsewhere by now
        }
        Long sentAt = pendingReports.get(g.seq());
        if (sentAt != null) {
            holdUntil = Math.max(holdUntil, sentAt + timing.holdMs());
            grantHoldUntil = Math.max(grantHoldUntil, sentAt + timing.holdMs());
            pendingReports.headMap(g.seq(), true).clear();
        }
        boolean newChain = lastGrantAt == Long.MIN_VALUE || now - lastGrantAt >= timing.promiseMs();
        if (newChain) {
            chainSeq = g.seq(); // the promise lapsed in between (or never was): a new unbroken run
        }
        lastGrantAt = now;
        lastGrantSeq = g.seq();
        vouchRounds.clear();
        if (g.assignment() != null) {
            assignment = g.assignment();
            assignmentGeneration = g.generation();
            assignmentVersion = g.assignmentVersion();
        }
        leaderListedVersion = g.listedVersion();
        assignmentFrom = g.from();
        grantGeneration = g.generation();
        grantRun = g.run();
        idle = g.idle();
        return newChain && !idle; // an idle cluster's grants come seconds apart: each begins a run
    }

    /**
     * Whether a report to {@code leader} is due now: every report interval, but while that leader's
     * latest grant said no node lists a public address, only every idle report period, or at once when
     * what the report would say changed.
     */
    public boolean reportDue(
            long now, int leader, List<IpMessage.Listed> listed, boolean canHost, Set<String> downIfaces) {
        return now >= reportDueAt(leader, listed, canHost, downIfaces);
    }

    /**
     * From when {@link #reportDue} holds for these arguments, as the state is now: {@code Long.MIN_VALUE}
     * when a report is due whatever the time, else the end of the idle report period.
     */
    public long reportDueAt(int leader, List<IpMessage.Listed> listed, boolean canHost, Set<String> downIfaces) {
        if (!idle
                || leader != assignmentFrom
                || !hosted.isEmpty()
                || !listed.equals(this.listed)
                || canHost != reportedCanHost
                || !downIfaces.equals(reportedDownIfaces)
                || lastReportAt == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return lastReportAt + timing.idleReportMs();
    }

    /** Whether the leader's latest grant said that no node lists a public address. */
    public boolean idle() {
        return idle;
    }

    /**
     * Why a take of {@code ip} for run {@code run} of {@code generation} must not begin now, if it
     * must not (rule 3: a step decided earlier is checked against what is known now): no hold, a
     * newer generation, or a grant of a later run whose assignment puts the address elsewhere. (Seed
     * 1796592127788: a paused node woke up with a take of a run the leader had given up on, after it
     * had given the address to another node.)
     */
    public Optional<String> takeRefusal(String ip, long generation, long run, long now, long leaderSeen) {
        if (!mayTake(now)) {
            return Optional.of("cannot take " + ip + ": no current grant from the leader");
        }
        if (superseded(generation, leaderSeen)) {
            return Optional.of("cannot take " + ip + ": generation " + generation + " has been superseded");
        }
        Integer owner = assignment.get(ip);
        if (grantGeneration == generation && grantRun > run && (owner == null || owner != me)) {
            return Optional.of("cannot take " + ip + ": takeover run " + run + " is stale; the leader's run " + grantRun
                    + " assigns it to " + (owner == null || owner < 0 ? "no node" : "node " + owner));
        }
        return Optional.empty();
    }

    /** Whether this node may keep its addresses now (refresh their lifetime): granted or vouched for. */
    public boolean mayHost(long now) {
        return now < holdUntil;
    }

    /**
     * Whether this node may take addresses or move them between interfaces now: only on the
     * leader's grant. A node held by vouches keeps what it has; the leader that will move addresses
     * plans from its reports, which would not list an address it took on its own.
     */
    public boolean mayTake(long now) {
        return now < grantHoldUntil;
    }

    /** May refresh lifetimes: only while holding, so the last refresh is before the hold ends. */
    public boolean mayRefresh(long now) {
        return mayHost(now);
    }

    /**
     * Addresses whose lifetime may be refreshed now: hosted, holding, and not lapsed. (Refreshing
     * re-adds an address the kernel has just expired; that is safe only within an unbroken hold.)
     */
    public List<HostedAddress> refreshable(long now) {
        if (!mayHost(now)) {
            return List.of();
        }
        List<HostedAddress> out = new ArrayList<>();
        for (HostedAddress a : hosted.values()) {
            if (refreshable(a, now)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Whether {@code a} is one of {@link #refreshable(long)}: checked again right before its refresh goes out. */
    public boolean refreshable(HostedAddress a, long now) {
        return mayHost(now) && a.equals(hosted.get(a.ip())) && !lapsed.containsKey(a.ip()) && !pending.contains(a.ip());
    }

    /**
     * Lapsed addresses not yet handed out for release; detects a lapse of the hold first.
     * Each address is returned once.
     */
    public List<HostedAddress> toRelease(long now) {
        if (!mayHost(now)) {
            lapse();
        }
        List<HostedAddress> out = new ArrayList<>();
        for (HostedAddress a : lapsed.values()) {
            if (handedOut.add(a.ip())) {
                out.add(a);
            }
        }
        return out;
    }

    /** The hold lapsed: everything hosted now must go. */
    private void lapse() {
        if (!hosted.isEmpty()) {
            epoch++;
            lapsed.putAll(hosted);
        }
    }

    /** Changes whenever the hold lapses; a take started in an older epoch lapses on arrival. */
    public long epoch() {
        return epoch;
    }

    /** Forget the hold at once (stopping): everything hosted lapses. */
    public void dropHold() {
        holdUntil = Long.MIN_VALUE;
        grantHoldUntil = Long.MIN_VALUE;
        vouchRounds.clear();
        pendingReports.clear();
        lapse();
    }

    public long holdUntil() {
        return holdUntil;
    }

    /** When the latest grant arrived (Long.MIN_VALUE: none yet). */
    public long lastGrantAt() {
        return lastGrantAt;
    }

    /**
     * A takeip (or updateip to {@code a}'s interface) is about to run: {@code a} counts as hosted
     * but is not refreshed until {@link #taken} (a refresh is an add for IPv4 and would race the
     * script's own add).
     */
    public void begin(HostedAddress a, long startEpoch) {
        taken(a, startEpoch);
        pending.add(a.ip());
    }

    /** A takeip begun in {@code startEpoch} configured {@code a}. */
    public void taken(HostedAddress a, long startEpoch) {
        pending.remove(a.ip());
        hosted.put(a.ip(), a);
        if (startEpoch != epoch) {
            lapsed.put(a.ip(), a);
        }
    }

    public void released(String ip) {
        pending.remove(ip);
        hosted.remove(ip);
        lapsed.remove(ip);
        handedOut.remove(ip);
    }

    public boolean hosts(String ip) {
        return hosted.containsKey(ip);
    }

    public Optional<HostedAddress> hostedAddress(String ip) {
        return Optional.ofNullable(hosted.get(ip));
    }

    public List<HostedAddress> hostedList() {
        return List.copyOf(hosted.values());
    }

    /** The interface for a new address: the up interface carrying fewest of our addresses. */
    public Optional<String> chooseInterface(List<String> ifaces, Set<String> down) {
        Map<String, Integer> refs = new HashMap<>();
        for (HostedAddress a : hosted.values()) {
            refs.merge(a.iface(), 1, Integer::sum);
        }
        Set<String> up = new HashSet<>(ifaces);
        up.removeAll(down);
        return InterfaceChooser.choose(ifaces, up, refs);
    }

    /** What a node does for the leader's request to move a hosted address to another interface. */
    public sealed interface MoveAction {
        /** Already on the wanted interface. */
        record None() implements MoveAction {}

        record Refuse(String why) implements MoveAction {}

        /** Run updateip from {@code from}'s interface to {@code to}'s. */
        record Update(HostedAddress from, HostedAddress to) implements MoveAction {}
    }

    /** Checks a move against what is hosted here, the hold, and the link of the new interface. */
    public MoveAction move(IpMessage.Move m, Set<String> down, long now) {
        HostedAddress from = hosted.get(m.ip());
        if (from == null) {
            return new MoveAction.Refuse("cannot move " + m.ip() + ": not hosted here");
        }
        if (m.toIface().equals(from.iface())) {
            return new MoveAction.None();
        }
        if (!mayTake(now)) {
            return new MoveAction.Refuse("cannot move " + m.ip() + ": no current grant from the leader");
        }
        if (down.contains(m.toIface())) {
            return new MoveAction.Refuse("cannot move " + m.ip() + " to " + m.toIface() + ": its link is down");
        }
        return new MoveAction.Update(from, new HostedAddress(from.ip(), from.maskBits(), m.toIface()));
    }

    /** The leader's latest map of address to node, as sent with the last grant. */
    public Map<String, Integer> assignment() {
        return Collections.unmodifiableMap(assignment);
    }

    public int assignmentFrom() {
        return assignmentFrom;
    }

    public long seenGeneration() {
        return seenGeneration;
    }
}
