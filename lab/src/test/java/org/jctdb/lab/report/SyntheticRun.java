package org.jctdb.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a realistic run directory from a seeded toy cluster: faults hit random nodes, their
 * addresses move to the least loaded healthy node after a system-specific delay (JCTDB about 2 s,
 * CTDB about 10 s), and a CTDB link cut leaves the address on both sides for 3 s (an overlap).
 */
public final class SyntheticRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Spec(String system, long seed, long durationMs, int nodes, int addresses, List<String> kinds) {}

    private record Move(String ip, int from, int to, long addAt, long releaseAt, int faultId) {}

    private record F(int id, String kind, List<Integer> nodes, long start, long end) {}

    private SyntheticRun() {}

    public static Path write(Path dir, Spec spec) {
        try {
            Files.createDirectories(dir);
            Random rnd = new Random(spec.seed());
            List<String> ips = new ArrayList<>();
            for (int i = 0; i < spec.addresses(); i++) {
                ips.add("198.18.7." + (101 + i));
            }
            List<F> faults = schedule(spec, rnd);
            writeRunJson(dir, spec, ips);
            simulate(dir, spec, ips, faults, rnd);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<F> schedule(Spec spec, Random rnd) {
        List<F> out = new ArrayList<>();
        long t = 5_000;
        int id = 1;
        while (t < spec.durationMs() - 25_000) {
            String kind = spec.kinds().get(rnd.nextInt(spec.kinds().size()));
            List<Integer> nodes = kind.equals("freezeall")
                    ? all(spec.nodes())
                    : kind.equals("lockdelete") ? List.of() : List.of(rnd.nextInt(spec.nodes()));
            long length = kind.equals("lockdelete") ? 0 : 3_000 + rnd.nextInt(17_000);
            out.add(new F(id++, kind, nodes, t, t + length));
            // Now and then the next fault starts while this one is still on.
            t += rnd.nextInt(10) < 3 ? 1_000 + rnd.nextInt(2_000) : length + 10_000 + rnd.nextInt(15_000);
        }
        return out;
    }

    private static List<Integer> all(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    private static void simulate(Path dir, Spec spec, List<String> ips, List<F> faults, Random rnd) throws IOException {
        boolean ctdb = spec.system().equals("ctdb");
        Map<String, List<Integer>> hosts = new LinkedHashMap<>();
        for (int i = 0; i < ips.size(); i++) {
            hosts.put(ips.get(i), new ArrayList<>(List.of(i % spec.nodes())));
        }
        String[] status = new String[spec.nodes()];
        long[] recoverAt = new long[spec.nodes()];
        java.util.Arrays.fill(status, "OK");
        List<F> active = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        StringBuilder samples = new StringBuilder();
        StringBuilder faultLines = new StringBuilder();
        StringBuilder violations = new StringBuilder();
        int next = 0;
        boolean overlapping = false;
        for (long now = 0; now <= spec.durationMs(); now += 100) {
            final long t = now;
            while (next < faults.size() && faults.get(next).start() <= t) {
                F f = faults.get(next++);
                active.add(f);
                faultLines.append(faultLine(f, "start"));
                start(f, ctdb, hosts, status, active, moves, rnd, spec.nodes());
            }
            for (Iterator<F> it = active.iterator(); it.hasNext(); ) {
                F f = it.next();
                if (f.end() <= t) {
                    it.remove();
                    faultLines.append(faultLine(f, "end"));
                    moves.removeIf(m -> m.faultId() == f.id() && m.addAt() > t);
                    f.nodes().forEach(n -> recoverAt[n] = t + (f.kind().equals("crash") ? 3_000 : 1_000));
                }
            }
            for (int n = 0; n < spec.nodes(); n++) {
                if (recoverAt[n] > 0 && recoverAt[n] <= t && !affected(active, n)) {
                    status[n] = "OK";
                    recoverAt[n] = 0;
                }
            }
            apply(moves, hosts, t);
            boolean overlap = hosts.values().stream().anyMatch(h -> h.size() > 1);
            if (overlap && !overlapping) {
                violations
                        .append(JSON.writeValueAsString(Map.of(
                                "t",
                                t,
                                "invariant",
                                "address-in-two-places",
                                "detail",
                                "an address on nodes "
                                        + hosts.values().stream()
                                                .filter(h -> h.size() > 1)
                                                .findFirst()
                                                .orElseThrow())))
                        .append('\n');
            }
            overlapping = overlap;
            int holders = lockHolders(faults, t, ctdb);
            if (holders > 1) {
                violations
                        .append(JSON.writeValueAsString(Map.of(
                                "t",
                                t,
                                "invariant",
                                "two-lock-holders",
                                "detail",
                                "2 processes hold the cluster lock")))
                        .append('\n');
            }
            samples.append(sample(t, status, hosts, active, holders)).append('\n');
        }
        Files.writeString(dir.resolve("samples.jsonl"), samples);
        Files.writeString(dir.resolve("faults.jsonl"), faultLines);
        Files.writeString(dir.resolve("violations.jsonl"), violations);
        Files.writeString(dir.resolve("events.log"), "synthetic run, seed " + spec.seed() + "\n");
    }

    private static void start(
            F f,
            boolean ctdb,
            Map<String, List<Integer>> hosts,
            String[] status,
            List<F> active,
            List<Move> moves,
            Random rnd,
            int nodes) {
        String s = switch (f.kind()) {
            case "crash", "pause" -> "UNKNOWN";
            case "linkcut", "partition" -> "DISCONNECTED";
            case "freeze", "hungmonitor" -> "UNHEALTHY";
            default -> null;
        };
        if (s == null) {
            return;
        }
        f.nodes().forEach(n -> status[n] = s);
        long delay = ctdb ? 7_000 + rnd.nextInt(8_000) : 1_200 + rnd.nextInt(1_500);
        int[] load = new int[nodes];
        hosts.values().forEach(h -> h.forEach(n -> load[n]++));
        hosts.forEach((ip, h) -> {
            boolean moving = moves.stream().anyMatch(m -> m.ip().equals(ip));
            if (!moving && h.size() == 1 && f.nodes().contains(h.get(0))) {
                int to = -1;
                for (int n = 0; n < nodes; n++) {
                    if (!affected(active, n) && (to < 0 || load[n] < load[to])) {
                        to = n;
                    }
                }
                if (to >= 0) {
                    load[to]++;
                    long add = f.start() + delay;
                    long release = ctdb && f.kind().equals("linkcut") ? add + 3_000 : add - 200;
                    moves.add(new Move(ip, h.get(0), to, add, release, f.id()));
                }
            }
        });
    }

    private static void apply(List<Move> moves, Map<String, List<Integer>> hosts, long t) {
        for (Iterator<Move> it = moves.iterator(); it.hasNext(); ) {
            Move m = it.next();
            List<Integer> h = hosts.get(m.ip());
            if (m.releaseAt() <= t) {
                h.remove(Integer.valueOf(m.from()));
            }
            if (m.addAt() <= t && !h.contains(m.to())) {
                h.add(m.to());
            }
            if (m.addAt() <= t && m.releaseAt() <= t) {
                it.remove();
            }
        }
    }

    private static boolean affected(List<F> active, int n) {
        return active.stream()
                .anyMatch(f -> FailoverAnalysis.SERVING_KINDS.contains(f.kind())
                        && f.nodes().contains(n));
    }

    private static String faultLine(F f, String phase) throws IOException {
        return JSON.writeValueAsString(Map.of(
                        "t",
                        phase.equals("start") ? f.start() : f.end(),
                        "id",
                        f.id(),
                        "phase",
                        phase,
                        "kind",
                        f.kind(),
                        "nodes",
                        f.nodes(),
                        "detail",
                        f.kind() + " " + f.nodes()))
                + "\n";
    }

    /** After the lock file is deleted JCTDB holds no lock for 1 s; CTDB's old and new leader both do for 0.5 s. */
    private static int lockHolders(List<F> faults, long t, boolean ctdb) {
        for (F f : faults) {
            if (f.kind().equals("lockdelete") && t >= f.start() && t < f.start() + (ctdb ? 500 : 1_000)) {
                return ctdb ? 2 : 0;
            }
        }
        return 1;
    }

    private static String sample(
            long t, String[] status, Map<String, List<Integer>> hosts, List<F> active, int lockHolders)
            throws IOException {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (int n = 0; n < status.length; n++) {
            nodes.add(Map.of(
                    "pnn",
                    n,
                    "reachable",
                    !status[n].equals("UNKNOWN"),
                    "status",
                    status[n],
                    "leader",
                    0,
                    "dstate",
                    0,
                    "hungProbes",
                    0));
        }
        Map<String, Boolean> client = new LinkedHashMap<>();
        hosts.forEach((ip, h) -> client.put(ip, h.size() == 1 && !affected(active, h.get(0))));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("t", t);
        line.put("nodes", nodes);
        line.put("addrs", hosts);
        line.put("lockHolders", lockHolders);
        line.put("client", client);
        return JSON.writeValueAsString(line);
    }

    private static void writeRunJson(Path dir, Spec spec, List<String> ips) throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("system", spec.system());
        run.put("seed", spec.seed());
        run.put("minutes", spec.durationMs() / 60_000.0);
        run.put("nodes", spec.nodes());
        run.put("publicIps", ips);
        run.put(
                "command",
                "jctdb lab run --system " + spec.system() + " --minutes " + spec.durationMs() / 60_000.0 + " --seed "
                        + spec.seed() + " --nodes " + spec.nodes());
        run.put("startedAt", "2026-11-26T04:10:00Z");
        run.put("endedAt", "2026-11-26T04:20:00Z");
        run.put("sampleIntervalMs", 100);
        run.put("bounds", Map.of("healMs", 30_000));
        run.put("interrupted", false);
        Files.writeString(
                dir.resolve("run.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run));
    }
}
