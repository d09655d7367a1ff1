package org.jctdb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.TdbFile;
import org.jctdb.database.TdbFiles;
import org.jctdb.database.TdbLibrary;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.VnnMap;
import org.jctdb.testing.LocalClusterHarness;

/**
 * Record migration and database recovery, JCTDB against CTDB 4.17 (bench/ctdb/local-ctdb), two nodes each.
 *
 * <ul>
 * <li>Migration ring (like CTDB's fetch_ring with two nodes): one client on each node's CTDB socket; they take
 * turns sending REQ_CALL FETCH_WITH_HEADER_FUNC with CTDB_IMMEDIATE_MIGRATION for the same record, so every
 * call moves the record to the caller's node (checked: the header returned names the caller as dmaster).
 * Reported: migrations per second and the latency of one call.</li>
 * <li>Recovery: 10,000 records in 5 volatile databases written into node 0's files (as smbd writes records
 * it is data master of), then repeated recoveries (`jctdb recover` / `ctdb recover`), each timed from the
 * command's start until node 0 reports a new generation with recovery mode NORMAL (polled on its socket).</li>
 * </ul>
 * bench/run MigrationBench [ring calls] [recoveries] [both|jctdb|ctdb|DIR]; DIR: the ring only, between nodes 0 and 1
 * of a cluster already up from `jctdb local-cluster up --dir DIR` (to measure its daemons before and after a burst).
 */
