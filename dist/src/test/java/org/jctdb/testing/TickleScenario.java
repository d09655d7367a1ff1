package org.jctdb.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.jctdb.control.ControlReply;
import org.jctdb.lab.AddressWatch;
import org.jctdb.lab.NetnsCluster;
import org.jctdb.lab.TcpSessionProbe;

/**
 * A client with a long-lived TCP connection to a public address whose node is killed with
 * kill -9: how long after the address moved the client learns that its connection is gone
 * (a reset from the new host, after its tickle ACK or the client's own retransmission).
 * Echo servers run on every node; the victim is a node other than the leader.
 */
public final class TickleScenario implements AutoCloseable {
    public static final int PORT = 7777;

    /**
     * @param ip             the address that moved
     * @param peerKnewIt     the other nodes listed the client's connection before the kill
     * @param movedMillis    kill to the address configured on another node
     * @param failedMillis   address moved to the client's connection failing; -1: not within the limit
     * @param failure        how it failed (ConnectionResetError: a reset)
     */
    public record Outcome(
            String ip, int victim, boolean peerKnewIt, long movedMillis, long failedMillis, String failure) {}

    /** What differs between the systems under test. */
    public interface Nodes {
        int leader() throws IOException;

        /** Whether node k lists the connection from {@code clientEnd} (IP:PORT) to ip:PORT. */
        boolean lists(int k, String ip, String clientEnd);

        /** Tells the host of ip about the connection, as smbd would (nothing where the host finds it itself). */
        void register(int host, String ip, String clientEnd) throws IOException;

        /** The fault: kill -9 of the node's daemon (and whatever makes its address go). */
        void kill(int k) throws IOException;

        /** Starts node k again. */
        void restart(int k) throws IOException;
    }

    /** JCTDB: the host's kernel scan finds the connection; the guard deletes a killed node's addresses. */
    public static Nodes jctdb(NetnsCluster cluster) {
        return new Nodes() {
            @Override
            public int leader() throws IOException {
                return Integer.parseInt(cluster.query(0, "leader").stdout().strip());
            }

            @Override
            public boolean lists(int k, String ip, String clientEnd) {
                try {
                    ControlReply r = cluster.query(k, "-X", "gettickles", ip);
                    return r.exitCode() == 0 && r.stdout().contains(row(ip, clientEnd));
                } catch (IOException e) {
                    return false;
                }
            }

            @Override
            public void register(int host, String ip, String clientEnd) {}

            @Override
            public void kill(int k) throws IOException {
                cluster.signal(k, "KILL");
            }

            @Override
            public void restart(int k) throws IOException {
                cluster.start(k);
            }
        };
    }

    /** gettickles -X's row for the connection. */
    public static String row(String ip, String clientEnd) {
        String[] c = clientEnd.split(":");
        return "|" + c[0] + "|" + c[1] + "|" + ip + "|" + PORT + "|";
    }

    private final NetnsCluster cluster;
    private final AddressWatch watch;
    private final Nodes nodes;
    private final List<Process> servers = new ArrayList<>();

    public TickleScenario(NetnsCluster cluster, AddressWatch watch) throws IOException {
        this(cluster, watch, jctdb(cluster));
    }

    public TickleScenario(NetnsCluster cluster, AddressWatch watch, Nodes nodes) throws IOException {
        this.cluster = cluster;
        this.watch = watch;
        this.nodes = nodes;
        for (int k = 0; k < cluster.nodes; k++) {
            servers.add(TcpSessionProbe.echoServer(cluster.nodeNs(k), PORT));
        }
    }

    /** Waits until every address is on exactly one node, spread over the nodes (as {@link FailoverScenario}). */
    public boolean waitSettled(long limitMillis) {
        return new FailoverScenario(cluster, watch, null).waitSettled(limitMillis);
    }

    /**
     * Connects a client (sending a line every {@code periodMs}, 0: idle) to an address of a node
     * that does not lead, kills that node, and waits up to {@code limitMillis} after the move
     * for the client to notice.
     */
    public Outcome killHostOfClient(long periodMs, long limitMillis) throws IOException {
        return killHostOfClient(periodMs, limitMillis, 10_000);
    }

