package org.jctdb.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Client of the jctdb-clusterfs control socket: one command line out, one reply line back
 * ({@code ok <json>} or {@code error <message>}), with a deadline on every step so a stopped
 * daemon (freezeAll) yields a timeout instead of a hang.
 */
final class ClusterFsControl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REPLY = 1 << 20;

    private final Path socket;

    ClusterFsControl(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    /** Sends one command; returns the JSON payload of an ok reply. */
    JsonNode request(String line, Duration timeout) throws IOException {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("control command must be one line: " + line);
        }
        long until = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                await(ch, selector, SelectionKey.OP_CONNECT, until, line);
                ch.finishConnect();
            }
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    await(ch, selector, SelectionKey.OP_WRITE, until, line);
                }
            }
            return parse(line, readLine(ch, selector, until, line));
        }
    }

    private static String readLine(SocketChannel ch, Selector selector, long until, String line) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new IOException("clusterfs daemon closed the control connection during '" + line + "'");
            }
            if (n == 0) {
                await(ch, selector, SelectionKey.OP_READ, until, line);
                continue;
            }
            reply.write(buf.array(), 0, n);
            String text = reply.toString(StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            if (nl >= 0) {
                return text.substring(0, nl);
            }
            if (reply.size() > MAX_REPLY) {
                throw new IOException("clusterfs control reply too long for '" + line + "'");
            }
        }
    }

    private static void await(SocketChannel ch, Selector selector, int op, long until, String line) throws IOException {
        long left = until - System.nanoTime();
        if (left <= 0) {
            throw new IOException("clusterfs control: no answer to '" + line + "' in time (daemon stopped or frozen?)");
        }
        SelectionKey key = ch.register(selector, op);
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
        key.interestOps(0);
    }

    private static JsonNode parse(String line, String reply) throws IOException {
        if (reply.equals("ok") || reply.startsWith("ok ")) {
            String body = reply.substring(2).strip();
            return JSON.readTree(body.isEmpty() ? "{}" : body);
        }
        String message = reply.startsWith("error ") ? reply.substring(6) : reply;
        throw new IOException("clusterfs control '" + line + "' failed: " + message);
    }
}
