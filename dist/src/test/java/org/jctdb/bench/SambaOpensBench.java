package org.jctdb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctdb.client.SambaNodes;
import org.jctdb.lab.ClusterUnderTest;
import org.jctdb.lab.CtdbSystem;
import org.jctdb.lab.JctdbSystem;
import org.jctdb.lab.NetnsCluster;

/**
 * Opens per second of clustered Samba on two nodes in network namespaces (root), JCTDB beside CTDB
 * 4.17 on the same kind of network: each node runs Debian's smbd with clustering = yes on its daemon,
 * exporting one shared directory; from the client's namespace WORKERS python3-impacket processes, half
 * on each node, each with its own SMB2 session, open and close files in a loop (share_mode.py bench).
 * Two workloads: every worker on one file (each open on the other node than the last migrates the
 * file's locking.tdb record) and every worker on its own file (no migration after the first open).
 * Per run: opens per second of all workers together, median and p99 of one open+close; RUNS runs of
 * SECONDS each after a warm-up run, and the median of the runs' figures. Before the load, smbtorture's
 * smb2.deny.deny2 and smb2.lock with --unclist naming the share on both nodes, as in ClusteredSambaNetnsIT.
 *
 *     bench/run SambaOpensBench [seconds] [workers] [runs] [jctdb|ctdb|both]
 */
public final class SambaOpensBench {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": ([0-9.]+)");

    private SambaOpensBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String only = args.length > 3 ? args[3] : "both";
        NetnsCluster.unavailableReason().or(SambaNodes::missing).ifPresent(r -> {
            System.err.println("cannot run: " + r);
            System.exit(2);
        });
        List<String> rows = new ArrayList<>();
        List<String> torture = new ArrayList<>();
        for (String system : List.of("jctdb", "ctdb")) {
            if (only.equals("both") || only.equals(system)) {
                rows.addAll(measure(system, seconds, workers, runs, torture));
            }
        }
        System.out.println("\n| system | smbtorture test | exit | time ms | success | failure | skip | load |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---|");
        torture.forEach(System.out::println);
        System.out.printf(
                "%n%d workers (python3-impacket processes, half per node), %d runs of %d s, 2 nodes%n",
                workers, runs, seconds);
        System.out.println("| system | file | opens/s | open+close median µs | p99 µs | load before/after |");
        System.out.println("|---|---|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }

    private static List<String> measure(String system, int seconds, int workers, int runs, List<String> torture)
            throws Exception {
        List<String> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("jctdb-sambabench-");
        try (NetnsCluster c = NetnsCluster.create("jsb", dir, null, 2, 0, Map.of())) {
            ClusterUnderTest sys = system.equals("ctdb") ? new CtdbSystem(c) : new JctdbSystem(c);
            if (system.equals("ctdb")) {
                CtdbSystem.unavailableReason().ifPresent(r -> {
                    throw new IllegalStateException(r);
                });
            }
            sys.configure();
            for (int k = 0; k < c.nodes; k++) {
                sys.start(k);
            }
            awaitHealthy(sys, c.nodes);
            try (SambaNodes samba = new SambaNodes(c.dir.resolve("samba"), 445, c.clientNs())) {
                List<String> hosts = new ArrayList<>();
                for (int k = 0; k < c.nodes; k++) {
                    samba.startInNamespace(k, c.nodeNs(k), c.nodeDir(k).resolve("run/ctdbd.socket"));
                    hosts.add(c.nodeAddress(k));
                }
                List<String> uncs = hosts.stream().map(h -> "//" + h + "/share").toList();
                for (String test : List.of("smb2.deny.deny2", "smb2.lock")) {
                    long t0 = System.nanoTime();
                    var r = samba.smbtorture(uncs, test, 300);
                    torture.add(String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %d | %d | %d | %d | %s |",
                            label(system),
                            test,
                            r.exitCode(),
                            (System.nanoTime() - t0) / 1_000_000,
                            count(r.stdout(), "success: "),
                            count(r.stdout(), "failure: ") + count(r.stdout(), "error: "),
                            count(r.stdout(), "skip: "),
                            load()));
                }
                for (String file : List.of("one.txt", "own%d.txt")) {
                    System.err.printf("%s %s: warm-up%n", system, file);
                    samba.bench(hosts, file, Math.min(seconds, 3), workers);
                    List<Double> rate = new ArrayList<>();
                    List<Double> median = new ArrayList<>();
                    List<Double> p99 = new ArrayList<>();
                    String before = load();
                    for (int r = 0; r < runs; r++) {
                        String json = samba.bench(hosts, file, seconds, workers);
                        System.err.printf("%s %s run %d: %s (load %s)%n", system, file, r + 1, json, load());
                        rate.add(field(json, "opens_per_second"));
                        median.add(field(json, "median_us"));
                        p99.add(field(json, "p99_us"));
                    }
                    rows.add(String.format(
                            Locale.ROOT,
                            "| %s | %s | %.0f | %.0f | %.0f | %s / %s |",
                            label(system),
                            file.equals("one.txt") ? "one for all" : "one per worker",
                            middle(rate),
                            middle(median),
                            middle(p99),
                            before,
                            load()));
                }
            }
        }
        return rows;
    }

    private static String label(String system) {
        return system.equals("ctdb") ? "CTDB 4.17" : "JCTDB";
    }

    /** Lines of smbtorture's subunit output that start with {@code prefix}. */
    private static long count(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).count();
    }

    private static void awaitHealthy(ClusterUnderTest sys, int nodes) throws InterruptedException {
        long until = System.nanoTime() + 180_000_000_000L;
        while (true) {
            boolean ok = true;
            for (int k = 0; k < nodes && ok; k++) {
                ok = "OK".equals(sys.poll(k, sys.answerWithinMs()).status());
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException(sys.name() + " cluster not healthy within 180 s");
            }
            Thread.sleep(sys.pollIntervalMs());
        }
    }

    private static double field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new IllegalArgumentException("no " + name + " in the bench client's output: " + json);
    }

    private static double middle(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** The 1-minute load average. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
