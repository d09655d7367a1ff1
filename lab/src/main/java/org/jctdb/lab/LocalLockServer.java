package org.jctdb.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An etcd or ZooKeeper server (one or three members) from Debian's packages (etcd-server, zookeeper) for a
 * local cluster or a test: its data, configuration, log and PID file live in one directory; it
 * runs in its own session so it outlives the command that started it; {@link #stop(Path)} ends it (every member)
 * by its PID file. Listens on the given address only (127.0.0.1 for local clusters and tests).
 */
public final class LocalLockServer {
    public static final Path ETCD = Path.of("/usr/bin/etcd");
    public static final Path ZOOKEEPER_JAR = Path.of("/usr/share/java/zookeeper.jar");
    private static final String PID_FILE = "server.pid";

    public enum Kind {
        ETCD("etcd"),
        ZOOKEEPER("zookeeper");

        public final String word;

        Kind(String word) {
            this.word = word;
        }

        public static Optional<Kind> of(String word) {
            for (Kind k : values()) {
                if (k.word.equals(word)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** One server process: its client port and the command that (re)starts it. */
    private static final class Member {
        final int port;
        final int healthPort; // plain-text health questions (etcd with TLS: its metrics port)
        final List<String> cmd;
        final Path log;
        long pid;

        Member(int port, List<String> cmd, Path log) {
            this(port, port, cmd, log);
        }

        Member(int port, int healthPort, List<String> cmd, Path log) {
            this.port = port;
            this.healthPort = healthPort;
            this.cmd = List.copyOf(cmd);
            this.log = log;
        }
    }

    /**
     * Server-side TLS for etcd: its certificate and key, and the CA whose client certificates it
     * requires ({@code --client-cert-auth}), all PEM files.
     */
    public record EtcdTls(Path caCert, Path cert, Path key) {}

    private final Kind kind;
    private final Path dir;
    private final String host;
    private final List<Member> members;

    private LocalLockServer(Kind kind, Path dir, String host, List<Member> members) {
        this.kind = kind;
        this.dir = dir;
        this.host = host;
        this.members = List.copyOf(members);
    }

    /** Why this machine cannot run {@code kind}, or empty. */
    public static Optional<String> missing(Kind kind) {
        return switch (kind) {
            case ETCD ->
                Files.isExecutable(ETCD)
                        ? Optional.empty()
                        : Optional.of(ETCD + " is missing: apt-get install etcd-server");
            case ZOOKEEPER ->
                Files.isReadable(ZOOKEEPER_JAR)
                        ? Optional.empty()
                        : Optional.of(ZOOKEEPER_JAR + " is missing: apt-get install zookeeper");
        };
    }

    /** A single-member server on 127.0.0.1; see {@link #start(Kind, Path, String, int, long)}. */
    public static LocalLockServer start(Kind kind, Path dir, long readyTimeoutMs)
            throws IOException, InterruptedException {
        return start(kind, dir, "127.0.0.1", 1, readyTimeoutMs);
    }

    /**
     * Starts a server of {@code members} members (1 or 3) in {@code dir}
     * (created), listening on {@code host} on free ports, and waits until every member answers.
     */
    public static LocalLockServer start(Kind kind, Path dir, String host, int members, long readyTimeoutMs)
            throws IOException, InterruptedException {
        missing(kind).ifPresent(m -> {
            throw new IllegalStateException(m);
        });
        if (members != 1 && members != 3) {
            throw new IllegalArgumentException(kind.word + " server: " + members + " members (1 or 3)");
        }
        List<Member> ms = kind == Kind.ETCD
                ? etcdMembers(dir, host, members, Optional.empty())
                : zooKeeperMembers(dir, host, members);
        return startMembers(kind, dir, host, ms, readyTimeoutMs);
    }

    /** A single-member etcd on 127.0.0.1 speaking TLS only (client certificates required); health on a plain port. */
    public static LocalLockServer startEtcd(Path dir, EtcdTls tls, long readyTimeoutMs)
            throws IOException, InterruptedException {
        missing(Kind.ETCD).ifPresent(m -> {
            throw new IllegalStateException(m);
        });
        return startMembers(
                Kind.ETCD, dir, "127.0.0.1", etcdMembers(dir, "127.0.0.1", 1, Optional.of(tls)), readyTimeoutMs);
    }

    private static LocalLockServer startMembers(Kind kind, Path dir, String host, List<Member> ms, long readyTimeoutMs)
            throws IOException, InterruptedException {
        LocalLockServer s = new LocalLockServer(kind, dir, host, ms);
        for (int i = 0; i < ms.size(); i++) {
            s.launch(i);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readyTimeoutMs);
        for (int i = 0; i < ms.size(); i++) {
            while (!s.answers(i)) {
                boolean dead =
                        ProcessHandle.of(ms.get(i).pid).map(h -> !h.isAlive()).orElse(true);
                if (dead || System.nanoTime() > deadline) {
                    stop(dir);
                    Path log = ms.get(i).log;
                    String tail = Files.exists(log) ? Files.readString(log) : "";
                    throw new IOException(kind.word + " server (member " + i + ") did not start within "
                            + readyTimeoutMs + " ms; its log:\n" + tail.substring(Math.max(0, tail.length() - 2000)));
                }
                Thread.sleep(100);
            }
        }
        return s;
    }

    private static List<Member> etcdMembers(Path dir, String host, int n, Optional<EtcdTls> tls) throws IOException {
        List<Integer> clientPorts = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clientPorts.add(freePort());
            peers.add("m" + i + "=http://" + host + ":" + freePort());
        }
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path md = n == 1 ? dir : dir.resolve("m" + i);
            Files.createDirectories(md.resolve("data"));
            String client = (tls.isPresent() ? "https://" : "http://") + host + ":" + clientPorts.get(i);
            String peer = peers.get(i).substring(peers.get(i).indexOf('=') + 1);
            List<String> cmd = new ArrayList<>(List.of(
                    ETCD.toString(),
                    "--name",
                    "m" + i,
                    "--data-dir",
                    md.resolve("data").toString(),
                    "--listen-client-urls",
                    client,
                    "--advertise-client-urls",
                    client,
                    "--listen-peer-urls",
                    peer,
                    "--initial-advertise-peer-urls",
                    peer,
                    "--initial-cluster",
                    String.join(",", peers),
                    "--initial-cluster-state",
                    "new",
                    "--heartbeat-interval",
                    "100",
                    "--election-timeout",
                    "1000"));
            int healthPort = clientPorts.get(i);
            if (tls.isPresent()) {
                healthPort = freePort();
                cmd.addAll(List.of(
                        "--cert-file",
                        tls.get().cert().toString(),
                        "--key-file",
                        tls.get().key().toString(),
                        "--trusted-ca-file",
                        tls.get().caCert().toString(),
                        "--client-cert-auth",
                        "--listen-metrics-urls",
                        "http://" + host + ":" + healthPort));
            }
            out.add(new Member(clientPorts.get(i), healthPort, cmd, md.resolve("server.log")));
        }
        return out;
    }

    /**
     * One standalone ZooKeeper ({@code ZooKeeperServerMain}) or a quorum of {@code n}
     * ({@code QuorumPeerMain}, member i has myid i+1, data and zoo.cfg in DIR/mI).
     */
    private static List<Member> zooKeeperMembers(Path dir, String host, int n) throws IOException {
        List<Integer> clientPorts = new ArrayList<>();
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < n; i++) {
            clientPorts.add(freePort());
            servers.append("server.")
                    .append(i + 1)
                    .append('=')
                    .append(host)
                    .append(':')
                    .append(freePort())
                    .append(':')
                    .append(freePort())
                    .append('\n');
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path md = n == 1 ? dir : dir.resolve("m" + i);
            Files.createDirectories(md.resolve("data"));
            Path cfg = md.resolve("zoo.cfg");
            String quorum = "";
            if (n > 1) {
                Files.writeString(md.resolve("data").resolve("myid"), (i + 1) + "\n");
                // initLimit/syncLimit in ticks: a follower has 5 s to join, 2.5 s to keep up
                quorum = "initLimit=10\nsyncLimit=5\n" + servers;
            }
            Files.writeString(
                    cfg,
                    "tickTime=500\n" // sessions from 1 s (2 ticks) to 10 s (20 ticks)
                            + "dataDir=" + md.resolve("data") + "\n"
                            + "clientPort=" + clientPorts.get(i) + "\n"
                            + "clientPortAddress=" + host + "\n"
                            + "admin.enableServer=false\n"
                            + "4lw.commands.whitelist=srvr,ruok\n"
                            + quorum);
            out.add(new Member(
                    clientPorts.get(i),
                    List.of(
                            java,
                            "-Xmx128m",
                            "-XX:+UseSerialGC",
                            "-cp",
                            ZOOKEEPER_JAR.toString(),
                            n > 1
                                    ? "org.apache.zookeeper.server.quorum.QuorumPeerMain"
                                    : "org.apache.zookeeper.server.ZooKeeperServerMain",
                            cfg.toString()),
                    md.resolve("server.log")));
        }
        return out;
    }

    /** Starts member {@code i} (again) in its own session and records every member's PID. */
    private void launch(int i) throws IOException {
        Member m = members.get(i);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setsid"));
        cmd.addAll(m.cmd);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        m.pid = p.pid();
        StringBuilder pids = new StringBuilder();
        members.forEach(x -> pids.append(x.pid).append('\n'));
        Files.writeString(dir.resolve(PID_FILE), pids);
    }

    public Kind kind() {
        return kind;
    }

    /** The first member's client port. */
    public int port() {
        return members.get(0).port;
    }

    /** The first member's PID. */
    public long pid() {
        return members.get(0).pid;
    }

    public int members() {
        return members.size();
    }

    public long pid(int member) {
        return members.get(member).pid;
    }

    public Path dir() {
        return dir;
    }

    /** kill -9 of member {@code i}. */
    public void kill(int i) throws IOException {
        signal(pid(i), "KILL");
    }

    /** Starts member {@code i} again (after {@link #kill}) on its ports and data; true once it answers (10 s). */
    public boolean restart(int i) throws IOException, InterruptedException {
        ProcessHandle.of(pid(i)).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
        launch(i);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answers(i)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** The {@code [cluster] cluster lock} value for this server with a lease of {@code seconds}. */
    public String clusterLock(int seconds) {
        StringBuilder endpoints = new StringBuilder();
        for (Member m : members) {
            endpoints
                    .append(endpoints.length() == 0 ? "" : ",")
                    .append(host)
                    .append(':')
                    .append(m.port);
        }
        return kind == Kind.ETCD
                ? "etcd:" + endpoints + "/jctdb/cluster-lock?ttl=" + seconds
                : "zookeeper:" + endpoints + "/jctdb/cluster-lock?session=" + seconds;
    }

    /** Whether every member answers a health question now (1 s each at most). */
    public boolean answers() {
        for (int i = 0; i < members.size(); i++) {
            if (!answers(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether member {@code i} answers a health question now (1 s at most). */
    public boolean answers(int i) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, members.get(i).healthPort), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            if (kind == Kind.ETCD) {
                out.write(("GET /health HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return kind == Kind.ETCD ? reply.contains("\"health\":\"true\"") : reply.contains("Mode:");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server started in {@code dir}, every member (SIGTERM, SIGKILL after 5 s); returns whether one ran. */
    public static boolean stop(Path dir) throws IOException {
        Path pidFile = dir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return false;
        }
        boolean any = false;
        for (String line : Files.readAllLines(pidFile)) {
            if (!line.strip().matches("\\d+")) {
                continue;
            }
            long pid = Long.parseLong(line.strip());
            Optional<ProcessHandle> h = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info()
                            .commandLine()
                            .map(c -> c.contains(ETCD.toString())
                                    || c.contains("ZooKeeperServerMain")
                                    || c.contains("QuorumPeerMain"))
                            .orElse(false));
            if (h.isPresent()) {
                any = true;
                ProcessHandle p = h.get();
                signal(pid, "CONT"); // a paused server would not act on SIGTERM until resumed
                p.destroy();
                try {
                    p.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            }
        }
        Files.deleteIfExists(pidFile);
        return any;
    }

    /** Sends {@code sig} (e.g. STOP, CONT, KILL) to the process {@code pid}. */
    public static void signal(long pid, String sig) throws IOException {
        try {
            new ProcessBuilder("kill", "-s", sig, String.valueOf(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
