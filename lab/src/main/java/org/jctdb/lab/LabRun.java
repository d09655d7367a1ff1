package org.jctdb.lab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctdb.lab.report.LeaderVote;

/**
 * One campaign: builds the lab (FUSE cluster filesystem, namespaces, nodes of the system under
 * test), waits until the cluster is healthy, runs the fault schedule while sampling and
 * checking, and takes everything down again, also on SIGINT/SIGTERM (shutdown hook).
 * Everything it creates is named with {@link #PREFIX} so `jctdb lab clean` finds leftovers.
 */
public final class LabRun {
    public static final String PREFIX = "jlab";
    /** Exit status when the campaign ran and found violations. */
    public static final int EXIT_VIOLATIONS = 3;
    /** Where, in the lab's temporary directory, its etcd or ZooKeeper server lives (LabClean stops leftovers). */
    static final String LOCK_SERVER_DIR = "lockserver";

    private final LabOptions o;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicInteger violations = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<DbEvent> dbEvents = new ArrayList<>();
    private final List<FaultEvent> faultEvents = new ArrayList<>();
    /** The leader most answering nodes named in the last sample, -1 when none: where leader faults aim. */
    private volatile int sampledLeader = -1;

    private LabFiles files;
    private NetnsCluster cluster;
    private InvariantChecker checker;
    private Path base;
    private String lockSpec;

    public LabRun(LabOptions options) {
        this.o = options;
    }

