package org.jctdb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.testing.LocalClusterHarness;

/**
 * Round trips on the CTDB client socket, one client, one request at a time: GET_PNN (a control
 * the daemon answers at once) and REQ_CALL FETCH_FUNC on a record of a volatile database (what
 * smbd sends when a record is not local), against a one-node jctdbd and a one-node CTDB 4.17
 * (bench/ctdb/local-ctdb). bench/run ClientProtocolBench [iterations]
 */
public final class ClientProtocolBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<String> rows = new ArrayList<>();
        try (LocalClusterHarness c = LocalClusterHarness.up(1)) {
            rows.addAll(measure("JCTDB", c.nodeDir(0).resolve("run/ctdbd.socket"), n));
        }
        Path home = LocalClusterHarness.home();
        Path dir = Files.createTempDirectory("bench-ctdb-");
        try {
            run(home.resolve("bench/ctdb/local-ctdb").toString(), "up", "--dir", dir.toString(), "--nodes", "1");
            rows.addAll(measure("CTDB 4.17", dir.resolve("node.0/run/ctdbd.socket"), n));
        } finally {
            run(home.resolve("bench/ctdb/local-ctdb").toString(), "down", "--dir", dir.toString());
        }
        System.out.println("| round trip (" + n + " each, one client) | system | median µs | p99 µs |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
    }

    private static List<String> measure(String system, Path socket, int n) throws Exception {
        try (RawCtdbClient client = new RawCtdbClient(socket)) {
            byte[] name = ControlData.cString("bench_volatile.tdb");
            CtdbPacket.ReplyControl attached = (CtdbPacket.ReplyControl) client.call(
                    CtdbHeader.REQ_CONTROL,
                    new CtdbPacket.ReqControl(ControlOpcode.DB_ATTACH.code(), 0, 0, 0, Bytes.of(name)));
            int dbId = ControlData.decodeU32(attached.data().toArray(), "db id");
            CtdbPacket getPnn = new CtdbPacket.ReqControl(ControlOpcode.GET_PNN.code(), 0, 0, 0, Bytes.EMPTY);
            CtdbPacket fetch = new CtdbPacket.ReqCall(
                    0,
                    dbId,
                    CtdbWire.FETCH_FUNC,
                    0,
                    Bytes.of("bench-key".getBytes(StandardCharsets.US_ASCII)),
                    Bytes.EMPTY);
            long[] pnn = client.time(CtdbHeader.REQ_CONTROL, getPnn, n);
            long[] call = client.time(CtdbHeader.REQ_CALL, fetch, n);
            return List.of(
                    row("GET_PNN control", system, pnn), row("REQ_CALL FETCH_FUNC (record local)", system, call));
        }
    }

    private static String row(String what, String system, long[] nanos) {
        Arrays.sort(nanos);
        return String.format(
                "| %s | %s | %.1f | %.1f |",
                what, system, nanos[nanos.length / 2] / 1000.0, nanos[(int) (nanos.length * 0.99)] / 1000.0);
    }
}