    /** As above; {@code shareMillis}: how long the other nodes may take to list the connection. */
    public Outcome killHostOfClient(long periodMs, long limitMillis, long shareMillis) throws IOException {
        int leader = nodes.leader();
        String ip = null;
        int victim = -1;
        for (Map.Entry<String, Set<String>> e : watch.now().entrySet()) {
            int k = cluster.nodeOf(e.getValue().iterator().next());
            if (k != leader) {
                ip = e.getKey();
                victim = k;
                break;
            }
        }
        if (ip == null) {
            throw new IllegalStateException("every address is on the leader: " + watch.now());
        }
        try (TcpSessionProbe client = TcpSessionProbe.start(cluster.clientNs(), ip, PORT, periodMs)) {
            TcpSessionProbe.Event connected = await(() -> client.first("connected", 0), 10_000)
                    .orElseThrow(() -> new IllegalStateException("the client did not connect"));
            String clientEnd = connected.detail();
            // The host learns of the connection and sends its list: wait until a peer has it.
            int peer = (victim + 1) % cluster.nodes;
            String finalIp = ip;
            nodes.register(victim, ip, clientEnd);
            boolean peerKnew = await(
                            () -> nodes.lists(peer, finalIp, clientEnd) ? Optional.of(true) : Optional.empty(),
                            shareMillis)
                    .isPresent();
            long t0 = System.nanoTime();
            nodes.kill(victim);
            String victimNs = cluster.nodeNs(victim);
            Optional<Long> moved = await(() -> movedAt(finalIp, victimNs, t0), 30_000);
            if (moved.isEmpty()) {
                return new Outcome(ip, victim, peerKnew, -1, -1, "address did not move");
            }
            long movedNanos = moved.get();
            Optional<TcpSessionProbe.Event> failed =
                    await(() -> client.first("failed", t0), (movedNanos - System.nanoTime()) / 1_000_000 + limitMillis);
            if (failed.isEmpty()) {
                System.err.println("not noticed: client " + clientEnd + " of " + ip + "; events " + client.events());
                for (int k = 0; k < cluster.nodes; k++) {
                    List<String> lines = cluster.log(k)
                            .lines()
                            .filter(l -> l.contains("tickle") || l.contains("took ") || l.contains("gratuitous"))
                            .toList();
                    for (String l : lines.subList(Math.max(0, lines.size() - 4), lines.size())) {
                        System.err.println("  node " + k + ": " + l);
                    }
                }
            }
            return new Outcome(
                    ip,
                    victim,
                    peerKnew,
                    (movedNanos - t0) / 1_000_000,
                    failed.map(f -> (f.nanos() - movedNanos) / 1_000_000).orElse(-1L),
                    failed.map(TcpSessionProbe.Event::detail).orElse("none"));
        }
    }

    /** Restarts a killed node and waits for the addresses to settle. */
    public boolean heal(Outcome o, long limitMillis) throws IOException {
        nodes.restart(o.victim());
        return waitSettled(limitMillis);
    }

    private Optional<Long> movedAt(String ip, String victimNs, long t0) {
        for (AddressWatch.Change c : watch.snapshot()) {
            if (c.ip().equals(ip) && c.present() && c.nanos() >= t0 && !c.ns().equals(victimNs)) {
                return Optional.of(c.nanos());
            }
        }
        return Optional.empty();
    }

    private interface Poll<T> {
        Optional<T> get();
    }

    private static <T> Optional<T> await(Poll<T> poll, long limitMillis) {
        long until = System.nanoTime() + Math.max(0, limitMillis) * 1_000_000;
        while (true) {
            Optional<T> v = poll.get();
            if (v.isPresent() || System.nanoTime() >= until) {
                return v;
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        LockSupport.parkNanos(ms * 1_000_000);
    }

    @Override
    public void close() {
        servers.forEach(Process::destroyForcibly);
    }
}