    /** Runs the campaign; 0 when no invariant was violated, {@link #EXIT_VIOLATIONS} otherwise. */
    public int run() throws IOException {
        Thread hook = new Thread(this::onSignal, "lab-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return campaign();
        } finally {
            tearDown();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and waits for `finished`
            }
        }
    }

    /** Whether a signal stopped the campaign before its end. */
    public boolean wasInterrupted() {
        return interrupted.get();
    }

    private void onSignal() {
        interrupted.set(true);
        stop.countDown();
        try {
            finished.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int campaign() throws IOException {
        if (Files.exists(o.out().resolve("run.json"))) {
            throw new IOException(o.out() + " already holds a run (run.json); choose another --out");
        }
        base = Files.createTempDirectory(
                Path.of("/tmp"), PREFIX + "-" + ProcessHandle.current().pid() + "-");
        Path backing = Files.createDirectories(base.resolve("backing"));
        Path mount = Files.createDirectories(base.resolve("cfs"));
        Files.createDirectories(backing.resolve(".ctdb"));
        ClusterFs fs = track(ClusterFs.mount(backing, mount));
        cluster = track(NetnsCluster.create(
                PREFIX,
                base.resolve("cluster"),
                mount.resolve(".ctdb").resolve("cluster.lock"),
                o.nodes(),
                o.ips(),
                Map.of()));
        files = new LabFiles(o.out(), cluster.publicIps());
        long setupStart = System.nanoTime();
        LocalLockServer lockServer = o.leased() ? lockServer() : null;
        files.event(
                0,
                "lab " + base + ": " + o.nodes() + " nodes, public addresses " + cluster.publicIps() + ", "
                        + (lockServer == null
                                ? "cluster lock " + cluster.lockFile()
                                : "cluster lock = " + lockSpec + " (" + o.clusterLock() + " pids "
                                        + lockServerPids(lockServer) + "), cluster filesystem")
                        + " on jctdb-clusterfs (pid " + fs.daemonPid() + ")");
        ClusterUnderTest system = o.system().equals("ctdb") ? new CtdbSystem(cluster) : new JctdbSystem(cluster);
        system.configure();
        Map<Long, Integer> nodeByNetns = new HashMap<>();
        Map<String, Integer> nodeOfNs = new HashMap<>();
        for (int k = 0; k < o.nodes(); k++) {
            fs.registerNodeNetns(FaultInjector.fsNode(k), cluster.nodeNs(k));
            nodeByNetns.put(ProcScan.netnsInode(cluster.nodeNs(k)), k);
            nodeOfNs.put(cluster.nodeNs(k), k);
        }
        AddressWatch watch = track(AddressWatch.start(cluster.nodeNamespaces(), Set.copyOf(cluster.publicIps())));
        ReachProbe probe = track(ReachProbe.start(cluster.clientNs(), cluster.publicIps()));
        for (int k = 0; k < o.nodes(); k++) {
            system.start(k);
        }
        List<NodePoller> pollers = new ArrayList<>();
        for (int k = 0; k < o.nodes(); k++) {
            pollers.add(track(new NodePoller(system, k).start()));
        }
        String device = ProcLocks.device(mount).orElseThrow(() -> new IOException("no mount at " + mount));
        checker = new InvariantChecker(o.healMs(), cluster.publicIps());
        Sampler sampler = track(new Sampler(
                pollers,
                system.reportsHungProbes(),
                new ProcScan(nodeByNetns, system.notProbes()),
                watch,
                nodeOfNs,
                probe,
                device,
                cluster.publicIps()));
        boolean settled = awaitHealthy(sampler, setupStart);
        sampler.restartClock();
        List<Fault> schedule = FaultSchedule.generate(o.scheduleParams());
        ObjectNode run = runJson(cluster.publicIps(), schedule);
        run.put("settled", settled);
        files.writeRun(run);
        files.event(
                0,
                "campaign starts: " + schedule.size() + " faults planned over " + o.minutes() + " min (seed " + o.seed()
                        + ")");
        Sampler s = sampler;
        s.start(LabOptions.SAMPLE_INTERVAL_MS, this::onSample);
        FaultInjector injector = track(new FaultInjector(
                cluster,
                fs,
                system,
                lockServer,
                backing.resolve(".ctdb").resolve("cluster.lock"),
                s::now,
                () -> sampledLeader,
                this::onFault,
                text -> files.event(s.now(), text)));
        DbWorkload workload = o.dbWorkload()
                ? track(new DbWorkload(
                                o.nodes(), k -> cluster.nodeDir(k).resolve("run/ctdbd.socket"), s::now, this::onDb)
                        .start())
                : null;
        injector.start(schedule);
        try {
            stop.await(o.campaignMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted.set(true);
        }
        if (interrupted.get()) {
            files.event(s.now(), "interrupted: healing the faults in progress and stopping");
        }
        long end = s.now();
        if (workload != null) {
            workload.close();
        }
        injector.close();
        s.close();
        synchronized (checker) {
            checker.finish(s.now()).forEach(this::report);
        }
        if (workload != null) {
            synchronized (dbEvents) {
                List<FaultEvent> faultsSeen;
                synchronized (faultEvents) {
                    faultsSeen = List.copyOf(faultEvents);
                }
                DbChecker.check(dbEvents, faultsSeen, o.nodes(), o.healMs(), end)
                        .forEach(this::report);
                run.set("db", dbCounts());
            }
        }
        run.put("endedAt", Instant.now().toString());
        run.put("interrupted", interrupted.get());
        run.put("violations", violations.get());
        files.writeRun(run);
        files.event(s.now(), "campaign ended: " + violations.get() + " invariant violations; run directory " + o.out());
        return violations.get() == 0 ? 0 : EXIT_VIOLATIONS;
    }

    /**
     * Starts the lab's etcd or ZooKeeper on the host, on an address of the nodes' bridge, and points
     * every node's {@code cluster lock} at it (lease {@link LocalClusterCommand.Up#LOCAL_LEASE_SECONDS}).
     */
    private LocalLockServer lockServer() throws IOException {
        LocalLockServer.Kind kind = LocalLockServer.Kind.of(o.clusterLock()).orElseThrow();
        String host = cluster.attachHost();
        Path dir = base.resolve(LOCK_SERVER_DIR);
        track(() -> LocalLockServer.stop(dir));
        LocalLockServer s;
        try {
            s = LocalLockServer.start(kind, dir, host, o.lockMembers(), 60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the " + kind.word + " server started");
        }
        lockSpec = s.clusterLock(LocalClusterCommand.Up.LOCAL_LEASE_SECONDS);
        cluster.clusterLock(lockSpec);
        return s;
    }

    private static String lockServerPids(LocalLockServer s) {
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < s.members(); i++) {
            pids.add(String.valueOf(s.pid(i)));
        }
        return String.join(",", pids);
    }

    private <T extends AutoCloseable> T track(T resource) {
        synchronized (open) {
            open.add(resource);
        }
        return resource;
    }

    /**
     * Waits until the cluster has been healthy for {@link LabOptions#STABLE_MS}; false if it was not
     * within {@link LabOptions#SETTLE_MS}: the campaign then runs anyway (a system that cannot settle
     * is a finding, recorded as run.json "settled": false), unless no node ever answered.
     */
    private boolean awaitHealthy(Sampler sampler, long setupStart) throws IOException {
        long until = setupStart + TimeUnit.MILLISECONDS.toNanos(LabOptions.SETTLE_MS);
        Sample last = null;
        long healthySince = -1;
        boolean answered = false;
        while (System.nanoTime() < until && stop.getCount() > 0) {
            last = sampler.take();
            answered |= last.nodes().stream().anyMatch(NodeSample::reachable);
            long now = System.nanoTime();
            healthySince = checker.healthy(last) ? (healthySince < 0 ? now : healthySince) : -1;
            if (healthySince >= 0 && now - healthySince >= TimeUnit.MILLISECONDS.toNanos(LabOptions.STABLE_MS)) {
                files.event(
                        0,
                        o.system() + " cluster healthy for " + LabOptions.STABLE_MS / 1000 + " s, "
                                + (now - setupStart) / 1_000_000 + " ms after the lab was built");
                return true;
            }
            try {
                stop.await(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (!answered || stop.getCount() == 0) {
            throw new IOException("the " + o.system() + " cluster never answered within " + LabOptions.SETTLE_MS / 1000
                    + " s (or the run was interrupted); last sample: " + last);
        }
        files.event(
                0,
                "WARNING: the " + o.system() + " cluster was not healthy for " + LabOptions.STABLE_MS / 1000
                        + " s in a row within " + LabOptions.SETTLE_MS / 1000
                        + " s; the campaign starts anyway (run.json settled=false)");
        return false;
    }

    private void onSample(Sample s) {
        files.sample(s);
        sampledLeader = leaderOf(s);
        synchronized (checker) {
            checker.onSample(s).forEach(this::report);
        }
    }

    /** The leader most answering nodes name (ties: the lowest pnn), or -1. */
    static int leaderOf(Sample s) {
        return LeaderVote.of(s.nodes(), NodeSample::reachable, NodeSample::leader);
    }

    private void onDb(DbEvent e) {
        files.db(e);
        synchronized (dbEvents) {
            dbEvents.add(e);
        }
    }

    /** run.json "db": per operation, how many succeeded and failed. */
    private ObjectNode dbCounts() {
        ObjectNode db = LabFiles.JSON.createObjectNode();
        for (String op : List.of(DbEvent.PWRITE, DbEvent.PREAD, DbEvent.VFETCH)) {
            db.putObject(op)
                    .put(
                            "ok",
                            dbEvents.stream()
                                    .filter(e -> e.op().equals(op) && e.ok())
                                    .count())
                    .put(
                            "failed",
                            dbEvents.stream()
                                    .filter(e -> e.op().equals(op) && !e.ok())
                                    .count());
        }
        db.put("staleReads", DbChecker.staleReads(dbEvents));
        return db;
    }

    private void onFault(FaultEvent e) {
        synchronized (faultEvents) {
            faultEvents.add(e);
        }
        files.fault(e);
        files.event(
                e.t(),
                "fault " + e.id() + " " + e.kind().wire() + " " + e.phase() + " " + e.nodes() + ": " + e.detail());
        synchronized (checker) {
            checker.onFault(e).forEach(this::report);
        }
    }

    private void report(Violation v) {
        violations.incrementAndGet();
        files.violation(v);
        files.event(v.t(), "VIOLATION " + v.invariant() + ": " + v.detail());
    }

    private ObjectNode runJson(List<String> publicIps, List<Fault> schedule) {
        ObjectNode run = LabFiles.JSON.createObjectNode();
        run.put("system", o.system());
        run.put("seed", o.seed());
        run.put("minutes", o.minutes());
        run.put("nodes", o.nodes());
        ArrayNode ips = run.putArray("publicIps");
        publicIps.forEach(ips::add);
        run.put("command", o.commandLine());
        run.put("startedAt", Instant.now().toString());
        run.putNull("endedAt");
        run.put("sampleIntervalMs", LabOptions.SAMPLE_INTERVAL_MS);
        run.putObject("bounds").put("healMs", o.healMs());
        run.put("interrupted", false);
        run.put("maxConcurrent", o.maxConcurrent());
        run.put("profile", o.profile().wire());
        run.put("leaderShare", o.leaderShare());
        run.put("dbWorkload", o.dbWorkload());
        run.put("clusterLock", o.leased() ? lockSpec : cluster.lockFile().toString());
        if (o.leased()) {
            run.put("lockMembers", o.lockMembers());
        }
        ArrayNode kinds = run.putArray("faultKinds");
        o.kinds().forEach(k -> kinds.add(k.wire()));
        run.put("plannedFaults", schedule.size());
        return run;
    }

    /** Copies each node's daemon log into the run directory (logs/node-K.log) before the node directories go. */
    private void keepLogs() {
        for (int k = 0; k < o.nodes(); k++) {
            for (String name : List.of("log.jctdb", "log.ctdb")) {
                Path log = cluster.nodeDir(k).resolve(name);
                if (Files.isRegularFile(log)) {
                    try {
                        Path logs = Files.createDirectories(o.out().resolve("logs"));
                        Files.copy(log, logs.resolve("node-" + k + ".log"), StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        System.err.println("lab: could not keep " + log + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** Closes everything in reverse order of creation, then removes the lab's temporary directory. */
    private void tearDown() {
        List<AutoCloseable> all;
        synchronized (open) {
            all = new ArrayList<>(open);
            open.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i) == cluster) {
                keepLogs();
            }
            try {
                all.get(i).close();
            } catch (Exception e) {
                System.err.println("lab: cleanup of " + all.get(i).getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (files != null) {
            files.close();
        }
        if (base != null) {
            LabClean.removeDirectory(base);
        }
    }
}
