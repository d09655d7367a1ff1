package org.jctdb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jctdb.config.Installation;
import org.jctdb.control.ControlClient;
import org.jctdb.control.ControlReply;

/**
 * A real local cluster for end-to-end tests, started and stopped through the `jctdb` command
 * exactly as a user would. Each harness picks its own loopback range and port, so tests never
 * meet each other's daemons or a demo cluster.
 */
public final class LocalClusterHarness implements AutoCloseable {
    public final Path dir;
    public final int nodes;
    public final String baseAddress;
    public final int port;
    /** What `local-cluster up` printed (progress, timings, status). */
    public String upOutput = "";

    /** What one command printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private LocalClusterHarness(Path dir, int nodes, String baseAddress, int port) {
        this.dir = dir;
        this.nodes = nodes;
        this.baseAddress = baseAddress;
        this.port = port;
    }

    public static Path home() {
        return Installation.current().home();
    }

    public static LocalClusterHarness up(int nodes, String... tunables) throws IOException, InterruptedException {
        return up(nodes, List.of(), tunables);
    }

    /** Like {@link #up(int, String...)}, with extra `local-cluster up` options such as --cluster-lock. */
    public static LocalClusterHarness up(int nodes, List<String> options, String... tunables)
            throws IOException, InterruptedException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String base = "127." + r.nextInt(1, 250) + "." + r.nextInt(1, 250) + ".1";
        int port = r.nextInt(20000, 40000);
        Path dir = Files.createTempDirectory("jctdb-it-");
        LocalClusterHarness h = new LocalClusterHarness(dir, nodes, base, port);
        List<String> args = new ArrayList<>(List.of(
                "local-cluster",
                "up",
                "--dir",
                dir.toString(),
                "--nodes",
                String.valueOf(nodes),
                "--base-address",
                base,
                "--port",
                String.valueOf(port)));
        for (String t : tunables) {
            args.add("--tunable");
            args.add(t);
        }
        args.addAll(options);
        Result up = run(null, args.toArray(new String[0]));
        assertThat(up.exitCode())
                .as("local-cluster up:\n%s\n%s", up.stdout(), up.stderr())
                .isZero();
        h.upOutput = up.stdout();
        return h;
    }

    /** Runs bin/jctdb (a real process) with CTDB_BASE set to node {@code pnn}'s directory. */
    public Result jctdb(int pnn, String... args) throws IOException, InterruptedException {
        return run(nodeDir(pnn), args);
    }

    public static Result run(Path ctdbBase, String... args) throws IOException, InterruptedException {
        return exec(ctdbBase, home().resolve("bin/jctdb").toString(), args);
    }

    public static Result exec(Path ctdbBase, String program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove("CTDB_SOCKET");
        if (ctdbBase != null) {
            env.put("CTDB_BASE", ctdbBase.toString());
        } else {
            env.remove("CTDB_BASE");
        }
        Path out = Files.createTempFile("jctdb-out", ".txt");
        Path err = Files.createTempFile("jctdb-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not finish within 120 s");
        }
        Result res = new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return res;
    }

    /** A query through the control socket from this JVM: cheap enough to poll every few ms. */
    public ControlReply query(int pnn, String... args) throws IOException {
        return ControlClient.call(nodeDir(pnn).resolve("run/jctdbd.socket"), List.of(args), 5000);
    }

    /** The flags column {@code column} of node {@code of} as node {@code seenBy} reports it, or null. */
    public String flag(int seenBy, int of, String column) {
        try {
            ControlReply r = query(seenBy, "-X", "status");
            List<String> lines = r.stdout().lines().toList();
            List<String> header = List.of(lines.get(0).split("\\|", -1));
            int col = header.indexOf(column);
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split("\\|", -1);
                if (f[1].equals(String.valueOf(of))) {
                    return f[col];
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Public address to hosting PNN (-1: nowhere) as node {@code seenBy}'s `-X ip all` says. */
    public Map<String, Integer> publicIps(int seenBy) throws IOException {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (String line :
                query(seenBy, "-X", "ip", "all").stdout().lines().skip(1).toList()) {
            String[] f = line.split("\\|");
            m.put(f[1], Integer.parseInt(f[2]));
        }
        return m;
    }

    public Path nodeDir(int pnn) {
        return dir.resolve("node." + pnn);
    }

    public long pid(int pnn) throws IOException {
        return Long.parseLong(
                Files.readString(nodeDir(pnn).resolve("run/jctdbd.pid")).strip());
    }

    public String log(int pnn) throws IOException {
        Path p = nodeDir(pnn).resolve("log.jctdb");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    public String address(int pnn) {
        String[] b = baseAddress.split("\\.");
        return b[0] + "." + b[1] + "." + b[2] + "." + (Integer.parseInt(b[3]) + pnn);
    }

    /** Starts node {@code pnn}'s daemon again with bin/jctdbd, as an administrator would. */
    public Result startNode(int pnn) throws IOException, InterruptedException {
        return exec(nodeDir(pnn), home().resolve("bin/jctdbd").toString());
    }

    public static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                .inheritIO()
                .start();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int k = 0; k < nodes; k++) {
            try {
                signal(pid(k), "CONT");
            } catch (IOException e) {
                // that node is not running
            }
        }
        run(null, "local-cluster", "down", "--dir", dir.toString());
        // Daemons started by startNode() are not in local-cluster's list: stop them by their PID files.
        for (int k = 0; k < nodes; k++) {
            try {
                ProcessHandle.of(pid(k)).ifPresent(ProcessHandle::destroyForcibly);
            } catch (IOException e) {
                // not running
            }
        }
    }
}
