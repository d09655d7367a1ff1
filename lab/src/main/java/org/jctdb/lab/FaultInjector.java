package org.jctdb.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Applies a {@link FaultSchedule} to a running lab: one thread per fault sleeps until its start,
 * applies it, sleeps until its end and undoes it. A fault that has started is always undone,
 * also when the campaign is stopped early. Every action is bounded by its command's deadline.
 */
final class FaultInjector implements AutoCloseable {
    private static final Duration CMD = Duration.ofSeconds(10);

    private final NetnsCluster cluster;
    private final ClusterFs fs;
    private final ClusterUnderTest system;
    /** The lock's etcd or ZooKeeper service, or null (fcntl lock). */
    private final LocalLockServer lockServer;

    private final Path lockInBacking;
    private final LongSupplier clock;
    private final IntSupplier leader;
    private final Consumer<FaultEvent> sink;
    private final Consumer<String> log;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    FaultInjector(
            NetnsCluster cluster,
            ClusterFs fs,
            ClusterUnderTest system,
            LocalLockServer lockServer,
            Path lockInBacking,
            LongSupplier clock,
            IntSupplier leader,
            Consumer<FaultEvent> sink,
            Consumer<String> log) {
        this.cluster = cluster;
        this.fs = fs;
        this.system = system;
        this.lockServer = lockServer;
        this.lockInBacking = lockInBacking;
        this.clock = clock;
        this.leader = leader;
        this.sink = sink;
        this.log = log;
    }

