package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jctdb.config.Tunables;
import org.jctdb.leader.Generation;
import org.jctdb.protocol.NodeFlags;
import org.junit.jupiter.api.Test;

/** The leader's takeover runs on a fake clock: order of steps, silent and crashed nodes, bans. */
class TakeoverLeaderTest {
    static final FailoverTiming T = FailoverTiming.fromTunables(Tunables.defaults());
    static final long GEN = Generation.next(0, 0);
    static final IpMessage.Listed X = new IpMessage.Listed("198.18.5.101", 24, List.of("eth0"));
    static final IpMessage.Listed Y = new IpMessage.Listed("198.18.5.102", 24, List.of("eth0"));

    final TakeoverLeader leader = new TakeoverLeader(0, T);
    long now = 1_000;
    long seq;

    TakeoverInput input(int... flags) {
        List<Integer> f = new ArrayList<>();
        for (int x : flags) {
            f.add(x);
        }
        return new TakeoverInput(GEN, false, f, IpAllocTunables.defaults(), true, 300, 120);
    }

    /** Per node: the first and the latest of its reports granted, as a node's promise names them. */
    final Map<Integer, long[]> grantedSeqs = new HashMap<>();

    /** Whether reports carry the node's promise (a node that is vouching for others does not). */
    boolean promising = true;

    List<IpEffect> report(int pnn, List<HostedAddress> hosted) {
        long[] chain = promising ? grantedSeqs.get(pnn) : null;
        if (!promising) {
            grantedSeqs.remove(pnn);
        }
        IpMessage.Promise promise = chain == null ? null : new IpMessage.Promise(chain[0], chain[1]);
        List<IpEffect> e = leader.onReport(fullReport(pnn, ++seq, hosted, List.of(X, Y), List.of(), promise), now, GEN);
        if (!sent(e, IpMessage.Grant.class).isEmpty()) {
            grantedSeqs.computeIfAbsent(pnn, k -> new long[] {seq, seq})[1] = seq;
        }
        return e;
    }

    /** A report that sends its whole list of addresses and holds no assignment. */
    static IpMessage.Report fullReport(
            int pnn,
            long seq,
            List<HostedAddress> hosted,
            List<IpMessage.Listed> listed,
            List<String> down,
            IpMessage.Promise promise) {
        return new IpMessage.Report(
                pnn, seq, hosted, listed, 1, true, T.holdMs(), T.leaseSeconds(), down, 1, promise, -1, -1);
    }

    static <M> List<M> sent(List<IpEffect> effects, Class<M> type) {
        List<M> out = new ArrayList<>();
        for (IpEffect e : effects) {
            if (e instanceof IpEffect.Send s && type.isInstance(s.message())) {
                out.add(type.cast(s.message()));
            }
        }
        return out;
    }

    static List<Integer> to(List<IpEffect> effects, Class<?> type) {
        List<Integer> out = new ArrayList<>();
        for (IpEffect e : effects) {
            if (e instanceof IpEffect.Send s && type.isInstance(s.message())) {
                out.add(s.to());
            }
        }
        return out;
    }

    IpMessage.StepDone done(
            int pnn, IpMessage.FromLeader m, IpMessage.Phase phase, boolean ok, List<HostedAddress> hosted) {
        long run = m instanceof IpMessage.Release r
                ? r.run()
                : m instanceof IpMessage.Take t ? t.run() : ((IpMessage.Reallocated) m).run();
        return new IpMessage.StepDone(pnn, GEN, run, phase, ok, ok ? "" : "script failed", hosted);
    }

    static HostedAddress on(IpMessage.Listed l) {
        return new HostedAddress(l.ip(), l.maskBits(), "eth0");
    }

