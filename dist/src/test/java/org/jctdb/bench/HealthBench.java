package org.jctdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jctdb.lab.ClusterFs;
import org.jctdb.lab.Commands;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.ProcTree;

/**
 * Freeze-to-UNHEALTHY and thaw-to-HEALTHY for a node whose cluster filesystem hangs, JCTDB
 * against CTDB 4.17 on the same FUSE fixture: the cluster lock on one clusterfs mount, node 1
 * frozen inside the FUSE daemon (its requests block in the kernel, as on a hung cluster
 * filesystem), the node's state read from another node's `-X status`. Also the most processes
 * of the frozen node stuck in state D at once.
 *
 *   bench/run HealthBench [jctdbRuns=10] [ctdbRuns=3] [ctdbLimitSeconds=90] [holdSeconds=15]
 */
public final class HealthBench {
    /** One freeze: -1 for a time that never came within the limit. */
    record Run(double toUnhealthy, double toHealthy, int mostStuck) {}

    /** How a system is observed and frozen; node 1 is the victim, node 0 the observer. */
    interface Subject {
        boolean unhealthy(int observer, int of) throws Exception;

        long pid(int node) throws Exception;

        void freeze(int node) throws Exception;

        void thaw(int node) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int ctdbRuns = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int ctdbLimit = args.length > 2 ? Integer.parseInt(args[2]) : 90;
        int hold = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        List<Run> jctdb = new ArrayList<>();
        try (LocalClusterHarness c = runs == 0 ? null : LocalClusterHarness.up(3, List.of("--cluster-fs"))) {
            Subject s = new Subject() {
                @Override
                public boolean unhealthy(int observer, int of) {
                    return "1".equals(c.flag(observer, of, "Unhealthy"));
                }

                @Override
                public long pid(int node) throws IOException {
                    return c.pid(node);
                }

                @Override
                public void freeze(int node) throws Exception {
                    c.jctdb(0, "local-cluster", "freeze", String.valueOf(node), "--dir", c.dir.toString());
                }

                @Override
                public void thaw(int node) throws Exception {
                    c.jctdb(0, "local-cluster", "thaw", String.valueOf(node), "--dir", c.dir.toString());
                }
            };
            for (int i = 0; i < runs; i++) {
                jctdb.add(freezeOnce(s, 60, hold));
                System.err.println("jctdb run " + (i + 1) + ": " + jctdb.get(i));
            }
        }
        List<Run> ctdb = ctdbRuns > 0 ? ctdb(ctdbRuns, ctdbLimit, hold) : List.of();
        System.out.println("| system | runs | freeze to UNHEALTHY median / max | thaw to HEALTHY median / max "
                + "| most processes of the node blocked on the filesystem at once |");
        System.out.println("|---|---:|---|---|---:|");
        if (!jctdb.isEmpty()) {
            System.out.println(row("JCTDB", jctdb, 60));
        }
        if (!ctdb.isEmpty()) {
            System.out.println(row("CTDB 4.17", ctdb, ctdbLimit));
        }
    }