    void start(List<Fault> schedule) {
        for (Fault f : schedule) {
            Thread t = new Thread(() -> run(f), "lab-fault-" + f.id());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(Fault planned) {
        if (!sleepUntil(planned.startMs())) {
            return;
        }
        int l = planned.leader() ? leader.getAsInt() : -1;
        Fault f = l < 0
                ? planned
                : new Fault(planned.id(), planned.kind(), List.of(l), planned.startMs(), planned.endMs(), true);
        List<Long> paused = new ArrayList<>();
        String aim = !planned.leader() ? "" : l < 0 ? "no leader known, so the planned node: " : "the leader: ";
        String detail = aim + attempt(() -> apply(f, paused));
        sink.accept(new FaultEvent(clock.getAsLong(), f.id(), FaultEvent.START, f.kind(), f.nodes(), detail));
        sleepUntil(f.endMs());
        String healed = attempt(() -> undo(f, paused));
        sink.accept(new FaultEvent(clock.getAsLong(), f.id(), FaultEvent.END, f.kind(), f.nodes(), healed));
    }

    private interface Action {
        String run() throws IOException;
    }

    private String attempt(Action a) {
        try {
            return a.run();
        } catch (IOException | RuntimeException e) {
            log.accept("fault action failed: " + e.getMessage());
            return "failed: " + e.getMessage();
        }
    }

    /** False when stopped before {@code ms}. */
    private boolean sleepUntil(long ms) {
        long left = ms - clock.getAsLong();
        if (left <= 0) {
            return stop.getCount() > 0;
        }
        try {
            return !stop.await(left, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private String apply(Fault f, List<Long> paused) throws IOException {
        int k = f.nodes().isEmpty() ? -1 : f.nodes().get(0);
        switch (f.kind()) {
            case CRASH -> {
                long pid = pid(k);
                // Its children (event daemon, helpers, scripts) live on for a while, as after a real crash.
                ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> paused.add(d.pid())));
                Commands.run(CMD, "kill", "-KILL", Long.toString(pid)).requireOk();
                return "kill -9 of node " + k + "'s daemon (pid " + pid + ")";
            }
            case PAUSE -> {
                ProcessHandle h =
                        ProcessHandle.of(pid(k)).orElseThrow(() -> new IOException("node " + k + "'s daemon is gone"));
                paused.add(h.pid());
                h.descendants().forEach(d -> paused.add(d.pid()));
                signal("STOP", paused);
                return "SIGSTOP to node " + k + "'s daemon and its children (" + paused.size() + " processes)";
            }
            case LINKCUT -> {
                cluster.link(k, false);
                return "node " + k + "'s link to the bridge is down";
            }
            case PARTITION -> {
                partition(f.nodes(), true);
                return "nodes " + f.nodes() + " cannot reach the others (blackhole routes both ways)";
            }
            case FREEZE -> {
                fs.freeze(fsNode(k));
                return "cluster filesystem frozen for node " + k;
            }
            case FREEZEALL -> {
                fs.freezeAll();
                return "cluster filesystem frozen for every node (FUSE daemon stopped)";
            }
            case HUNGMONITOR -> {
                Files.writeString(ClusterUnderTest.hangFlag(cluster.nodeDir(k)), "lab\n");
                return "node " + k + "'s monitor event now blocks in 99.labhang";
            }
            case SPLIT -> {
                split(true);
                return "every node alone: no node reaches another (blackhole routes between every pair)";
            }
            case LOCKDELETE -> {
                // Through the backing directory: the lab never touches the FUSE mount itself.
                boolean existed = Files.deleteIfExists(lockInBacking);
                return existed ? "cluster lock file deleted" : "cluster lock file was already absent";
            }
            case LOCKPAUSE -> {
                int m = member(f);
                LocalLockServer.signal(server().pid(m), "STOP");
                return "SIGSTOP to " + memberName(m);
            }
            case LOCKKILL -> {
                int m = member(f);
                server().kill(m);
                return "kill -9 of " + memberName(m);
            }
            case LOCKPAUSEALL -> {
                for (int m = 0; m < server().members(); m++) {
                    LocalLockServer.signal(server().pid(m), "STOP");
                }
                return "SIGSTOP to every member of the lock service (" + server().members() + ")";
            }
        }
        throw new IllegalStateException("unhandled fault kind " + f.kind());
    }

    private LocalLockServer server() throws IOException {
        if (lockServer == null) {
            throw new IOException("no lock service in this lab (--cluster-lock fcntl)");
        }
        return lockServer;
    }

    /** The member a fault on the service hits: from the fault's number, so the schedule decides it. */
    private int member(Fault f) throws IOException {
        return f.id() % server().members();
    }

    private String memberName(int m) throws IOException {
        return server().kind().word + " member " + m + " of " + server().members() + " (pid " + server().pid(m) + ")";
    }

    private String undo(Fault f, List<Long> paused) throws IOException {
        int k = f.nodes().isEmpty() ? -1 : f.nodes().get(0);
        switch (f.kind()) {
            case CRASH -> {
                if (stop.getCount() == 0) {
                    return "node " + k + "'s daemon not restarted: the run is stopping";
                }
                // As a service manager restarting the unit does: what is left of the old instance goes first
                // (CTDB's old ctdb-eventd would make the new ctdbd exit at once).
                int killed = killLeftovers(paused);
                system.start(k);
                return "node " + k + "'s daemon restarted (pid "
                        + system.daemonPid(k).map(String::valueOf).orElse("?")
                        + (killed > 0 ? "; " + killed + " leftover processes of the old one killed" : "") + ")";
            }
            case PAUSE -> {
                // Children started just before the stop may have been missed: continue the whole tree.
                system.daemonPid(k)
                        .flatMap(ProcessHandle::of)
                        .ifPresent(h -> h.descendants().forEach(d -> paused.add(d.pid())));
                signal("CONT", paused);
                return "SIGCONT to node " + k + "'s daemon and its children";
            }
            case LINKCUT -> {
                cluster.link(k, true);
                return "node " + k + "'s link is up";
            }
            case PARTITION -> {
                partition(f.nodes(), false);
                return "partition healed";
            }
            case FREEZE -> {
                fs.thaw(fsNode(k));
                return "cluster filesystem thawed for node " + k;
            }
            case FREEZEALL -> {
                fs.thawAll();
                return "cluster filesystem thawed for every node";
            }
            case HUNGMONITOR -> {
                Files.deleteIfExists(ClusterUnderTest.hangFlag(cluster.nodeDir(k)));
                return "node " + k + "'s monitor script no longer blocks";
            }
            case SPLIT -> {
                split(false);
                return "split healed";
            }
            case LOCKDELETE -> {
                return "instantaneous";
            }
            case LOCKPAUSE -> {
                int m = member(f);
                LocalLockServer.signal(server().pid(m), "CONT");
                return "SIGCONT to " + memberName(m);
            }
            case LOCKKILL -> {
                int m = member(f);
                try {
                    boolean answers = server().restart(m);
                    return memberName(m) + " restarted" + (answers ? "" : ", not answering after 10 s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while restarting " + memberName(m));
                }
            }
            case LOCKPAUSEALL -> {
                for (int m = 0; m < server().members(); m++) {
                    LocalLockServer.signal(server().pid(m), "CONT");
                }
                return "SIGCONT to every member of the lock service";
            }
        }
        throw new IllegalStateException("unhandled fault kind " + f.kind());
    }

    /** Gives the old instance's processes a moment to exit by themselves, then SIGKILLs the rest. */
    private static int killLeftovers(List<Long> pids) throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until && pids.stream().anyMatch(FaultInjector::alive)) {
            Commands.parkBriefly();
        }
        List<Long> left = pids.stream().filter(FaultInjector::alive).toList();
        if (!left.isEmpty()) {
            signal("CONT", left);
            signal("KILL", left);
        }
        return left.size();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static String fsNode(int k) {
        return "node" + k;
    }

    private long pid(int k) throws IOException {
        return system.daemonPid(k).orElseThrow(() -> new IOException("node " + k + " has no running daemon"));
    }

    private void partition(List<Integer> minority, boolean on) throws IOException {
        List<int[]> cut = new ArrayList<>();
        for (int a : minority) {
            for (int b = 0; b < cluster.nodes; b++) {
                if (!minority.contains(b)) {
                    cut.add(new int[] {a, b});
                    cut.add(new int[] {b, a});
                }
            }
        }
        blackholes(cut, on);
    }

    /** Every node alone (1+1+1): routes between every ordered pair. */
    private void split(boolean on) throws IOException {
        List<int[]> cut = new ArrayList<>();
        for (int a = 0; a < cluster.nodes; a++) {
            for (int b = 0; b < cluster.nodes; b++) {
                if (a != b) {
                    cut.add(new int[] {a, b});
                }
            }
        }
        blackholes(cut, on);
    }

    /** A blackhole route in node {@code from}'s namespace to node {@code to}, for each pair; all are tried. */
    private void blackholes(List<int[]> fromTo, boolean on) throws IOException {
        IOException first = null;
        for (int[] p : fromTo) {
            try {
                cluster.blackhole(p[0], cluster.nodeAddress(p[1]), on);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void signal(String sig, List<Long> pids) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        pids.stream().distinct().forEach(p -> cmd.add(Long.toString(p)));
        // Some of them may have exited meanwhile: kill then exits 1, which is fine.
        Commands.run(CMD, cmd);
    }

    /** Stops the schedule; every started fault is undone before this returns (bounded). */
    @Override
    public void close() {
        stop.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
