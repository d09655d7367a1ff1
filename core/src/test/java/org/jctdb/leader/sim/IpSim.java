package org.jctdb.leader.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jctdb.ip.FailoverTiming;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.HostingNode;
import org.jctdb.ip.IpAllocTunables;
import org.jctdb.ip.IpEffect;
import org.jctdb.ip.IpMessage;
import org.jctdb.ip.TakeoverInput;
import org.jctdb.ip.TakeoverLeader;
import org.jctdb.leader.LeaderStatus;
import org.jctdb.leader.RecoveryMode;
import org.jctdb.leader.Role;
import org.jctdb.protocol.NodeFlags;

/**
 * Public IP failover on the simulation's virtual time, beside the leader cores: each daemon runs
 * the real {@link HostingNode} and {@link TakeoverLeader}, ticked every report interval as
 * IpTakeoverDriver ticks them, with a model of its shell (one address job at a time: releaseip,
 * takeip, ipreallocated scripts that take 5–300 ms) and of each machine's kernel: an address added
 * with a lifetime of {@code JctdbIPLease}, refreshed only for {@link HostingNode#refreshable},
 * expiring up to 250 ms late (the kernel's check, measured), and deleted by the guard within 20 ms
 * when the daemon dies. The invariant, after every step: no address is configured on two machines.
 */
final class IpSim {
    /** The defaults of docs/design/ip-failover.md: R 250 ms, D 1.5 s, L 1 s, G 0.5 s, step deadline 9 s. */
    static final FailoverTiming TIMING = new FailoverTiming(250, 1_500, 1, 500, 9_000, 5_000);

    static final long KERNEL_LATE_MS = 250;
    private static final String IFACE = "eth0";

    /** What one daemon incarnation holds for IP failover. */
    static final class Daemon {
        final HostingNode hosting;
        final TakeoverLeader takeover;
        final ArrayDeque<Runnable> jobs = new ArrayDeque<>();
        boolean jobRunning;

        Daemon(int pnn, int incarnation, long now) {
            hosting = new HostingNode(pnn, TIMING, incarnation, now);
            takeover = new TakeoverLeader(pnn, TIMING);
        }
    }

    private final Simulation sim;
    final List<String> ips = new ArrayList<>();
    private final List<IpMessage.Listed> listed = new ArrayList<>();
    /** Per machine: address -> when the kernel deletes it (Long.MAX_VALUE: no lifetime). Survives the daemon. */
    private final List<Map<String, Long>> kernel = new ArrayList<>();

    final Daemon[] daemons;
    /** Overlaps seen where no promise is made (counted, reported, not failed): without a lock; two leaders on a replaced lock file. */
    boolean overlapWithoutLock;

    boolean overlapWithStaleLock;

    IpSim(Simulation sim) {
        this.sim = sim;
        int count = 1 + sim.ipRnd.nextInt(sim.n + 2);
        for (int i = 0; i < count; i++) {
            String ip = "198.18.0." + (101 + i);
            ips.add(ip);
            listed.add(new IpMessage.Listed(ip, 24, List.of(IFACE)));
        }
        daemons = new Daemon[sim.n];
        for (int i = 0; i < sim.n; i++) {
            kernel.add(new HashMap<>());
        }
    }

    // ------------------------------------------------------------------ daemon lifecycle

    void boot(SimNode nd) {
        daemons[nd.pnn] = new Daemon(nd.pnn, nd.incarnation, sim.now);
        // At start-up the daemon deletes every configured public address on its interfaces.
        kernel.get(nd.pnn).clear();
        int inc = nd.incarnation;
        sim.after(sim.ipRnd.nextLong(TIMING.reportMs()), () -> tickLoop(nd, inc));
    }

    /** kill -9 of the daemon: its guard's input ends and it deletes what the daemon hosted. */
    void crash(SimNode nd) {
        Daemon d = daemons[nd.pnn];
        daemons[nd.pnn] = null;
        if (d == null) {
            return;
        }
        List<HostedAddress> hosted = d.hosting.hostedList();
        sim.after(1 + sim.ipRnd.nextLong(20), () -> {
            for (HostedAddress a : hosted) {
                kernel.get(nd.pnn).remove(a.ip());
            }
        });
    }

    private void tickLoop(SimNode nd, int inc) {
        if (!nd.alive || nd.incarnation != inc) {
            return;
        }
        if (!nd.paused) {
            tick(nd);
        }
        sim.after(TIMING.reportMs(), () -> tickLoop(nd, inc));
    }