    /** Both nodes report, the first run takes X and Y, one on each node, then ipreallocated everywhere. */
    private void settle() {
        assertThat(leader.tick(now, input(0, 0))).isEmpty(); // node 1 has not reported: wait
        report(0, List.of());
        assertThat(sent(report(1, List.of()), IpMessage.Grant.class))
                .singleElement()
                .satisfies(g -> assertThat(g.generation()).isEqualTo(GEN));
        report(0, List.of()); // each acknowledges its grant: the leader's grants reach it
        report(1, List.of());
        List<IpEffect> e = leader.tick(now, input(0, 0));
        List<IpMessage.Take> takes = sent(e, IpMessage.Take.class);
        assertThat(takes).hasSize(2);
        List<Integer> takers = to(e, IpMessage.Take.class);
        List<IpEffect> next = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            next.addAll(leader.onStepDone(
                    done(
                            takers.get(i),
                            takes.get(i),
                            IpMessage.Phase.TAKE,
                            true,
                            List.of(on(takes.get(i).addresses().get(0)))),
                    now,
                    input(0, 0)));
        }
        List<IpMessage.Reallocated> re = sent(next, IpMessage.Reallocated.class);
        assertThat(to(next, IpMessage.Reallocated.class)).containsExactlyInAnyOrder(0, 1);
        leader.onStepDone(
                done(
                        0,
                        re.get(0),
                        IpMessage.Phase.REALLOCATED,
                        true,
                        List.of(on(takes.get(takers.indexOf(0)).addresses().get(0)))),
                now,
                input(0, 0));
        leader.onStepDone(
                done(
                        1,
                        re.get(1),
                        IpMessage.Phase.REALLOCATED,
                        true,
                        List.of(on(takes.get(takers.indexOf(1)).addresses().get(0)))),
                now,
                input(0, 0));
        assertThat(leader.runInProgress()).isFalse();
        assertThat(leader.assignment().values()).containsExactlyInAnyOrder(0, 1);
    }

    private String onNode1() {
        return leader.assignment().entrySet().stream()
                .filter(e -> e.getValue() == 1)
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    @Test
    void firstRunTakesEveryAddressOnceThenRunsIpreallocatedEverywhere() {
        settle();
        assertThat(leader.tick(now, input(0, 0))).isEmpty();
    }

    @Test
    void aSilentNodesAddressesStayWhileTooFewNodesArePromisedNotToVouchForIt() {
        settle();
        String ip = onNode1();
        HostedAddress mine = on(ip.equals(X.ip()) ? Y : X);
        promising = false; // node 0 reports no promise: it could be vouching for node 1
        long silentFrom = now;
        while (now < silentFrom + 10_000) {
            now += 250;
            report(0, List.of(mine));
            for (IpMessage.Take t : sent(leader.tick(now, input(0, 0)), IpMessage.Take.class)) {
                assertThat(t.addresses()).as("take at +%d ms", now - silentFrom).noneMatch(l -> l.ip().equals(ip));
            }
        }
        promising = true; // bound again from its next grant: a whole hold later, plus the lifetime
        long bound = now + 250;
        long movedAt = -1;
        while (movedAt < 0 && now < bound + 10_000) {
            now += 250;
            report(0, List.of(mine));
            for (IpMessage.Take t : sent(leader.tick(now, input(0, 0)), IpMessage.Take.class)) {
                if (t.addresses().stream().anyMatch(l -> l.ip().equals(ip))) {
                    movedAt = now;
                }
            }
        }
        assertThat(movedAt - bound)
                .as("moved after the promise had held for a hold period and the lifetime ran out")
                .isBetween(
                        T.holdMs() + FailoverTiming.expiryMs(T.leaseSeconds()),
                        T.holdMs() + FailoverTiming.expiryMs(T.leaseSeconds()) + 500);
    }

    @Test
    void aSilentNodesAddressesMoveOnlyAfterItsHoldAndLeaseHaveRunOut() {
        settle();
        String ip = onNode1();
        HostedAddress mine = on(ip.equals(X.ip()) ? Y : X);
        // Both report for a while (the leader learns node 0's promise), then node 1 falls silent.
        for (int i = 0; i < 8; i++) {
            now += 250;
            report(0, List.of(mine));
            report(1, List.of(on(ip.equals(X.ip()) ? X : Y)));
            leader.tick(now, input(0, 0));
        }
        long lastGrant = now;
        while (now + 50 < lastGrant + T.goneAfterMs()) {
            now += 50;
            if (now % 250 == 0) {
                report(0, List.of(mine));
            }
            List<IpEffect> e = leader.tick(now, input(0, 0));
            for (IpMessage.Take t : sent(e, IpMessage.Take.class)) {
                assertThat(t.addresses()).as("take at +%d ms", now - lastGrant).noneMatch(l -> l.ip().equals(ip));
            }
            // no run may touch it; a release to node 1 is harmless but must not be followed by a take
        }
        now = lastGrant + T.goneAfterMs();
        report(0, List.of(mine));
        List<IpEffect> e = leader.tick(now, input(0, 0));
        assertThat(sent(e, IpMessage.Take.class))
                .singleElement()
                .satisfies(t -> assertThat(t.addresses())
                        .extracting(IpMessage.Listed::ip)
                        .containsExactly(ip));
        assertThat(to(e, IpMessage.Take.class)).containsExactly(0);
    }

    @Test
    void aLeaderThatBeganOnHalfOfATieWaitsForAStaleLeadersGrantsToRunOut() {
        long gone = T.holdMs() + FailoverTiming.expiryMs(T.leaseSeconds());
        assertThat(firstTakeAfterStart(0, NodeFlags.DISCONNECTED))
                .as("one of two: the other may lead on a replaced lock file until its re-check")
                .isBetween(FailoverTiming.STALE_LEAD_MS + gone, FailoverTiming.STALE_LEAD_MS + gone + 500);
        assertThat(new TakeoverLeaderTest().firstTakeAfterStart(0, 0, NodeFlags.DISCONNECTED))
                .as("two of three: a stale leader of the one left is no majority and stops")
                .isLessThan(FailoverTiming.STALE_LEAD_MS);
    }

    /** A new leader (node 0) reached by the connected nodes of {@code flags}, which report every 250 ms. */
    private long firstTakeAfterStart(int... flags) {
        long start = now;
        leader.tick(now, input(flags));
        while (now < start + 30_000) {
            now += 250;
            for (int pnn = 0; pnn < flags.length; pnn++) {
                if (flags[pnn] == 0) {
                    report(pnn, List.of());
                }
            }
            if (!sent(leader.tick(now, input(flags)), IpMessage.Take.class).isEmpty()) {
                return now - start;
            }
        }
        return -1;
    }

    /** The leader's tick of round {@code i} (its logs added to {@code said}) sends node 1 no take. */
    private List<IpEffect> tickTakingNothingOnNode1(int i, List<String> said) {
        List<IpEffect> e = leader.tick(now, input(0, 0));
        said.addAll(logs(e));
        assertThat(to(e, IpMessage.Take.class)).as("takes at +%d ms", i * 250).doesNotContain(1);
        return e;
    }

    /** Node 1 reports nothing (node 0 does, hosting {@code mine}) until {@code ip} is assigned to node 0. */
    private void silentUntilMovedToNode0(String ip, HostedAddress mine, HostedAddress theirs) {
        long silentFrom = now;
        while (!leader.assignment().getOrDefault(ip, -1).equals(0) && now < silentFrom + 30_000) {
            now += 250;
            report(0, List.of(mine));
            for (IpMessage.Take t : sent(leader.tick(now, input(0, 0)), IpMessage.Take.class)) {
                List<IpEffect> re = leader.onStepDone(
                        done(0, t, IpMessage.Phase.TAKE, true, List.of(mine, theirs)), now, input(0, 0));
                for (IpMessage.Reallocated r : sent(re, IpMessage.Reallocated.class)) {
                    leader.onStepDone(
                            done(0, r, IpMessage.Phase.REALLOCATED, true, List.of(mine, theirs)), now, input(0, 0));
                }
            }
        }
        assertThat(leader.assignment()).containsEntry(ip, 0);
    }

    /**
     * After a cut link heals, TCP may deliver a node's reports seconds before the leader's grants to
     * it (each direction retries on its own backed-off timer). Such a node would refuse a take (no
     * current grant) and be charged for the failed run: it gets no new address until its reports
     * acknowledge a grant sent since they resumed. What it holds is not affected.
     */
    @Test
    void aNodeWhoseReportsArriveButNotTheLeadersGrantsIsGivenNoAddressUntilItAcknowledgesOne() {
        settle();
        String ip = onNode1();
        long[] before = grantedSeqs.get(1).clone(); // what node 1 acknowledges while grants cannot reach it
        HostedAddress mine = on(ip.equals(X.ip()) ? Y : X);
        HostedAddress theirs = on(ip.equals(X.ip()) ? X : Y);
        // Node 1 falls silent until its address has moved to node 0.
        silentUntilMovedToNode0(ip, mine, theirs);
        // Its reports come back, acknowledging only grants from before the cut: nothing moves to it.
        List<String> said = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            now += 250;
            report(0, List.of(mine, theirs));
            leader.onReport(
                    fullReport(
                            1, ++seq, List.of(), List.of(X, Y), List.of(), new IpMessage.Promise(before[0], before[1])),
                    now,
                    GEN);
            List<IpEffect> e = tickTakingNothingOnNode1(i, said);
            assertThat(sent(e, IpMessage.Release.class))
                    .as("releases at +%d ms", i * 250)
                    .isEmpty();
        }
        assertThat(said)
                .as("said once, after a hold period")
                .filteredOn(l -> l.contains("without acknowledging a grant"))
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("node 1 has reported for 1500 ms"));
        // Once a grant gets through, the address moves back.
        grantedSeqs.put(1, before);
        boolean back = false;
        for (int i = 0; i < 4 && !back; i++) {
            now += 250;
            report(0, List.of(mine, theirs));
            report(1, List.of());
            List<IpEffect> e = leader.tick(now, input(0, 0));
            said.addAll(logs(e));
            back = to(e, IpMessage.Release.class).contains(0);
        }
        assertThat(back)
                .as("released on node 0 to move back once node 1 acknowledged a new grant")
                .isTrue();
        assertThat(said).contains("node 1 acknowledges this leader's grants again");
    }

    /**
     * After a heal, a node's stale report (queued during the cut) can still list the address that
     * has since moved: the leader withholds its grants (another node has hosted it for longer), so
     * the node has no current grant, and the address must not be moved to it. A full run once did:
     * it released the address on its holder and sent the take to the healed node, which refused it
     * ("no current grant from the leader") and was charged banning credits (LinkFlapIT).
     */
    @Test
    void aStaleClaimFromANodeWhoseGrantsAreWithheldDoesNotMoveTheAddressToIt() {
        settle();
        String ip = onNode1();
        long[] before = grantedSeqs.get(1).clone();
        HostedAddress mine = on(ip.equals(X.ip()) ? Y : X);
        HostedAddress theirs = on(ip.equals(X.ip()) ? X : Y);
        silentUntilMovedToNode0(ip, mine, theirs);
        // Node 1 is back; its reports from the cut still say it hosts the address, and acknowledge
        // a grant as if grants reached it (so only the withholding can keep the take away).
        grantedSeqs.put(1, new long[] {before[0], seq + 1});
        List<String> said = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            now += 250;
            report(0, List.of(mine, theirs));
            List<IpEffect> r = leader.onReport(
                    fullReport(
                            1,
                            ++seq,
                            List.of(theirs),
                            List.of(X, Y),
                            List.of(),
                            new IpMessage.Promise(before[0], seq - 1)),
                    now,
                    GEN);
            said.addAll(logs(r));
            assertThat(sent(r, IpMessage.Grant.class))
                    .as("grant to node 1 at +%d ms", i * 250)
                    .isEmpty();
            List<IpEffect> e = tickTakingNothingOnNode1(i, said);
            assertThat(to(e, IpMessage.Release.class))
                    .as("releases at +%d ms", i * 250)
                    .doesNotContain(0);
        }
        assertThat(said).anyMatch(l -> l.startsWith("not renewing node 1's hold"));
    }

    @Test
    void aCrashedNodesAddressesMoveAfterTheCrashGrace() {
        settle();
        String ip = onNode1();
        HostedAddress mine = on(ip.equals(X.ip()) ? Y : X);
        now += 100;
        leader.onConnectionClosed(1, now);
        long closed = now;
        while (now + 50 < closed + T.crashGraceMs()) {
            now += 50;
            report(0, List.of(mine));
            assertThat(sent(leader.tick(now, input(0, NodeFlags.DISCONNECTED)), IpMessage.Take.class))
                    .isEmpty();
        }
        now = closed + T.crashGraceMs();
        report(0, List.of(mine));
        List<IpEffect> e = leader.tick(now, input(0, NodeFlags.DISCONNECTED));
        assertThat(sent(e, IpMessage.Take.class))
                .singleElement()
                .satisfies(t -> assertThat(t.addresses())
                        .extracting(IpMessage.Listed::ip)
                        .containsExactly(ip));
    }

    @Test
    void releasesComeBeforeTakesWhenANodeIsDisabled() {
        settle();
        String ip = onNode1();
        HostedAddress theirs = on(ip.equals(X.ip()) ? X : Y);
        List<IpEffect> e = leader.tick(now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        assertThat(sent(e, IpMessage.Take.class)).isEmpty();
        IpMessage.Release r = sent(e, IpMessage.Release.class).get(0);
        assertThat(to(e, IpMessage.Release.class)).containsExactly(1);
        assertThat(r.addresses()).extracting(HostedAddress::ip).containsExactly(ip);
        List<IpEffect> next = leader.onStepDone(
                done(1, r, IpMessage.Phase.RELEASE, true, List.of()), now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        assertThat(to(next, IpMessage.Take.class)).containsExactly(0);
        assertThat(theirs.ip()).isEqualTo(ip);
    }

    /** Node 1 fails to release its address in a run started {@code after} ms later; returns the bans sent. */
    private List<IpMessage.Ban> failedRelease(String ip, long after) {
        now += after;
        report(0, List.of());
        report(1, List.of(on(ip.equals(X.ip()) ? X : Y)));
        List<IpEffect> e = leader.tick(now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        IpMessage.Release r = sent(e, IpMessage.Release.class).get(0);
        List<IpEffect> after2 = leader.onStepDone(
                done(1, r, IpMessage.Phase.RELEASE, false, List.of(on(ip.equals(X.ip()) ? X : Y))),
                now,
                input(0, NodeFlags.PERMANENTLY_DISABLED));
        assertThat(sent(after2, IpMessage.Take.class))
                .as("no take after a failed release")
                .isEmpty();
        assertThat(to(after2, IpMessage.Ban.class)).allMatch(p -> p == 1);
        return sent(after2, IpMessage.Ban.class);
    }

    @Test
    void theSecondFailedRunWithinTheGracePeriodBansTheCulpritAsCtdbDoes() {
        settle();
        String ip = onNode1();
        assertThat(failedRelease(ip, 2_000)).isEmpty();
        assertThat(failedRelease(ip, 2_000))
                .singleElement()
                .satisfies(b -> assertThat(b.seconds()).isEqualTo(300));
        assertThat(failedRelease(ip, 2_000))
                .as("credits start again after a ban")
                .isEmpty();
    }

    @Test
    void failuresFurtherApartThanTheGracePeriodAreForgiven() {
        settle();
        String ip = onNode1();
        assertThat(failedRelease(ip, 2_000)).isEmpty();
        assertThat(failedRelease(ip, 121_000)).isEmpty();
        assertThat(failedRelease(ip, 2_000)).hasSize(1);
    }

    @Test
    void anUnansweredTakeKeepsItsAddressOnItsNodeAfterTheRunIsAbandoned() {
        // Found by the simulator: the run is abandoned (here by a new generation) while node 1's take
        // waits in its job queue; node 1 goes on reporting without the address.
        leader.tick(now, input(0, 0));
        for (int round = 0; round < 2; round++) { // the second acknowledges the first's grants
            report(0, List.of());
            report(1, List.of());
        }
        List<IpEffect> e = leader.tick(now, input(0, 0));
        List<IpMessage.Take> takes = sent(e, IpMessage.Take.class);
        IpMessage.Take toNode1 = takes.get(to(e, IpMessage.Take.class).indexOf(1));
        String ip = toNode1.addresses().get(0).ip();
        long gen2 = Generation.next(GEN, 0);
        TakeoverInput next = new TakeoverInput(gen2, false, List.of(0, 0), IpAllocTunables.defaults(), true, 300, 120);
        for (int i = 0; i < 8; i++) {
            now += 250;
            List<IpEffect> later = leader.tick(now, next); // the first abandons the run: new generation
            report(0, List.of());
            report(1, List.of());
            for (IpMessage.Take t : sent(later, IpMessage.Take.class)) {
                assertThat(t.addresses())
                        .extracting(IpMessage.Listed::ip)
                        .as("taken elsewhere while node 1 may take it")
                        .doesNotContain(ip);
            }
            for (IpMessage.Reallocated r : sent(later, IpMessage.Reallocated.class)) {
                leader.onStepDone(
                        new IpMessage.StepDone(0, gen2, r.run(), IpMessage.Phase.REALLOCATED, true, "", List.of()),
                        now,
                        next);
            }
        }
        // Node 1 answers the old take: now the leader knows where the address is.
        leader.onStepDone(
                new IpMessage.StepDone(
                        1,
                        GEN,
                        toNode1.run(),
                        IpMessage.Phase.TAKE,
                        true,
                        "",
                        List.of(on(toNode1.addresses().get(0)))),
                now,
                next);
        report(0, List.of());
        report(1, List.of(on(toNode1.addresses().get(0))));
        now += 250;
        for (IpMessage.Take t : sent(leader.tick(now, next), IpMessage.Take.class)) {
            assertThat(t.addresses()).extracting(IpMessage.Listed::ip).doesNotContain(ip);
        }
    }

    static List<String> logs(List<IpEffect> effects) {
        List<String> out = new ArrayList<>();
        for (IpEffect e : effects) {
            if (e instanceof IpEffect.Log l) {
                out.add(l.text());
            }
        }
        return out;
    }

    @Test
    void aNodeClaimingAnAddressBeingTakenElsewhereGetsNoGrantUntilItLetsGo() {
        // Seed 1796587196740: a node back from a stale leader's grants reports an address the new
        // leader is giving to another node; renewing its hold kept the address on both.
        settle();
        String ip = onNode1();
        HostedAddress theirs = on(ip.equals(X.ip()) ? X : Y);
        HostedAddress mine = on(ip.equals(X.ip()) ? Y : X);
        List<IpEffect> e = leader.tick(now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        IpMessage.Release r = sent(e, IpMessage.Release.class).get(0);
        List<IpEffect> next = leader.onStepDone(
                done(1, r, IpMessage.Phase.RELEASE, true, List.of()), now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        assertThat(to(next, IpMessage.Take.class)).containsExactly(0);
        now += 250;
        List<IpEffect> claim = report(1, List.of(theirs));
        assertThat(sent(claim, IpMessage.Grant.class)).isEmpty();
        assertThat(logs(claim)).singleElement().asString().contains("not renewing node 1's hold", ip);
        now += 250;
        assertThat(report(1, List.of(theirs))).as("logged once").isEmpty();
        assertThat(sent(report(0, List.of(mine)), IpMessage.Grant.class)).hasSize(1);
        now += 250;
        assertThat(sent(report(1, List.of()), IpMessage.Grant.class)).hasSize(1);
    }

    @Test
    void aTakeIsDroppedWhenAnotherNodeReportsTheAddressAfterTheRunWasPlanned() {
        settle();
        String ip = onNode1();
        HostedAddress theirs = on(ip.equals(X.ip()) ? X : Y);
        List<IpEffect> e = leader.tick(now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        IpMessage.Release r = sent(e, IpMessage.Release.class).get(0);
        // The release "succeeded" but node 1 still has the address: the take must not go out.
        List<IpEffect> next = leader.onStepDone(
                done(1, r, IpMessage.Phase.RELEASE, true, List.of(theirs)),
                now,
                input(0, NodeFlags.PERMANENTLY_DISABLED));
        for (IpMessage.Take t : sent(next, IpMessage.Take.class)) {
            assertThat(t.addresses()).extracting(IpMessage.Listed::ip).doesNotContain(ip);
        }
        assertThat(logs(next)).anySatisfy(l -> assertThat(l).contains("not taking " + ip + " on node 0"));
        assertThat(leader.runRequested())
                .as("planned again with the fresh report")
                .isTrue();
    }

    @Test
    void stepAnswersOfAnotherRunOrGenerationAreIgnored() {
        settle();
        List<IpEffect> e = leader.tick(now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        IpMessage.Release r = sent(e, IpMessage.Release.class).get(0);
        IpMessage.StepDone stale =
                new IpMessage.StepDone(1, GEN - 1, r.run(), IpMessage.Phase.RELEASE, true, "", List.of());
        assertThat(leader.onStepDone(stale, now, input(0, NodeFlags.PERMANENTLY_DISABLED)))
                .isEmpty();
        assertThat(leader.runInProgress()).isTrue();
    }

    @Test
    void aRunDoesNotWaitForTheStepDeadlineOfANodeThatStoppedReporting() {
        settle();
        // Node 1 is disabled: its address is released there... but node 1 freezes before answering.
        List<IpEffect> e = leader.tick(now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        assertThat(to(e, IpMessage.Release.class)).containsExactly(1);
        long start = now;
        while (leader.runInProgress()) {
            now += 250;
            report(0, List.of());
            leader.tick(now, input(0, NodeFlags.PERMANENTLY_DISABLED));
        }
        assertThat(now - start).isLessThanOrEqualTo(T.holdMs() + 250).isLessThan(T.takeoverMs());
    }

    static final IpMessage.Listed X2 = new IpMessage.Listed(X.ip(), 24, List.of("eth0", "eth1"));
    static final IpMessage.Listed Y2 = new IpMessage.Listed(Y.ip(), 24, List.of("eth0", "eth1"));

    List<IpEffect> report(int pnn, List<HostedAddress> hosted, List<String> down) {
        long[] chain = grantedSeqs.get(pnn);
        IpMessage.Promise promise = chain == null ? null : new IpMessage.Promise(chain[0], chain[1]);
        List<IpEffect> e = leader.onReport(fullReport(pnn, ++seq, hosted, List.of(X2, Y2), down, promise), now, GEN);
        if (!sent(e, IpMessage.Grant.class).isEmpty()) {
            grantedSeqs.computeIfAbsent(pnn, k -> new long[] {seq, seq})[1] = seq;
        }
        return e;
    }

    /** X on node 0, Y on node 1, both on eth0; the first run (ipreallocated only) done. */
    private void hostingOnEth0() {
        assertThat(leader.tick(now, input(0, 0))).isEmpty(); // leading from now; nobody has reported
        report(0, List.of(on(X)), List.of());
        report(1, List.of(on(Y)), List.of());
        List<IpEffect> e = leader.tick(now, input(0, 0));
        assertThat(sent(e, IpMessage.Take.class)).isEmpty();
        List<IpMessage.Reallocated> re = sent(e, IpMessage.Reallocated.class);
        leader.onStepDone(done(0, re.get(0), IpMessage.Phase.REALLOCATED, true, List.of(on(X))), now, input(0, 0));
        leader.onStepDone(done(1, re.get(1), IpMessage.Phase.REALLOCATED, true, List.of(on(Y))), now, input(0, 0));
        assertThat(leader.runInProgress()).isFalse();
    }

    @Test
    void aTermTheLeaderCoreEndedSinceTheLastTickGrantsNothingAndAdvancesNoRun() {
        hostingOnEth0();
        now += 250;
        report(0, List.of(on(X)), List.of("eth0"));
        IpMessage.Take t =
                sent(leader.tick(now, input(0, 0)), IpMessage.Take.class).get(0);
        // The leader core stepped down (paused past the leader timeout) before the next IP tick.
        List<IpEffect> grant =
                leader.onReport(fullReport(1, ++seq, List.of(on(Y)), List.of(X2, Y2), List.of(), null), now, 0);
        assertThat(sent(grant, IpMessage.Grant.class)).isEmpty();
        TakeoverInput ended = new TakeoverInput(0, false, List.of(0, 0), IpAllocTunables.defaults(), true, 300, 120);
        List<IpEffect> next = leader.onStepDone(
                done(0, t, IpMessage.Phase.TAKE, true, List.of(new HostedAddress(X.ip(), 24, "eth1"))), now, ended);
        assertThat(sent(next, IpMessage.Reallocated.class)).isEmpty();
    }

    @Test
    void anAddressWhoseInterfaceWentDownMovesToAnotherInterfaceOfTheSameNodeWithUpdateIp() {
        hostingOnEth0();
        now += 250;
        report(0, List.of(on(X)), List.of("eth0"));
        report(1, List.of(on(Y)), List.of());
        List<IpEffect> e = leader.tick(now, input(0, 0));
        assertThat(sent(e, IpMessage.Release.class))
                .as("no release: the address stays on node 0")
                .isEmpty();
        assertThat(to(e, IpMessage.Take.class)).containsExactly(0);
        IpMessage.Take t = sent(e, IpMessage.Take.class).get(0);
        assertThat(t.addresses()).isEmpty();
        assertThat(t.moves()).containsExactly(new IpMessage.Move(X.ip(), 24, "eth0", "eth1"));
        HostedAddress moved = new HostedAddress(X.ip(), 24, "eth1");
        List<IpEffect> next =
                leader.onStepDone(done(0, t, IpMessage.Phase.TAKE, true, List.of(moved)), now, input(0, 0));
        assertThat(to(next, IpMessage.Reallocated.class)).containsExactlyInAnyOrder(0, 1);
        assertThat(leader.assignment()).containsEntry(X.ip(), 0).containsEntry(Y.ip(), 1);
    }

    @Test
    void anAddressNoLongerListedOnItsInterfaceMovesWithUpdateIp() {
        hostingOnEth0();
        now += 250;
        IpMessage.Listed onlyEth1 = new IpMessage.Listed(X.ip(), 24, List.of("eth1"));
        leader.onReport(fullReport(0, ++seq, List.of(on(X)), List.of(onlyEth1, Y2), List.of(), null), now, GEN);
        report(1, List.of(on(Y)), List.of());
        IpMessage.Take t =
                sent(leader.tick(now, input(0, 0)), IpMessage.Take.class).get(0);
        assertThat(t.moves()).containsExactly(new IpMessage.Move(X.ip(), 24, "eth0", "eth1"));
    }

    @Test
    void anAddressWithEveryInterfaceDownOnItsNodeMovesToAnotherNode() {
        hostingOnEth0();
        now += 250;
        report(0, List.of(on(X)), List.of("eth0", "eth1"));
        report(1, List.of(on(Y)), List.of());
        List<IpEffect> e = leader.tick(now, input(0, 0));
        assertThat(to(e, IpMessage.Release.class)).containsExactly(0);
        IpMessage.Release r = sent(e, IpMessage.Release.class).get(0);
        List<IpEffect> next = leader.onStepDone(done(0, r, IpMessage.Phase.RELEASE, true, List.of()), now, input(0, 0));
        assertThat(to(next, IpMessage.Take.class)).containsExactly(1);
        assertThat(sent(next, IpMessage.Take.class).get(0).addresses())
                .extracting(IpMessage.Listed::ip)
                .containsExactly(X.ip());
    }

    @Test
    void aGrantLeavesOutAnUnchangedMapAndAsksForAListItDoesNotHold() {
        settle();
        IpMessage.Grant g = sent(report(1, List.of()), IpMessage.Grant.class).get(0);
        assertThat(g.assignment()).isNotEmpty();
        assertThat(g.listedVersion())
                .as("the test's reports send version 1 whole")
                .isEqualTo(1);
        IpMessage.Report holding = withoutList(++seq, 1, g.assignmentVersion());
        IpMessage.Grant g2 =
                sent(leader.onReport(holding, now, GEN), IpMessage.Grant.class).get(0);
        assertThat(g2.assignment()).as("the node holds the current map").isNull();
        assertThat(g2.listedVersion()).isEqualTo(1);
        IpMessage.Report unknown = withoutList(++seq, 7, g.assignmentVersion());
        IpMessage.Grant g3 =
                sent(leader.onReport(unknown, now, GEN), IpMessage.Grant.class).get(0);
        assertThat(g3.listedVersion())
                .as("a version it never got: send it whole")
                .isEqualTo(-1);
        leader.requestRun();
        assertThat(sent(leader.tick(now + 250, input(0, 0)), IpMessage.Release.class))
                .as("no run while a node's list is unknown")
                .isEmpty();
        assertThat(leader.runInProgress()).isFalse();
    }

    @Test
    void grantsSayIdleWhileNoConnectedNodeListsOrHostsAnAddress() {
        int gone = NodeFlags.DELETED;
        List<IpEffect> e = leader.tick(now, input(0, 0, gone));
        assertThat(idleGrant(0, List.of())).as("node 1's list is not known yet").isFalse();
        assertThat(idleGrant(1, List.of())).as("every node lists none").isTrue();
        assertThat(idleGrant(0, List.of())).isTrue();
        assertThat(idleGrant(1, List.of(X))).as("node 1 lists an address").isFalse();
        assertThat(idleGrant(0, List.of())).isFalse();
        assertThat(idleGrant(1, List.of())).as("and no longer").isTrue();
        e = leader.tick(now, input(0, 0, gone));
        assertThat(idleGrant(0, List.of()))
                .as("the generation's first run (no moves)")
                .isFalse();
        List<IpMessage.Reallocated> re = sent(e, IpMessage.Reallocated.class);
        List<Integer> nodes = to(e, IpMessage.Reallocated.class);
        assertThat(nodes).containsExactlyInAnyOrder(0, 1);
        for (int i = 0; i < re.size(); i++) {
            leader.onStepDone(
                    done(nodes.get(i), re.get(i), IpMessage.Phase.REALLOCATED, true, List.of()),
                    now,
                    input(0, 0, gone));
        }
        assertThat(leader.runInProgress()).isFalse();
        assertThat(idleGrant(0, List.of())).as("the run over").isTrue();
        leader.tick(now, input(0, 0, 0));
        assertThat(idleGrant(0, List.of()))
                .as("node 2 connected, its list unknown")
                .isFalse();
        leader.tick(now, input(0, 0, NodeFlags.DISCONNECTED));
        assertThat(idleGrant(0, List.of()))
                .as("node 2 disconnected, not yet known to have no addresses: the gap needs promises")
                .isFalse();
    }

    @Test
    void anIdleLeadersTicksFindNothingToDoUntilANodeListsAnAddressOrARunIsAsked() {
        int gone = NodeFlags.DELETED;
        leader.tick(now, input(0, 0, gone));
        assertThat(leader.idleIn(GEN, now))
                .as("the nodes' lists are not known yet")
                .isFalse();
        idleGrant(0, List.of());
        idleGrant(1, List.of());
        assertThat(leader.idleIn(GEN, now))
                .as("the generation's first run is still to come")
                .isFalse();
        firstRunWithNoAddress(input(0, 0, gone));
        assertThat(leader.idleIn(GEN, now)).isTrue();
        assertThat(leader.idleIn(GEN + 1, now))
                .as("a generation its tick has not seen")
                .isFalse();
        // A minute of idle reports (every 5 s) and ticks: the ticks a shell leaves out would have done nothing.
        for (long t = now; t < now + 60_000; t += 250) {
            if (t % 5_000 == 0) {
                long at = t;
                assertThat(sent(
                                leader.onReport(fullReport(0, ++seq, List.of(), List.of(), List.of(), null), at, GEN),
                                IpMessage.Grant.class))
                        .singleElement()
                        .satisfies(g -> assertThat(g.idle()).isTrue());
                leader.onReport(fullReport(1, ++seq, List.of(), List.of(), List.of(), null), at, GEN);
            }
            assertThat(leader.idleIn(GEN, t)).isTrue();
            assertThat(leader.tick(t, input(0, 0, gone))).isEmpty();
        }
        leader.requestRun();
        assertThat(leader.idleIn(GEN, now)).as("ipreallocate").isFalse();
        leader.tick(now, input(0, 0, gone)).forEach(x -> {});
        assertThat(leader.runInProgress()).isTrue();
    }

    /** The generation's first run where no node has an address: ipreallocated on every node, answered. */
    private void firstRunWithNoAddress(TakeoverInput in) {
        List<IpEffect> e = leader.tick(now, in);
        List<IpMessage.Reallocated> re = sent(e, IpMessage.Reallocated.class);
        List<Integer> nodes = to(e, IpMessage.Reallocated.class);
        assertThat(re).isNotEmpty();
        for (int i = 0; i < re.size(); i++) {
            leader.onStepDone(done(nodes.get(i), re.get(i), IpMessage.Phase.REALLOCATED, true, List.of()), now, in);
        }
    }

    @Test
    void anAddressListedEndsTheIdleOfTheLeader() {
        int gone = NodeFlags.DELETED;
        leader.tick(now, input(0, 0, gone));
        idleGrant(0, List.of());
        idleGrant(1, List.of());
        firstRunWithNoAddress(input(0, 0, gone));
        assertThat(leader.idleIn(GEN, now)).isTrue();
        assertThat(idleGrant(1, List.of(X))).isFalse();
        assertThat(leader.idleIn(GEN, now))
                .as("node 1 lists an address: the shell ticks on the grid again")
                .isFalse();
        assertThat(idleGrant(1, List.of())).isTrue();
        assertThat(leader.idleIn(GEN, now)).isTrue();
    }

    private boolean idleGrant(int pnn, List<IpMessage.Listed> listed) {
        List<IpEffect> e = leader.onReport(fullReport(pnn, ++seq, List.of(), listed, List.of(), null), now, GEN);
        return sent(e, IpMessage.Grant.class).get(0).idle();
    }

    /** Node 1's report that leaves its list out (version {@code listedVersion}) and holds map {@code assignmentVersion}. */
    static IpMessage.Report withoutList(long seq, long listedVersion, long assignmentVersion) {
        return new IpMessage.Report(
                1,
                seq,
                List.of(),
                null,
                listedVersion,
                true,
                T.holdMs(),
                T.leaseSeconds(),
                List.of(),
                1,
                null,
                GEN,
                assignmentVersion);
    }
}
