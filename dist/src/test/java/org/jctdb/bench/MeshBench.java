package org.jctdb.bench;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jctdb.config.ClusterKeys;
import org.jctdb.mesh.WireMessage;
import org.jctdb.node.DisconnectCause;
import org.jctdb.transport.MeshSettings;
import org.jctdb.transport.NodeMesh;
import org.jctdb.transport.PeerListener;

/**
 * The cost of peer authentication: two meshes in one JVM over loopback TCP, with the cluster key
 * and without. Connect time (start of the dialing mesh to both sides connected, the handshake
 * included) and one-way throughput of small and 64 KiB messages, every frame with its MAC when
 * authenticated. bench/run MeshBench [connects] [messages]
 */
public final class MeshBench {
    public static void main(String[] args) throws Exception {
        int connects = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        ClusterKeys key = ClusterKeys.parse("bench", ClusterKeys.generateLine());
        System.out.println("| mesh (2 nodes, loopback) | no key | cluster key |");
        System.out.println("|---|---|---|");
        double[] connectNone = connect(ClusterKeys.NONE, connects);
        double[] connectKey = connect(key, connects);
        System.out.printf(
                "| connect incl. handshake, median / max (%d runs) | %.2f / %.2f ms | %.2f / %.2f ms |%n",
                connects, connectNone[0], connectNone[1], connectKey[0], connectKey[1]);
        String small = "x".repeat(64);
        String large = "x".repeat(64 * 1024);
        System.out.printf(
                "| small messages (NodeState-sized) per second | %,.0f | %,.0f |%n",
                throughput(ClusterKeys.NONE, small, messages), throughput(key, small, messages));
        System.out.printf(
                "| 64 KiB messages, MB/s | %,.0f | %,.0f |%n",
                throughput(ClusterKeys.NONE, large, messages / 100) * 64 / 1024,
                throughput(key, large, messages / 100) * 64 / 1024);
    }

    private static final class Counter implements PeerListener {
        final AtomicLong connected = new AtomicLong();
        final AtomicLong received = new AtomicLong();

        @Override
        public void peerConnected(int pnn) {
            connected.incrementAndGet();
        }

        @Override
        public void peerDisconnected(int pnn, DisconnectCause cause, String detail) {}

        @Override
        public void messageReceived(int pnn, WireMessage message) {
            received.incrementAndGet();
        }
    }

    private static MeshSettings settings(int pnn, Map<Integer, InetAddress> peers, int port, ClusterKeys keys) {
        return new MeshSettings(pnn, peers, port, "benchbenchbench0", "bench", 1000, 5, keys);
    }

    private static Map<Integer, InetAddress> peers() throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String base = "127." + r.nextInt(1, 250) + "." + r.nextInt(1, 250) + ".";
        return Map.of(0, InetAddress.getByName(base + 1), 1, InetAddress.getByName(base + 2));
    }

    /** Median and max milliseconds from the dialer's start to both sides connected. */
    private static double[] connect(ClusterKeys keys, int runs) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs + 5; i++) {
            Map<Integer, InetAddress> peers = peers();
            int port = ThreadLocalRandom.current().nextInt(20000, 40000);
            Counter a = new Counter();
            Counter d = new Counter();
            try (NodeMesh acceptor = new NodeMesh(settings(1, peers, port, keys), a)) {
                acceptor.start();
                long t0 = System.nanoTime();
                try (NodeMesh dialer = new NodeMesh(settings(0, peers, port, keys), d)) {
                    dialer.start();
                    while (a.connected.get() == 0 || d.connected.get() == 0) {
                        Thread.onSpinWait();
                    }
                    if (i >= 5) { // the first runs warm up the JIT
                        ms.add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
        }
        Collections.sort(ms);
        return new double[] {ms.get(ms.size() / 2), ms.get(ms.size() - 1)};
    }

    /** Messages per second from node 0 to node 1, at most 2,000 in flight. */
    private static double throughput(ClusterKeys keys, String payload, int n) throws Exception {
        Map<Integer, InetAddress> peers = peers();
        int port = ThreadLocalRandom.current().nextInt(20000, 40000);
        Counter a = new Counter();
        Counter d = new Counter();
        try (NodeMesh acceptor = new NodeMesh(settings(1, peers, port, keys), a);
                NodeMesh dialer = new NodeMesh(settings(0, peers, port, keys), d)) {
            acceptor.start();
            dialer.start();
            while (a.connected.get() == 0 || d.connected.get() == 0) {
                Thread.sleep(1);
            }
            WireMessage m = new WireMessage.ControlReply(1, 0, payload, "");
            for (int i = 0; i < n / 10; i++) { // warm-up
                while (i - a.received.get() > 2000) {
                    Thread.onSpinWait();
                }
                dialer.send(1, m);
            }
            while (a.received.get() < n / 10) {
                Thread.onSpinWait();
            }
            long base = a.received.get();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                while (i - (a.received.get() - base) > 2000) {
                    Thread.onSpinWait();
                }
                dialer.send(1, m);
            }
            while (a.received.get() - base < n) {
                Thread.onSpinWait();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
