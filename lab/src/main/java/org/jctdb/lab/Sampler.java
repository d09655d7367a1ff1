package org.jctdb.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes a {@link Sample} every {@code intervalMs} on its own thread. Nothing it does can block
 * on the cluster filesystem: node state comes from {@link NodePoller}s, addresses from an
 * {@link AddressWatch} (ip monitor in every namespace), locks from /proc/locks by device,
 * process states from /proc, reachability from the client's {@link ReachProbe}.
 */
final class Sampler implements AutoCloseable {
    private final List<NodePoller> pollers;
    private final boolean daemonReportsHung;
    private final ProcScan scan;
    private final AddressWatch watch;
    private final Map<String, Integer> nodeOfNs;
    private final ReachProbe probe;
    private final String lockDevice;
    private final List<String> publicIps;
    private volatile long t0 = System.nanoTime();
    private ScheduledExecutorService timer;

    Sampler(
            List<NodePoller> pollers,
            boolean daemonReportsHung,
            ProcScan scan,
            AddressWatch watch,
            Map<String, Integer> nodeOfNs,
            ReachProbe probe,
            String lockDevice,
            List<String> publicIps) {
        this.pollers = List.copyOf(pollers);
        this.daemonReportsHung = daemonReportsHung;
        this.scan = scan;
        this.watch = watch;
        this.nodeOfNs = Map.copyOf(nodeOfNs);
        this.probe = probe;
        this.lockDevice = lockDevice;
        this.publicIps = List.copyOf(publicIps);
    }

    /** From now on sample times count from this instant (the campaign's start). */
    void restartClock() {
        t0 = System.nanoTime();
    }

    long now() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    Sample take() {
        long t = now();
        Map<Integer, ProcScan.Counts> counts = scan.scan();
        List<NodeSample> nodes = new ArrayList<>();
        for (int k = 0; k < pollers.size(); k++) {
            ClusterUnderTest.Poll p = pollers.get(k).current();
            ProcScan.Counts c = counts.getOrDefault(k, new ProcScan.Counts(0, 0));
            nodes.add(new NodeSample(
                    k,
                    p.answered(),
                    p.status(),
                    p.leader(),
                    c.dstate(),
                    daemonReportsHung ? p.hungProbes() : c.fuseBlocked(),
                    p.ipView()));
        }
        Map<String, List<Integer>> addrs = new LinkedHashMap<>();
        Map<String, Set<String>> where = watch.now();
        for (String ip : publicIps) {
            List<Integer> on = new ArrayList<>();
            for (String ns : where.getOrDefault(ip, Set.of())) {
                Integer pnn = nodeOfNs.get(ns);
                if (pnn != null) {
                    on.add(pnn);
                }
            }
            on.sort(null);
            addrs.put(ip, on);
        }
        ReachProbe.Round r = probe.latest();
        Map<String, Boolean> client = new LinkedHashMap<>();
        for (String ip : publicIps) {
            client.put(ip, r != null && Boolean.TRUE.equals(r.answered().get(ip)));
        }
        return new Sample(t, nodes, addrs, ProcLocks.holders(lockDevice), client);
    }

    void start(long intervalMs, Consumer<Sample> sink) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "lab-sampler");
            th.setDaemon(true);
            return th;
        });
        timer.scheduleAtFixedRate(
                () -> {
                    try {
                        sink.accept(take());
                    } catch (RuntimeException e) {
                        System.err.println("lab: sample failed: " + e);
                    }
                },
                0,
                intervalMs,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
