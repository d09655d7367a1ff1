package org.jctdb.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jctdb.config.Installation;
import org.jctdb.config.Tunables;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.TickleControl;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.IpMessage;
import org.jctdb.ip.tickle.ProcNetTcp;
import org.jctdb.ip.tickle.TickleConnection;
import org.jctdb.ip.tickle.TickleList;
import org.jctdb.ip.tickle.TicklePlan;
import org.jctdb.ip.tickle.TickleTable;
import org.jctdb.mesh.WireMessage;
import org.jctdb.transport.GridTimer;
import org.jctdb.transport.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around {@link TickleTable}: reads the kernel's connections to hosted addresses
 * every JctdbTickleScanMs, sends changed lists to the other nodes (all of them every
 * TickleUpdateInterval seconds), applies theirs, sends tickle ACKs after takeip and resets
 * connections before releaseip through the {@code jctdb_tcp} helper. Table access stays on the
 * core thread; helpers run on a worker.
 */
final class Tickles implements TickleControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.ip");
    /**
     * Tickle ACK rounds after takeip (CTDB sends one with each of its three gratuitous ARPs, 1 s
     * apart). Five rounds over 2.4 s: a client may answer the first ones towards the dead node
     * while its ARP entry still names it (seen in TickleBench: one client answered only the fifth).
     */
    static final int ROUNDS = 5;
    /**
     * Over the kernel's 500 ms limit on answers to out-of-window segments (tcp_invalid_ratelimit),
     * under CTDB's 1 s: a round lost to a client's stale ARP entry is repeated sooner. The first
     * round goes out at once, with the first gratuitous ARP, as CTDB's (a 100 ms delay measured
     * no better, only 100 ms later).
     */
    static final long INTERVAL_MS = 600;
    /** How long releaseip waits for the old host's resets. */
    static final long KILL_TIMEOUT_MS = 1000;

    private static final List<Path> PROC_TCP = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    interface Host {
        IpSnapshot snapshot();

        Tunables tunables();

        void broadcast(WireMessage m);
    }

    private final ScheduledExecutorService core;
    private final Host host;
    private final Path helper;
    private final TickleTable table;
    private final ExecutorService worker = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "jctdb-tickles");
        t.setDaemon(true);
        return t;
    });
    private long scanMs; // the tick's period, set by start()
    private GridTimer timer; // set by start()
    /** The grid point (index) of the last full update, and of the last tick: see {@link #fullUpdate}. */
    private long lastFullUpdate = Long.MIN_VALUE / 4;

    private long lastTick = Long.MIN_VALUE / 4;
    /** The tick is not armed: nothing was hosted at its last run. */
    private boolean asleep;

    private String lastScanError = "";

    Tickles(int me, ScheduledExecutorService core, Host host) {
        this.core = core;
        this.host = host;
        this.helper = Installation.current().helper("jctdb_tcp");
        this.table = new TickleTable(me);
    }

    /**
     * Ticks every JctdbTickleScanMs (1 s when 0) while this node hosts an address. A tick with nothing
     * hosted observes and sends nothing, so the tick then sleeps until {@link #hostedChanged} says an
     * address is hosted; the full updates keep their phase across the sleep ({@link #fullUpdate}).
     */
    void start() {
        long configured = host.tunables().get("JctdbTickleScanMs");
        scanMs = configured > 0 ? configured : 1000;
        timer = GridTimer.on(core, scanMs, this::tick);
        timer.armSoon();
    }

    /** The addresses this node hosts may have changed (core thread): a tick is due if it hosts any. */
    void hostedChanged(IpSnapshot s) {
        if (timer != null && !s.hosted().isEmpty()) {
            timer.armSoon(); // the next point: where a tick every scan period would have found it
        }
    }

    // ---- core thread ----

    private void tick() {
        boolean idle = false;
        try {
            Set<String> hosted = hosted();
            idle = hosted.isEmpty();
            // Nothing hosted, nothing to observe (observe() would change nothing): reading the
            // kernel's whole TCP table every second was most of an idle node's CPU.
            if (!hosted.isEmpty() && host.tunables().get("JctdbTickleScanMs") > 0) {
                established().ifPresent(est -> table.observe(hosted, est));
            }
            long point = Periodic.pointIndex(System.nanoTime(), scanMs);
            long step = fullUpdateStep(host.tunables().get("TickleUpdateInterval"), scanMs);
            long full = fullUpdate(lastFullUpdate, lastTick, point, step, asleep);
            boolean everything = full == point;
            lastFullUpdate = full;
            lastTick = point;
            for (TickleList l : table.updates(hosted, everything)) {
                host.broadcast(new WireMessage.Tickles(l));
            }
        } catch (RuntimeException e) {
            log.error("tickle update failed", e);
        } finally {
            asleep = idle; // a failed tick keeps ticking, as before
            if (!asleep) {
                timer.armSoon();
            }
        }
    }

    /** Ticks from one full update to the next: TickleUpdateInterval seconds, in whole scan periods. */
    static long fullUpdateStep(long intervalSeconds, long scanMs) {
        return Math.max(1, (Math.max(0, intervalSeconds) * 1000 + scanMs - 1) / scanMs);
    }

    /**
     * The grid point of the last full update (all lists sent, CTDB's TickleUpdateInterval) as of the
     * tick at {@code point}: {@code point} itself when this tick sends everything. A tick every scan
     * period sends everything when {@code step} points passed since the last; one that ran late does so
     * at once. After a sleep (nothing hosted, so a tick would have sent nothing) the ticks slept through
     * are accounted as if they had run: the full updates keep their phase.
     *
     * @param last     the point of the last full update
     * @param lastTick the point of the last tick
     * @param asleep   no tick was armed since {@code lastTick}
     */
    static long fullUpdate(long last, long lastTick, long point, long step, boolean asleep) {
        if (point - last < step) {
            return last;
        }
        if (!asleep || lastTick >= point - 1) {
            return point; // due now (or overdue: a late tick)
        }
        // Slept from lastTick: the ticks at lastTick + 1 .. point - 1 would have sent everything at
        // last + step, last + 2 step, ... (the first of them after lastTick, as lastTick's own did not).
        long first = Math.max(last + step, lastTick + 1);
        return first > point ? last : first + (point - first) / step * step;
    }

    /** A peer's list (any thread). */
    void peerList(int from, TickleList l) {
        core.execute(() -> {
            try {
                if (l.from() != from) {
                    throw new IllegalArgumentException("it names node " + l.from());
                }
                if (!isPublic(l.ip())) {
                    throw new IllegalArgumentException(l.ip() + " is no public address");
                }
                table.fromPeer(l, hosted().contains(l.ip()));
            } catch (IllegalArgumentException e) {
                log.warn("dropping a tickle list from node {}: {}", from, e.getMessage());
            }
        });
    }

    /** takeip of {@code a} succeeded (core thread): tickle the connections its last host had. */
    void taken(HostedAddress a) {
        List<TickleConnection> conns = table.takeover(a.ip());
        if (conns.isEmpty() || host.tunables().get("JctdbTickleAcks") == 0) {
            return;
        }
        List<String> lines = TicklePlan.tickles(conns);
        log.info("sending tickle ACKs for {} connections to {}", lines.size(), a.ip());
        List<String> argv = List.of(helper.toString(), "tickle", String.valueOf(ROUNDS), String.valueOf(INTERVAL_MS));
        CompletableFuture.supplyAsync(
                        () -> HelperRun.run(argv, String.join("\n", lines) + "\n", ROUNDS * INTERVAL_MS + 2000), worker)
                .thenAccept(failure -> {
                    if (!failure.isEmpty()) {
                        log.warn("tickle ACKs for {} failed: {}", a.ip(), failure);
                    }
                });
    }

    /**
     * Just before releaseip of {@code a} (core thread): resets the established connections to it
     * as the kernel shows them now; completes when done or after {@link #KILL_TIMEOUT_MS}.
     */
    CompletableFuture<Void> releasing(HostedAddress a) {
        List<String> lines =
                established().map(est -> TicklePlan.releaseKills(a.ip(), est)).orElse(List.of());
        if (lines.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> argv = List.of(helper.toString(), "kill", a.iface(), String.valueOf(KILL_TIMEOUT_MS));
        return CompletableFuture.supplyAsync(
                        () -> HelperRun.run(argv, String.join("\n", lines) + "\n", KILL_TIMEOUT_MS + 1000), worker)
                .thenAccept(failure -> {
                    if (failure.isEmpty()) {
                        log.info("reset {} connection ends to {} before releasing it", lines.size(), a.ip());
                    } else {
                        log.warn("resetting connections to {}: {}", a.ip(), failure);
                    }
                });
    }

    // ---- TickleControl: commands, any thread ----

    @Override
    public CompletableFuture<List<TickleConnection>> list(String ip, int port) {
        return CompletableFuture.supplyAsync(() -> isPublic(ip) ? table.list(ip, port) : null, core);
    }

    @Override
    public CompletableFuture<List<TickleConnection>> add(List<TickleConnection> conns) {
        return CompletableFuture.supplyAsync(() -> apply(conns, true), core);
    }

    @Override
    public CompletableFuture<List<TickleConnection>> remove(List<TickleConnection> conns) {
        return CompletableFuture.supplyAsync(() -> apply(conns, false), core);
    }

    private List<TickleConnection> apply(List<TickleConnection> conns, boolean add) {
        List<TickleConnection> refused = new ArrayList<>();
        for (TickleConnection c : conns) {
            if (!isPublic(c.dst().ip())) {
                refused.add(c);
            } else if (add) {
                table.add(c);
            } else {
                table.remove(c);
            }
        }
        return refused;
    }

    // ---- helpers ----

    private Set<String> hosted() {
        Set<String> out = new HashSet<>();
        for (HostedAddress a : host.snapshot().hosted()) {
            out.add(a.ip());
        }
        return out;
    }

    private boolean isPublic(String ip) {
        IpSnapshot s = host.snapshot();
        if (s.assignment().containsKey(ip)) {
            return true;
        }
        for (IpMessage.Listed l : s.listed()) {
            if (l.ip().equals(ip)) {
                return true;
            }
        }
        return false;
    }

    /** The kernel's established TCP connections in this network namespace; empty if unreadable. */
    private Optional<List<TickleConnection>> established() {
        List<TickleConnection> out = new ArrayList<>();
        try {
            for (Path p : PROC_TCP) {
                try {
                    out.addAll(ProcNetTcp.established(p.toString(), Files.readString(p)));
                } catch (NoSuchFileException e) {
                    // no IPv6 in this kernel
                }
            }
            lastScanError = "";
            return Optional.of(out);
        } catch (IOException | IllegalArgumentException e) {
            String why = e.getMessage();
            if (!why.equals(lastScanError)) {
                log.warn("cannot read the kernel's TCP connections: {}", why);
                lastScanError = why;
            }
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