    /** IpTakeoverDriver.tick. */
    private void tick(SimNode nd) {
        Daemon d = daemons[nd.pnn];
        long now = sim.now;
        List<HostedAddress> lapsed = d.hosting.toRelease(now);
        if (!lapsed.isEmpty()) {
            release(nd, d, lapsed, failed -> {});
        }
        refresh(nd, d.hosting.refreshable(now));
        sim.execute(nd, nd.core.observe(now)); // as the daemon: the leader core ends a stalled term first
        LeaderStatus ls = nd.core.status();
        if (ls.leader() >= 0 && d.hosting.reportDue(now, ls.leader(), listed, true, Set.of())) {
            deliver(nd, ls.leader(), d.hosting.report(now, listed, true, Set.of()));
        }
        d.hosting.vouchRequest(now, true, sim.n).ifPresent(r -> {
            for (int p = 0; p < sim.n; p++) {
                if (p != nd.pnn) {
                    sim.sendIp(nd, p, r);
                }
            }
        });
        apply(nd, d.takeover.tick(now, input(nd, ls)));
    }

    private TakeoverInput input(SimNode nd, LeaderStatus ls) {
        List<Integer> flags = new ArrayList<>();
        for (int p = 0; p < sim.n; p++) {
            flags.add(p == nd.pnn ? nd.flags : nd.view[p] < 0 ? NodeFlags.DISCONNECTED : sim.nodes[p].flags);
        }
        long gen = ls.role() == Role.LEADER ? ls.leadingGeneration() : 0;
        boolean inRecovery = ls.recoveryInProgress()
                || ls.recoveryMode() != RecoveryMode.NORMAL
                || ls.appliedGeneration() != ls.leadingGeneration();
        return new TakeoverInput(gen, inRecovery, flags, IpAllocTunables.defaults(), false, 300, 120);
    }

    /** A connection closed because the peer's process died (not silence). */
    void connectionClosed(SimNode nd, int peer) {
        Daemon d = daemons[nd.pnn];
        if (d != null) {
            d.takeover.onConnectionClosed(peer, sim.now);
        }
    }

    // ------------------------------------------------------------------ messages

    private void deliver(SimNode from, int to, IpMessage m) {
        if (m instanceof IpMessage.FromLeader f) {
            sim.checkNotStalled(from, f.generation(), m);
        }
        if (to == from.pnn) {
            int inc = from.incarnation;
            sim.after(1, () -> sim.inputAction(from, inc, () -> handle(from, m)));
        } else {
            sim.sendIp(from, to, m);
        }
    }

    /** An IP message arrives at {@code nd}'s daemon (IpTakeoverDriver.handle). */
    void handle(SimNode nd, IpMessage m) {
        Daemon d = daemons[nd.pnn];
        long now = sim.now;
        if (m instanceof IpMessage.Report || m instanceof IpMessage.StepDone) {
            sim.execute(nd, nd.core.observe(now)); // as the daemon: a stalled term ends before any grant
        }
        if (m instanceof IpMessage.Report r) {
            apply(nd, d.takeover.onReport(r, now, input(nd, nd.core.status()).generation()));
        } else if (m instanceof IpMessage.StepDone s) {
            apply(nd, d.takeover.onStepDone(s, now, input(nd, nd.core.status())));
        } else if (m instanceof IpMessage.Refused r) {
            apply(nd, d.takeover.onRefused(r));
        } else if (m instanceof IpMessage.VouchRequest r) {
            deliver(nd, r.from(), d.hosting.vouchFor(r, now));
        } else if (m instanceof IpMessage.Vouch v) {
            d.hosting.vouched(v, now, sim.n);
        } else if (m instanceof IpMessage.FromLeader f) {
            if (d.hosting.aheadOfLeaderCore(f, nd.core.status().seenGeneration())) {
                return;
            }
            Optional<IpMessage.Refused> refusal =
                    d.hosting.fence(f, nd.core.status().seenGeneration());
            if (refusal.isPresent()) {
                deliver(nd, f.from(), refusal.get());
                return;
            }
            fromLeader(nd, d, f);
        } else {
            throw new IllegalStateException("unhandled ip message " + m);
        }
    }