public final class MigrationBench {
    private static final int DATABASES = 5;
    private static final int RECORDS = 10_000;

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
        int recoveries = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String systems = args.length > 2 ? args[2] : "both";
        if (!List.of("both", "jctdb", "ctdb").contains(systems) && Files.isDirectory(Path.of(systems))) {
            Path dir = Path.of(systems);
            long[] pids = new long[2];
            Path[] sockets = new Path[2];
            for (int n = 0; n < 2; n++) {
                sockets[n] = dir.resolve("node." + n + "/run/ctdbd.socket");
                pids[n] = Long.parseLong(Files.readString(dir.resolve("node." + n + "/run/jctdbd.pid"))
                        .strip());
            }
            ring("JCTDB", sockets, calls, pids).forEach(System.out::println);
            return;
        }
        if (!List.of("both", "jctdb", "ctdb").contains(systems)) {
            throw new IllegalArgumentException(
                    "systems: both, jctdb, ctdb or a local-cluster directory, not " + systems);
        }
        List<String> rows = new ArrayList<>();
        Path home = LocalClusterHarness.home();
        if (!systems.equals("ctdb")) {
            jctdb(rows, home, calls, recoveries);
        }
        if (!systems.equals("jctdb")) {
            ctdb(rows, home, calls, recoveries);
        }
        System.out.println("| measurement | system | median | p99 | rate |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static void jctdb(List<String> rows, Path home, int calls, int recoveries) throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(2)) {
            Path[] sockets = {
                c.nodeDir(0).resolve("run/ctdbd.socket"), c.nodeDir(1).resolve("run/ctdbd.socket")
            };
            rows.addAll(ring("JCTDB", sockets, calls, new long[] {c.pid(0), c.pid(1)}));
            if (recoveries == 0) {
                return;
            }
            rows.add(recovery(
                    "JCTDB",
                    sockets[0],
                    recoveries,
                    List.of(home.resolve("bin/jctdb").toString(), "recover"),
                    c.nodeDir(0)));
        }
    }

    private static void ctdb(List<String> rows, Path home, int calls, int recoveries) throws Exception {
        Path dir = Files.createTempDirectory("bench-ctdb-");
        String localCtdb = home.resolve("bench/ctdb/local-ctdb").toString();
        try {
            // not local-ctdb's default addresses: other benchmarks may run a CTDB on those at the same time
            run(null, localCtdb, "up", "--dir", dir.toString(), "--nodes", "2", "--base-address", "127.0.52.1");
            Path[] sockets = {dir.resolve("node.0/run/ctdbd.socket"), dir.resolve("node.1/run/ctdbd.socket")};
            long[] pids = Files.readAllLines(dir.resolve("local-ctdb.pids")).stream()
                    .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[1]))
                    .toArray();
            rows.addAll(ring("CTDB 4.17", sockets, calls, pids));
            if (recoveries == 0) {
                return;
            }
            rows.add(recovery(
                    "CTDB 4.17",
                    sockets[0],
                    recoveries,
                    List.of(localCtdb, "ctdb", "--dir", dir.toString(), "0", "recover"),
                    null));
        } finally {
            run(null, localCtdb, "down", "--dir", dir.toString());
        }
    }

    private static void run(Path base, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        if (base != null) {
            pb.environment().put("CTDB_BASE", base.toString());
        }
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
    }

    /** CPU time (user + system) of the daemons, in clock ticks of 10 ms. */
    private static long cpuTicks(long[] pids) throws IOException {
        long ticks = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        }
        return ticks;
    }

    /** Context switches (voluntary and not) of every thread of the daemons. */
    private static long switches(long[] pids) throws IOException {
        long n = 0;
        for (long pid : pids) {
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        for (String l : Files.readAllLines(t.resolve("status"))) {
                            if (l.contains("ctxt_switches:")) {
                                n += Long.parseLong(l.replaceAll("[^0-9]", ""));
                            }
                        }
                    } catch (IOException e) {
                        // the thread ended meanwhile
                    }
                }
            }
        }
        return n;
    }

    /** Resident memory of the daemons after the ring, MB (the largest of them). */
    private static double maxRssMb(long[] pids) throws IOException {
        long kb = 0;
        for (long pid : pids) {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    kb = Math.max(kb, Long.parseLong(l.replaceAll("[^0-9]", "")));
                }
            }
        }
        return kb / 1024.0;
    }

    private static List<String> ring(String system, Path[] sockets, int calls, long[] pids) throws Exception {
        try (Client a = new Client(sockets[0]);
                Client b = new Client(sockets[1])) {
            int db = a.attach("bench_ring.tdb");
            b.attach("bench_ring.tdb");
            int pnnA = a.pnn();
            int pnnB = b.pnn();
            CtdbPacket fetch = new CtdbPacket.ReqCall(
                    CtdbWire.CALL_IMMEDIATE_MIGRATION,
                    db,
                    CtdbWire.FETCH_WITH_HEADER_FUNC,
                    0,
                    Bytes.of("ring-key".getBytes(StandardCharsets.US_ASCII)),
                    Bytes.EMPTY);
            // warm-up: long enough for the daemon's JIT to compile the migration path (C1 compiles a method after
            // a few thousand calls; 400 left JCTDB's first measured calls in the interpreter), the same for CTDB
            // and for at least 10 s: under load the daemon's one C1 thread was still compiling after 5,000 calls
            long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < Math.max(calls / 10, 5_000) || System.nanoTime() < warmUntil; i++) {
                migrate(i % 2 == 0 ? a : b, fetch, i % 2 == 0 ? pnnA : pnnB);
            }
            long handOversBefore = a.handOvers() + b.handOvers();
            long ticksBefore = cpuTicks(pids);
            long switchesBefore = switches(pids);
            long[] t = new long[calls];
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                migrate(i % 2 == 0 ? a : b, fetch, i % 2 == 0 ? pnnA : pnnB);
                t[i] = System.nanoTime() - t0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuPerCall = (cpuTicks(pids) - ticksBefore) * 10_000.0 / calls / pids.length;
            double switchesPerCall = (switches(pids) - switchesBefore) / (double) calls / pids.length;
            long handOvers = a.handOvers() + b.handOvers() - handOversBefore;
            double rss = maxRssMb(pids);
            long[][] byCaller = {new long[(calls + 1) / 2], new long[calls / 2]};
            for (int i = 0; i < calls; i++) {
                byCaller[i % 2][i / 2] = t[i];
            }
            Arrays.sort(byCaller[0]);
            Arrays.sort(byCaller[1]);
            System.err.printf(
                    "%s ring latency by caller, µs: node %d p50 %.0f p90 %.0f, node %d p50 %.0f p90 %.0f%n",
                    system,
                    pnnA,
                    byCaller[0][byCaller[0].length / 2] / 1e3,
                    byCaller[0][(int) (byCaller[0].length * 0.9)] / 1e3,
                    pnnB,
                    byCaller[1][byCaller[1].length / 2] / 1e3,
                    byCaller[1][(int) (byCaller[1].length * 0.9)] / 1e3);
            Arrays.sort(t);
            System.err.printf(
                    "%s ring latency, µs: p50 %.0f, p90 %.0f, p95 %.0f, p99 %.0f, p99.9 %.0f, max %.0f, mean %.0f%n",
                    system,
                    t[calls / 2] / 1e3,
                    t[(int) (calls * 0.9)] / 1e3,
                    t[(int) (calls * 0.95)] / 1e3,
                    t[(int) (calls * 0.99)] / 1e3,
                    t[(int) (calls * 0.999)] / 1e3,
                    t[calls - 1] / 1e3,
                    Arrays.stream(t).average().orElse(0) / 1e3);
            return List.of(String.format(
                    "| migration ring, 2 nodes (%d calls, %d hand-overs counted by the daemons) | %s | %.0f µs | %.0f µs"
                            + " | %.0f records/s, %.0f µs CPU and %.1f context switches per call and node, %.1f MB resident (largest daemon) |",
                    calls,
                    handOvers,
                    system,
                    t[calls / 2] / 1000.0,
                    t[(int) (calls * 0.99)] / 1000.0,
                    calls / seconds,
                    cpuPerCall,
                    switchesPerCall,
                    rss));
        }
    }

    private static void migrate(Client c, CtdbPacket fetch, int expectDmaster) throws Exception {
        CtdbPacket.ReplyCall r = (CtdbPacket.ReplyCall) c.call(CtdbHeader.REQ_CALL, fetch);
        LtdbHeader h = LtdbHeader.decode(r.data().toArray());
        if (h.dmaster() != expectDmaster) {
            throw new IllegalStateException("REQ_CALL answered with dmaster " + h.dmaster() + ", not " + expectDmaster);
        }
    }

    private static String recovery(String system, Path socket, int n, List<String> trigger, Path jctdbBase)
            throws Exception {
        try (Client c = new Client(socket)) {
            int pnn = c.pnn();
            TdbFiles files = new TdbFiles(TdbLibrary.load());
            for (int d = 0; d < DATABASES; d++) {
                int id = c.attach("bench_rec_" + d + ".tdb");
                String path = ControlData.decodeCString(
                        ((CtdbPacket.ReplyControl) c.call(
                                        CtdbHeader.REQ_CONTROL,
                                        new CtdbPacket.ReqControl(
                                                ControlOpcode.GETDBPATH.code(),
                                                0,
                                                0,
                                                0,
                                                Bytes.of(ControlData.u32(id)))))
                                .data()
                                .toArray(),
                        "path");
                int flags = ControlData.decodeU32(
                        ((CtdbPacket.ReplyControl) c.call(
                                        CtdbHeader.REQ_CONTROL,
                                        new CtdbPacket.ReqControl(
                                                ControlOpcode.DB_OPEN_FLAGS.code(),
                                                0,
                                                0,
                                                0,
                                                Bytes.of(ControlData.u32(id)))))
                                .data()
                                .toArray(),
                        "flags");
                TdbFile f = files.open(Path.of(path), 0, flags, 02, 0600);
                try {
                    for (int k = 0; k < RECORDS / DATABASES; k++) {
                        byte[] key = ("rec-" + d + "-" + k).getBytes(StandardCharsets.US_ASCII);
                        byte[] data =
                                ("value of record " + k + " in database " + d).getBytes(StandardCharsets.US_ASCII);
                        f.store(key, new LtdbHeader(1, pnn, LtdbHeader.FLAG_MIGRATED_WITH_DATA).encode(data));
                    }
                } finally {
                    f.close();
                }
            }
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                long before = c.generation();
                long t0 = System.nanoTime();
                ProcessBuilder pb = new ProcessBuilder(trigger)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                if (jctdbBase != null) {
                    pb.environment().put("CTDB_BASE", jctdbBase.toString());
                }
                Process p = pb.start();
                while (c.generation() == before || c.recmode() != 0) {
                    Thread.sleep(2);
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                        throw new IOException(system + ": no new generation within 120 s");
                    }
                }
                t[i] = System.nanoTime() - t0;
                p.waitFor(60, TimeUnit.SECONDS);
                Thread.sleep(500);
            }
            Arrays.sort(t);
            return String.format(
                    "| recovery, %d records in %d databases, 2 nodes (%d runs) | %s | %.0f ms | %.0f ms | |",
                    RECORDS, DATABASES, n, system, t[n / 2] / 1e6, t[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
        }
    }

    /** The benchmark's view of one node's CTDB socket. */
    private static final class Client implements AutoCloseable {
        private final RawCtdbClient raw;

        Client(Path socket) throws IOException {
            raw = new RawCtdbClient(socket);
        }

        int attach(String name) throws Exception {
            CtdbPacket.ReplyControl r = control(ControlOpcode.DB_ATTACH, ControlData.cString(name));
            return ControlData.decodeU32(r.data().toArray(), "db id");
        }

        int pnn() throws Exception {
            return control(ControlOpcode.GET_PNN, new byte[0]).status();
        }

        /**
         * REQ_DMASTER + REPLY_DMASTER this node received (ctdb_statistics' node.req_dmaster and
         * node.reply_dmaster, u32 at offsets 44 and 48): with two nodes, one per record that moved, in
         * CTDB and in JCTDB alike, so the ring's calls can be checked to be migrations on both.
         */
        long handOvers() throws Exception {
            java.nio.ByteBuffer st = java.nio.ByteBuffer.wrap(control(ControlOpcode.STATISTICS, new byte[0])
                            .data()
                            .toArray())
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            return Integer.toUnsignedLong(st.getInt(44)) + Integer.toUnsignedLong(st.getInt(48));
        }

        int recmode() throws Exception {
            return control(ControlOpcode.GET_RECMODE, new byte[0]).status();
        }

        long generation() throws Exception {
            return Integer.toUnsignedLong(VnnMap.decode(
                            control(ControlOpcode.GETVNNMAP, new byte[0]).data().toArray())
                    .generation());
        }

        private CtdbPacket.ReplyControl control(ControlOpcode op, byte[] data) throws Exception {
            return raw.control(op, data);
        }

        CtdbPacket call(int operation, CtdbPacket p) throws IOException, BadPacketException {
            return raw.call(operation, p);
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}
