package org.jctdb.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbCodec;
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
    private static final CtdbCodec CODEC = new CtdbCodec();

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
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Client client = new Client(ch);
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

    /** A blocking client: one request, then its reply (messages in between are skipped). */
    private static final class Client {
        private final SocketChannel ch;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 20).order(CtdbWire.ORDER);
        private int reqid = 1;

        Client(SocketChannel ch) {
            this.ch = ch;
            in.flip();
        }

        long[] time(int operation, CtdbPacket p, int n) throws IOException, BadPacketException {
            for (int i = 0; i < n / 10; i++) {
                call(operation, p); // warm-up
            }
            long[] t = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                call(operation, p);
                t[i] = System.nanoTime() - t0;
            }
            return t;
        }

        CtdbPacket call(int operation, CtdbPacket p) throws IOException, BadPacketException {
            int id = reqid++;
            ch.write(ByteBuffer.wrap(CODEC.encode(CtdbHeader.of(operation, 0, CtdbWire.CURRENT_NODE, 0, id), p)));
            while (true) {
                CtdbCodec.Frame f = next();
                if (f.header().reqid() == id && f.header().operation() != CtdbHeader.REQ_MESSAGE) {
                    if (f.packet() instanceof CtdbPacket.ReplyError e) {
                        throw new IOException("call failed: " + e.msg().toUtf8());
                    }
                    return f.packet();
                }
            }
        }

        private CtdbCodec.Frame next() throws IOException, BadPacketException {
            while (in.remaining() < 4 || in.remaining() < in.getInt(in.position())) {
                in.compact();
                if (ch.read(in) < 0) {
                    throw new IOException("daemon closed the connection");
                }
                in.flip();
            }
            byte[] wire = new byte[in.getInt(in.position())];
            in.get(wire);
            return CODEC.decode(wire);
        }
    }
}