    private void fromLeader(SimNode nd, Daemon d, IpMessage.FromLeader f) {
        if (f instanceof IpMessage.Grant g) {
            if (d.hosting.granted(g, sim.now)) {
                deliver(nd, g.from(), d.hosting.report(sim.now, listed, true, Set.of()));
            }
        } else if (f instanceof IpMessage.Ban) {
            // bans are off in the simulation (EnableBans=0)
        } else if (f instanceof IpMessage.Release r) {
            release(
                    nd,
                    d,
                    r.addresses(),
                    done -> deliver(
                            nd, r.from(), stepDone(nd, d, r.generation(), r.run(), IpMessage.Phase.RELEASE, done)));
        } else if (f instanceof IpMessage.Take t) {
            take(
                    nd,
                    d,
                    t,
                    done -> deliver(
                            nd, t.from(), stepDone(nd, d, t.generation(), t.run(), IpMessage.Phase.TAKE, done)));
        } else if (f instanceof IpMessage.Reallocated r) {
            enqueue(
                    nd,
                    d,
                    () -> script(nd, d, 5 + sim.ipRnd.nextLong(100), () -> {
                        deliver(
                                nd,
                                r.from(),
                                stepDone(nd, d, r.generation(), r.run(), IpMessage.Phase.REALLOCATED, ""));
                        jobDone(nd, d);
                    }));
        } else {
            throw new IllegalStateException("unhandled message from the leader " + f);
        }
    }

    private IpMessage.StepDone stepDone(
            SimNode nd, Daemon d, long generation, long run, IpMessage.Phase phase, String failure) {
        return new IpMessage.StepDone(
                nd.pnn, generation, run, phase, failure.isEmpty(), failure, d.hosting.hostedList());
    }

    private void apply(SimNode nd, List<IpEffect> effects) {
        for (IpEffect e : effects) {
            if (e instanceof IpEffect.Send s) {
                deliver(nd, s.to(), s.message());
            } else if (e instanceof IpEffect.Log l) {
                if (sim.trace.enabled()) {
                    sim.trace.add(sim.now, nd.pnn, "ip " + l.level() + " " + l.text());
                }
            } else {
                throw new IllegalStateException("unhandled ip effect " + e);
            }
        }
    }

    // ------------------------------------------------------------------ the shell's address jobs (AddressEvents)

    private void enqueue(SimNode nd, Daemon d, Runnable job) {
        d.jobs.add(job);
        if (!d.jobRunning) {
            nextJob(d);
        }
    }

    private void nextJob(Daemon d) {
        Runnable j = d.jobs.poll();
        d.jobRunning = j != null;
        if (j != null) {
            j.run();
        }
    }

    private void jobDone(SimNode nd, Daemon d) {
        nextJob(d);
    }

    /** A script of this incarnation that takes {@code ms}; its outcome is a daemon input (queued while paused). */
    private void script(SimNode nd, Daemon d, long ms, Runnable outcome) {
        int inc = nd.incarnation;
        sim.after(
                ms,
                () -> sim.inputAction(nd, inc, () -> {
                    if (daemons[nd.pnn] == d) {
                        outcome.run();
                    }
                }));
    }

    private void release(SimNode nd, Daemon d, List<HostedAddress> list, Consumer<String> done) {
        enqueue(nd, d, () -> releaseNext(nd, d, new ArrayDeque<>(list), done));
    }

    private void releaseNext(SimNode nd, Daemon d, ArrayDeque<HostedAddress> todo, Consumer<String> done) {
        HostedAddress a = todo.poll();
        if (a == null) {
            done.accept("");
            jobDone(nd, d);
            return;
        }
        if (d.hosting.hostedAddress(a.ip()).isEmpty()) {
            releaseNext(nd, d, todo, done);
            return;
        }
        if (sim.trace.enabled()) {
            sim.trace.add(sim.now, nd.pnn, "releaseip " + a.ip());
        }
        int pnn = nd.pnn;
        script(nd, d, 5 + sim.ipRnd.nextLong(300), () -> {
            kernel.get(pnn).remove(a.ip()); // the script deletes it, and the guard again whatever it did
            d.hosting.released(a.ip());
            releaseNext(nd, d, todo, done);
        });
    }

    private void take(SimNode nd, Daemon d, IpMessage.Take t, Consumer<String> done) {
        enqueue(nd, d, () -> takeNext(nd, d, t, new ArrayDeque<>(t.addresses()), new ArrayList<>(), done));
    }

