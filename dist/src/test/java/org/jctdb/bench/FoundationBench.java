package org.jctdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jctdb.testing.LocalClusterHarness;

/**
 * The foundation's figures, printed as a table: start-up to all connected (3 and 8 nodes),
 * idle CPU and resident memory per daemon, and time from kill -9 / kill -STOP of a node to
 * DISCONNECTED on the others. Run with bench/run FoundationBench [idleSeconds] [runs].
 */
public final class FoundationBench {
    public static void main(String[] args) throws Exception {
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> rows = new ArrayList<>();
        for (int n : new int[] {3, 8}) {
            try (LocalClusterHarness c = LocalClusterHarness.up(n)) {
                rows.add(row("local-cluster up to all " + n + " nodes connected", after(c, "connected"), "s"));
                rows.add(row(
                        "local-cluster up to all " + n + " nodes OK (first recovery done, monitor passed)",
                        after(c, "OK"),
                        "s"));
                if (n == 3) {
                    Thread.sleep(30_000); // let the JIT settle: idle means idle, not warm-up
                    idle(c, idleSeconds, rows);
                }
            }
        }
        try (LocalClusterHarness c = LocalClusterHarness.up(3, "KeepaliveInterval=1", "KeepaliveLimit=2")) {
            List<Double> kill = new ArrayList<>();
            List<Double> stop = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                kill.add(untilDisconnected(c, "KILL"));
                c.startNode(2);
                waitConnected(c);
                stop.add(untilDisconnected(c, "STOP"));
                LocalClusterHarness.signal(c.pid(2), "CONT");
                waitConnected(c);
            }
            rows.add(stats("kill -9 to DISCONNECTED on both peers", kill));
            rows.add(stats("kill -STOP to DISCONNECTED (KeepaliveInterval=1, KeepaliveLimit=2; bound 3 s)", stop));
        }
        System.out.println("| measurement | value |");
        System.out.println("|---|---|");
        rows.forEach(System.out::println);
    }

    private static void idle(LocalClusterHarness c, int seconds, List<String> rows) throws Exception {
        long[] before = new long[c.nodes];
        for (int k = 0; k < c.nodes; k++) {
            before[k] = cpuTicks(c.pid(k));
        }
        Thread.sleep(seconds * 1000L);
        double maxCpu = 0;
        long maxRss = 0;
        for (int k = 0; k < c.nodes; k++) {
            double pct = (cpuTicks(c.pid(k)) - before[k]) / 100.0 / seconds * 100.0;
            maxCpu = Math.max(maxCpu, pct);
            maxRss = Math.max(maxRss, rssKb(c.pid(k)));
        }
        rows.add(row(
                "idle CPU per daemon over " + seconds + " s (max of 3)",
                String.format("%.2f %% of a core", maxCpu),
                ""));
        rows.add(row("resident memory per daemon (max of 3)", String.format("%.1f MB", maxRss / 1024.0), ""));
    }

    private static double untilDisconnected(LocalClusterHarness c, String signal) throws Exception {
        long pid = c.pid(2);
        long t0 = System.nanoTime();
        LocalClusterHarness.signal(pid, signal);
        while (!("1".equals(c.flag(0, 2, "Disconnected")) && "1".equals(c.flag(1, 2, "Disconnected")))) {
            Thread.sleep(5);
            if (System.nanoTime() - t0 > 60_000_000_000L) {
                throw new IllegalStateException("node 2 never became DISCONNECTED after SIG" + signal);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void waitConnected(LocalClusterHarness c) throws Exception {
        long t0 = System.nanoTime();
        while (!("0".equals(c.flag(0, 2, "Disconnected"))
                && "0".equals(c.flag(1, 2, "Disconnected"))
                && "0".equals(c.flag(2, 0, "Disconnected")))) {
            Thread.sleep(20);
            if (System.nanoTime() - t0 > 60_000_000_000L) {
                throw new IllegalStateException("node 2 did not reconnect");
            }
        }
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    /** The seconds local-cluster up reported for "All N nodes WHAT after X s". */
    private static String after(LocalClusterHarness c, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("All \\d+ nodes " + what + " after ([0-9.]+) s")
                .matcher(c.upOutput);
        return m.find() ? m.group(1) : "?";
    }

    private static String row(String what, String value, String unit) {
        return "| " + what + " | " + value + (unit.isEmpty() ? "" : " " + unit) + " |";
    }

    private static String stats(String what, List<Double> secs) {
        List<Double> s = new ArrayList<>(secs);
        Collections.sort(s);
        return row(
                what,
                String.format(
                        "median %.3f s, max %.3f s (%d runs)", s.get(s.size() / 2), s.get(s.size() - 1), s.size()),
                "");
    }
}
