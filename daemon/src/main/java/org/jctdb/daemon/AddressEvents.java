package org.jctdb.daemon;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jctdb.common.Ticker;
import org.jctdb.config.Tunables;
import org.jctdb.event.Event;
import org.jctdb.event.EventEngine;
import org.jctdb.event.EventPolicy;
import org.jctdb.event.EventRequest;
import org.jctdb.ip.FailoverTiming;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.HostingNode;
import org.jctdb.ip.IpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's address events (releaseip, takeip, updateip, ipreallocated) one job at a
 * time on the core thread, keeping {@link HostingNode} and the {@link AddressGuard} in step
 * with what the scripts did. A job's {@code done} gets "" or what failed.
 */
final class AddressEvents {
    private static final Logger log = LoggerFactory.getLogger("jctdb.ip");

    /** Told after each address change and each finished job. */
    interface Listener {
        void changed();

        /** Announces an address just configured here (gratuitous ARP). */
        default void taken(HostedAddress a) {}

        /** An address is about to be released here (CTDB clients are told first). */
        default CompletableFuture<Void> releasing(HostedAddress a) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private final HostingNode node;
    private final Executor core;
    private final Ticker ticker;
    private final FailoverTiming timing;
    private final Supplier<Optional<EventEngine>> events;
    private final Supplier<Tunables> tunables;
    private final Set<String> downIfaces;
    private final Supplier<Boolean> stopping;
    private final Listener listener;
    private final LongSupplier leaderSeen;
    private final ArrayDeque<Runnable> jobs = new ArrayDeque<>();
    private boolean jobRunning;
    private AddressGuard guard;

    AddressEvents(
            HostingNode node,
            Executor core,
            Ticker ticker,
            FailoverTiming timing,
            Supplier<Optional<EventEngine>> events,
            Supplier<Tunables> tunables,
            Set<String> downIfaces,
            Supplier<Boolean> stopping,
            LongSupplier leaderSeen,
            Listener listener) {
        this.node = node;
        this.core = core;
        this.ticker = ticker;
        this.timing = timing;
        this.events = events;
        this.tunables = tunables;
        this.downIfaces = downIfaces;
        this.stopping = stopping;
        this.listener = listener;
        this.leaderSeen = leaderSeen;
    }

    void guard(AddressGuard g) {
        this.guard = g;
    }

    Optional<AddressGuard> guard() {
        return Optional.ofNullable(guard);
    }

    // ---- the job queue ----

    private void enqueue(Runnable job) {
        jobs.add(job);
        if (!jobRunning) {
            nextJob();
        }
    }

    private void nextJob() {
        Runnable j = jobs.poll();
        jobRunning = j != null;
        if (j != null) {
            j.run();
        }
    }

    private void jobDone() {
        listener.changed();
        nextJob();
    }

    // ---- releaseip ----

    void release(List<HostedAddress> list, Consumer<String> done) {
        enqueue(() -> releaseNext(new ArrayDeque<>(list), new ArrayList<>(), done));
    }

    private void releaseNext(ArrayDeque<HostedAddress> todo, List<String> failures, Consumer<String> done) {
        HostedAddress a = todo.poll();
        if (a == null) {
            done.accept(String.join("; ", failures));
            jobDone();
            return;
        }
        Optional<HostedAddress> mine = node.hostedAddress(a.ip());
        if (mine.isEmpty()) {
            releaseNext(todo, failures, done); // not here: nothing to do
            return;
        }
        HostedAddress h = mine.get();
        // The listener resets the address's connections first (bounded); then releaseip.
        listener.releasing(h).whenComplete((x, e) -> core.execute(() -> releaseScript(h, todo, failures, done)));
    }

    private void releaseScript(
            HostedAddress h, ArrayDeque<HostedAddress> todo, List<String> failures, Consumer<String> done) {
        run(Event.RELEASEIP, List.of(h.iface(), h.ip(), String.valueOf(h.maskBits())))
                .thenAccept(ok -> core.execute(() -> {
                    if (!ok) {
                        failures.add("releaseip " + h.ip() + " failed");
                    }
                    // Whatever the script did, the address must go: delete it directly too, and stop refreshing it.
                    if (guard != null) {
                        guard.delete(h);
                    }
                    node.released(h.ip());
                    hostedChanged();
                    log.info("released {} from {}", h.withMask(), h.iface());
                    releaseNext(todo, failures, done);
                }));
    }

    // ---- updateip, then takeip (one TAKE step of a run) ----

    void take(IpMessage.Take t, Consumer<String> done) {
        enqueue(() ->
                moveNext(t, new ArrayDeque<>(t.moves()), new ArrayDeque<>(t.addresses()), new ArrayList<>(), done));
    }