    private void takeNext(
            SimNode nd,
            Daemon d,
            IpMessage.Take t,
            ArrayDeque<IpMessage.Listed> todo,
            List<String> failures,
            Consumer<String> done) {
        IpMessage.Listed l = todo.poll();
        if (l == null) {
            done.accept(String.join("; ", failures));
            jobDone(nd, d);
            return;
        }
        long now = sim.now;
        if (d.hosting.hosts(l.ip())) {
            takeNext(nd, d, t, todo, failures, done);
            return;
        }
        Optional<String> refused = d.hosting.takeRefusal(
                l.ip(), t.generation(), t.run(), now, nd.core.status().seenGeneration());
        if (refused.isPresent()) {
            failures.add(refused.get());
            takeNext(nd, d, t, todo, failures, done);
            return;
        }
        HostedAddress h = new HostedAddress(l.ip(), l.maskBits(), IFACE);
        long epoch = d.hosting.epoch();
        d.hosting.begin(h, epoch);
        boolean ok = !sim.faultsActive || sim.ipRnd.nextInt(50) != 0;
        int pnn = nd.pnn;
        if (sim.trace.enabled()) {
            sim.trace.add(now, pnn, "takeip " + l.ip() + (ok ? "" : " (will fail)"));
        }
        // The script adds the address with its lifetime right after it starts (our 10.interface),
        // whatever happens to the daemon meanwhile.
        if (ok) {
            sim.after(1 + sim.ipRnd.nextLong(20), () -> addToKernel(pnn, l.ip()));
        }
        script(nd, d, 20 + sim.ipRnd.nextLong(280), () -> {
            if (ok) {
                d.hosting.taken(h, epoch); // lapses at once if the hold lapsed while the script ran
                if (d.hosting.refreshable(h, sim.now)) {
                    refresh(nd, List.of(h));
                }
            } else {
                failures.add("takeip " + h.ip() + " failed");
                kernel.get(pnn).remove(h.ip());
                d.hosting.released(h.ip());
            }
            takeNext(nd, d, t, todo, failures, done);
        });
    }

    // ------------------------------------------------------------------ the kernel

    private void addToKernel(int pnn, String ip) {
        kernel.get(pnn).put(ip, sim.now + TIMING.leaseSeconds() * 1_000 + sim.ipRnd.nextLong(KERNEL_LATE_MS));
        if (sim.trace.enabled()) {
            sim.trace.add(sim.now, pnn, "kernel add " + ip);
        }
    }

    /** The guard's {@code address change … valid_lft}: for IPv4 it adds a missing address too. */
    private void refresh(SimNode nd, List<HostedAddress> list) {
        for (HostedAddress a : list) {
            addToKernel(nd.pnn, a.ip());
        }
    }

    boolean present(int pnn, String ip) {
        Long until = kernel.get(pnn).get(ip);
        return until != null && sim.now < until;
    }

    /**
     * No address configured on two machines (checked after every step), except while a leader on
     * a replaced lock file may still grant (the overlap docs/design/leader-and-lock.md documents,
     * up to one re-check interval) and for one hold-and-lifetime period after it last acted, the
     * longest its grants keep an address up. Only with a cluster lock.
     */
    void check() {
        boolean promised = true;
        if (!sim.lockMode) {
            promised = false; // without a lock two leaders can overlap for seconds (documented): no such promise
        } else if (sim.staleLeaderAt >= 0
                && sim.now - sim.staleLeaderAt
                        < (TIMING.holdMs() + TIMING.leaseSeconds() * 1_000) + KERNEL_LATE_MS + TIMING.reportMs()) {
            promised = false;
        }
        if (!promised) {
            if (overlap() != null) {
                if (sim.lockMode) {
                    overlapWithStaleLock = true;
                } else {
                    overlapWithoutLock = true;
                }
            }
            return;
        }
        String o = overlap();
        if (o != null) {
            sim.fail(o);
        }
    }

    private String overlap() {
        for (String ip : ips) {
            int first = -1;
            for (int p = 0; p < sim.n; p++) {
                if (present(p, ip)) {
                    if (first >= 0) {
                        return "address " + ip + " configured on node " + first + " and node " + p;
                    }
                    first = p;
                }
            }
        }
        return null;
    }

    /** Fault-phase time with no address configured anywhere, once every address had been served. */
    long darkMs;

    private boolean everServed;
    private boolean dark;
    private long darkSince;

    /** Called before each step at {@code at}: adds the time since the last step if nothing was served then. */
    void accountDark(long at, long finalHealAt) {
        if (dark && everServed) {
            darkMs += Math.max(0, Math.min(at, finalHealAt) - Math.max(darkSince, 0));
        }
        boolean none = true;
        for (String ip : ips) {
            for (int p = 0; p < sim.n && none; p++) {
                none = !present(p, ip);
            }
        }
        everServed |= !none;
        if (sim.trace.enabled() && (none && at < finalHealAt) != dark && everServed) {
            sim.trace.add(at, -1, none ? "DARK" : "LIGHT");
        }
        dark = none && at < finalHealAt;
        darkSince = at;
    }

    /** Every address configured on exactly one machine, each of them in {@code on}. */
    boolean allServedBy(Set<Integer> on) {
        for (String ip : ips) {
            int count = 0;
            for (int p = 0; p < sim.n; p++) {
                if (present(p, ip)) {
                    if (!on.contains(p)) {
                        return false;
                    }
                    count++;
                }
            }
            if (count != 1) {
                return false;
            }
        }
        return true;
    }
}
