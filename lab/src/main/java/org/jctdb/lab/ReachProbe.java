package org.jctdb.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Whether addresses answer from a client's namespace, every 100 ms. The probe runs as its own
 * JVM inside the client namespace ({@link #main}): it flushes the client's ARP cache (no
 * gratuitous ARP without arping here), then opens TCP connections to port 9 of every address;
 * an answer of any kind (refused or accepted) means some host has the address. The test side
 * ({@link #start}) stamps each result line on arrival.
 */
public final class ReachProbe implements AutoCloseable {
    private static final int PORT = 9;
    private static final long PERIOD_MS = 100;
    private static final long WAIT_MS = 250;

    /** One probe round: when it was read, and which addresses answered. */
    public record Round(long nanos, Map<String, Boolean> answered) {}

    private final Process process;
    private final List<Round> rounds = new ArrayList<>();

    private ReachProbe(Process process) {
        this.process = process;
    }

    public static ReachProbe start(String clientNs, List<String> ips) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                clientNs,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ReachProbe.class.getName()));
        cmd.addAll(ips);
        ReachProbe p = new ReachProbe(new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
        Thread t = new Thread(p::read, "reach-probe");
        t.setDaemon(true);
        t.start();
        return p;
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                Map<String, Boolean> m = new HashMap<>();
                for (String f : line.split(" ")) {
                    int eq = f.indexOf('=');
                    if (eq > 0) {
                        m.put(f.substring(0, eq), f.endsWith("=1"));
                    }
                }
                synchronized (rounds) {
                    rounds.add(new Round(System.nanoTime(), m));
                }
            }
        } catch (IOException e) {
            // probe ended
        }
    }

    public List<Round> rounds() {
        synchronized (rounds) {
            return new ArrayList<>(rounds);
        }
    }

    /** The latest round, or null before the first. */
    public Round latest() {
        synchronized (rounds) {
            return rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
        }
    }

    @Override
    public void close() {
        Commands.killTree(process);
    }

    /** The probe loop inside the client namespace: one line per round, "IP=1" or "IP=0". */
    public static void main(String[] args) throws Exception {
        while (true) {
            long start = System.nanoTime();
            new ProcessBuilder("ip", "neigh", "flush", "dev", "eth0")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(1, TimeUnit.SECONDS);
            StringBuilder line = new StringBuilder();
            for (Map.Entry<String, Boolean> e : round(args).entrySet()) {
                line.append(e.getKey()).append('=').append(e.getValue() ? 1 : 0).append(' ');
            }
            System.out.println(line.toString().strip());
            System.out.flush();
            long left = PERIOD_MS - (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                Thread.sleep(left);
            }
        }
    }

    private static Map<String, Boolean> round(String[] ips) throws IOException {
        Map<String, Boolean> answered = new TreeMap<>();
        try (Selector sel = Selector.open()) {
            for (String ip : ips) {
                answered.put(ip, false);
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                try {
                    if (ch.connect(new InetSocketAddress(ip, PORT))) {
                        answered.put(ip, true);
                        ch.close();
                    } else {
                        ch.register(sel, SelectionKey.OP_CONNECT, ip);
                    }
                } catch (IOException e) {
                    ch.close();
                }
            }
            long until = System.nanoTime() + WAIT_MS * 1_000_000;
            while (!sel.keys().isEmpty() && System.nanoTime() < until) {
                sel.select(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                for (SelectionKey k : sel.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    try {
                        ch.finishConnect();
                        answered.put((String) k.attachment(), true);
                    } catch (ConnectException e) {
                        // "Connection refused" is an answer; unreachable or no route is not
                        answered.put(
                                (String) k.attachment(),
                                String.valueOf(e.getMessage()).contains("refused"));
                    } catch (IOException e) {
                        // no answer
                    }
                    k.cancel();
                    ch.close();
                }
                sel.selectedKeys().clear();
            }
            for (SelectionKey k : sel.keys()) {
                k.channel().close();
            }
        }
        return answered;
    }
}