    private static List<Run> ctdb(int runs, int limit, int hold) throws Exception {
        Path dir = Files.createTempDirectory("jctdb-bench-ctdb-");
        Path script = LocalClusterHarness.home().resolve("bench/ctdb/local-ctdb");
        List<Run> out = new ArrayList<>();
        try (ClusterFs fs = ClusterFs.mount(
                Files.createDirectories(dir.resolve("cfs-backing")), Files.createDirectories(dir.resolve("cfs")))) {
            Commands.Result up = Commands.run(
                    java.time.Duration.ofSeconds(150),
                    List.of(
                            script.toString(),
                            "up",
                            "--dir",
                            dir.resolve("ctdb").toString(),
                            "--stock-scripts",
                            "--shared",
                            dir.resolve("cfs/.ctdb").toString(),
                            "--base-address",
                            "127.0.51.1",
                            "--timeout",
                            "120"));
            if (up.exitCode() != 0) {
                throw new IllegalStateException("local-ctdb up failed: " + up.output());
            }
            try {
                Subject s = new Subject() {
                    @Override
                    public boolean unhealthy(int observer, int of) throws IOException {
                        Commands.Result r = Commands.run(
                                java.time.Duration.ofSeconds(10),
                                List.of(
                                        script.toString(),
                                        "ctdb",
                                        "--dir",
                                        dir.resolve("ctdb").toString(),
                                        String.valueOf(observer),
                                        "-X",
                                        "nodestatus",
                                        "all"));
                        List<String> lines = r.output().lines().toList();
                        int col = List.of(lines.get(0).split("\\|", -1)).indexOf("Unhealthy");
                        return lines.stream()
                                .anyMatch(l -> l.startsWith("|" + of + "|") && l.split("\\|", -1)[col].equals("1"));
                    }

                    @Override
                    public long pid(int node) throws IOException {
                        return Long.parseLong(Files.readString(dir.resolve("ctdb/node." + node + "/run/ctdbd.pid"))
                                .strip());
                    }

                    @Override
                    public void freeze(int node) throws Exception {
                        fs.registerNode("ctdb" + node, pid(node));
                        fs.freeze("ctdb" + node);
                    }

                    @Override
                    public void thaw(int node) throws Exception {
                        fs.thaw("ctdb" + node);
                    }
                };
                for (int i = 0; i < runs; i++) {
                    out.add(freezeOnce(s, limit, hold));
                    System.err.println("ctdb run " + (i + 1) + ": " + out.get(i));
                }
            } finally {
                Commands.run(
                        java.time.Duration.ofSeconds(60),
                        List.of(
                                script.toString(),
                                "down",
                                "--dir",
                                dir.resolve("ctdb").toString()));
            }
        }
        return out;
    }

    /** Freezes node 1 until it is UNHEALTHY (or {@code limit} s), holds, thaws, waits for health. */
    private static Run freezeOnce(Subject s, int limit, int hold) throws Exception {
        waitUntil(() -> !call(() -> s.unhealthy(0, 1)), 120);
        long pid = s.pid(1);
        int[] stuck = {0};
        long t0 = System.nanoTime();
        s.freeze(1);
        double toUnhealthy;
        try {
            toUnhealthy = waitUntil(
                    () -> {
                        stuck[0] = Math.max(stuck[0], ProcTree.stuckBelow(pid).size());
                        return call(() -> s.unhealthy(0, 1));
                    },
                    limit);
            long holdUntil = System.nanoTime() + hold * 1_000_000_000L;
            while (System.nanoTime() < holdUntil) {
                stuck[0] = Math.max(stuck[0], ProcTree.stuckBelow(pid).size());
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } finally {
            s.thaw(1);
        }
        double toHealthy = toUnhealthy < 0 ? -1 : waitUntil(() -> !call(() -> s.unhealthy(0, 1)), 60);
        return new Run(toUnhealthy, toHealthy, stuck[0]);
    }

    interface Check {
        boolean get() throws Exception;
    }

    private static boolean call(Check c) {
        try {
            return c.get();
        } catch (Exception e) {
            return false;
        }
    }

    /** Seconds until the condition holds, polled every 50 ms, or -1 after {@code limit} seconds. */
    private static double waitUntil(BooleanSupplier done, int limit) throws InterruptedException {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < limit * 1_000_000_000L) {
            if (done.getAsBoolean()) {
                return (System.nanoTime() - t0) / 1e9;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return -1;
    }

    private static String row(String system, List<Run> runs, int limit) {
        return "| " + system + " | " + runs.size() + " | "
                + stat(runs.stream().map(Run::toUnhealthy).toList(), limit)
                + " | "
                + (runs.stream().allMatch(r -> r.toUnhealthy() < 0)
                        ? "n/a (never UNHEALTHY)"
                        : stat(
                                runs.stream()
                                        .filter(r -> r.toUnhealthy() >= 0)
                                        .map(Run::toHealthy)
                                        .toList(),
                                60))
                + " | "
                + runs.stream().mapToInt(Run::mostStuck).max().orElse(0) + " |";
    }

    private static String stat(List<Double> values, int limit) {
        List<Double> seen = new ArrayList<>(values.stream().filter(v -> v >= 0).toList());
        if (seen.isEmpty()) {
            return "never within " + limit + " s";
        }
        Collections.sort(seen);
        String s = String.format("%.2f s / %.2f s", seen.get(seen.size() / 2), seen.get(seen.size() - 1));
        return seen.size() == values.size() ? s : s + " (" + (values.size() - seen.size()) + " never)";
    }
}