    private void moveNext(
            IpMessage.Take t,
            ArrayDeque<IpMessage.Move> moves,
            ArrayDeque<IpMessage.Listed> takes,
            List<String> failures,
            Consumer<String> done) {
        IpMessage.Move m = moves.poll();
        if (m == null) {
            takeNext(t, takes, failures, done);
            return;
        }
        HostingNode.MoveAction action = stopping.get()
                ? new HostingNode.MoveAction.Refuse("cannot move " + m.ip() + ": shutting down")
                : node.superseded(t.generation(), leaderSeen.getAsLong())
                        ? new HostingNode.MoveAction.Refuse(
                                "cannot move " + m.ip() + ": generation " + t.generation() + " has been superseded")
                        : node.move(m, downIfaces, ticker.nowMillis());
        if (action instanceof HostingNode.MoveAction.Refuse r) {
            failures.add(r.why());
        }
        if (!(action instanceof HostingNode.MoveAction.Update u)) {
            moveNext(t, moves, takes, failures, done);
            return;
        }
        HostedAddress from = u.from();
        HostedAddress to = u.to();
        long epoch = node.epoch();
        // Hosted on the new interface from now; the guard deletes both should we die meanwhile.
        node.begin(to, epoch);
        hostedChanged(from);
        run(Event.UPDATEIP, List.of(from.iface(), to.iface(), to.ip(), String.valueOf(to.maskBits())))
                .thenAccept(ok -> core.execute(() -> {
                    if (guard != null) {
                        guard.delete(from); // never left on the old interface, whatever the script did
                    }
                    if (ok) {
                        node.taken(to, epoch);
                        log.info("moved {} from {} to {}", to.withMask(), from.iface(), to.iface());
                        refreshIfHolding(to);
                        listener.taken(to);
                    } else {
                        failures.add("updateip " + to.ip() + " " + from.iface() + " to " + to.iface() + " failed");
                        if (guard != null) {
                            guard.delete(to);
                        }
                        node.released(to.ip()); // not hosted anywhere: the next run takes it again
                    }
                    hostedChanged();
                    moveNext(t, moves, takes, failures, done);
                }));
    }

    private void takeNext(
            IpMessage.Take t, ArrayDeque<IpMessage.Listed> todo, List<String> failures, Consumer<String> done) {
        IpMessage.Listed l = todo.poll();
        if (l == null) {
            done.accept(String.join("; ", failures));
            jobDone();
            return;
        }
        long now = ticker.nowMillis();
        if (node.hosts(l.ip())) {
            takeNext(t, todo, failures, done);
            return;
        }
        Optional<String> refused = stopping.get()
                ? Optional.of("cannot take " + l.ip() + ": shutting down")
                : node.takeRefusal(l.ip(), t.generation(), t.run(), now, leaderSeen.getAsLong());
        if (refused.isPresent()) {
            failures.add(refused.get());
            takeNext(t, todo, failures, done);
            return;
        }
        Optional<String> iface = node.chooseInterface(l.ifaces(), downIfaces);
        if (iface.isEmpty()) {
            failures.add("no interface up for " + l.ip());
            takeNext(t, todo, failures, done);
            return;
        }
        HostedAddress h = new HostedAddress(l.ip(), l.maskBits(), iface.get());
        // Counted as hosted from before the script runs: the guard must know it if we die meanwhile.
        long epoch = node.epoch();
        node.begin(h, epoch);
        hostedChanged();
        run(Event.TAKEIP, List.of(h.iface(), h.ip(), String.valueOf(h.maskBits())))
                .thenAccept(ok -> core.execute(() -> {
                    if (ok) {
                        node.taken(h, epoch); // lapses at once if the hold lapsed while the script ran
                        log.info("took {} on {}", h.withMask(), h.iface());
                        refreshIfHolding(h);
                        listener.taken(h);
                    } else {
                        failures.add("takeip " + h.ip() + " failed");
                        if (guard != null) {
                            guard.delete(h);
                        }
                        node.released(h.ip());
                        hostedChanged();
                    }
                    takeNext(t, todo, failures, done);
                }));
    }

    private void refreshIfHolding(HostedAddress h) {
        if (guard != null) {
            guard.refresh(List.of(h), timing.leaseSeconds(), a -> node.refreshable(a, ticker.nowMillis()));
        }
    }

    // ---- ipreallocated ----

    void reallocated(Consumer<String> done) {
        enqueue(() -> run(Event.IPREALLOCATED, List.of())
                .thenAccept(ok -> core.execute(() -> {
                    done.accept(ok ? "" : "ipreallocated event failed");
                    jobDone();
                })));
    }

    // ---- helpers ----

    /** Tells the guard what to delete should this daemon die: what is hosted, plus {@code extra}. */
    private void hostedChanged(HostedAddress... extra) {
        if (guard != null) {
            List<HostedAddress> all = new ArrayList<>(node.hostedList());
            all.addAll(List.of(extra));
            guard.hostedChanged(all);
        }
        listener.changed();
    }

    private CompletableFuture<Boolean> run(Event event, List<String> args) {
        Optional<EventEngine> engine = events.get();
        if (engine.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        long timeout = tunables.get().millis("TakeoverTimeout");
        return engine.get()
                .run(new EventRequest(event, args, timeout, false, node.seenGeneration()))
                .thenApply(reply -> {
                    boolean ok = EventPolicy.succeeded(reply);
                    if (!ok) {
                        log.error("{} {} failed ({})", event.wireName(), args, EventLifecycle.describe(reply));
                    }
                    return ok;
                });
    }
}
