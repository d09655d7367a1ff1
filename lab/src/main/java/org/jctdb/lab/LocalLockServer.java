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
 * A single-member etcd or ZooKeeper server from Debian's packages (etcd-server, zookeeper) for a
 * local cluster or a test: its data, configuration, log and PID file live in one directory; it
 * runs in its own session so it outlives the command that started it; {@link #stop(Path)} ends it
 * by its PID file. Listens on 127.0.0.1 only.
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

    private final Kind kind;
    private final Path dir;
    private final int port;
    private final long pid;

    private LocalLockServer(Kind kind, Path dir, int port, long pid) {
        this.kind = kind;
        this.dir = dir;
        this.port = port;
        this.pid = pid;
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

    /** Starts a server in {@code dir} (created) on a free port and waits until it answers. */
    public static LocalLockServer start(Kind kind, Path dir, long readyTimeoutMs)
            throws IOException, InterruptedException {
        missing(kind).ifPresent(m -> {
            throw new IllegalStateException(m);
        });
        Files.createDirectories(dir.resolve("data"));
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setsid"));
        if (kind == Kind.ETCD) {
            int peer = freePort();
            String client = "http://127.0.0.1:" + port;
            String peers = "http://127.0.0.1:" + peer;
            cmd.addAll(List.of(
                    ETCD.toString(),
                    "--name",
                    "jctdb",
                    "--data-dir",
                    dir.resolve("data").toString(),
                    "--listen-client-urls",
                    client,
                    "--advertise-client-urls",
                    client,
                    "--listen-peer-urls",
                    peers,
                    "--initial-advertise-peer-urls",
                    peers,
                    "--initial-cluster",
                    "jctdb=" + peers,
                    "--initial-cluster-state",
                    "new",
                    "--heartbeat-interval",
                    "100",
                    "--election-timeout",
                    "1000"));
        } else {
            Path cfg = dir.resolve("zoo.cfg");
            Files.writeString(
                    cfg,
                    "tickTime=500\n" // sessions from 1 s (2 ticks) to 10 s (20 ticks)
                            + "dataDir=" + dir.resolve("data") + "\n"
                            + "clientPort=" + port + "\n"
                            + "clientPortAddress=127.0.0.1\n"
                            + "admin.enableServer=false\n"
                            + "4lw.commands.whitelist=srvr,ruok\n");
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            cmd.addAll(List.of(
                    java,
                    "-Xmx128m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    ZOOKEEPER_JAR.toString(),
                    "org.apache.zookeeper.server.ZooKeeperServerMain",
                    cfg.toString()));
        }
        Path log = dir.resolve("server.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        Files.writeString(dir.resolve(PID_FILE), p.pid() + "\n");
        LocalLockServer s = new LocalLockServer(kind, dir, port, p.pid());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readyTimeoutMs);
        while (!s.answers()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                String tail = Files.exists(log) ? Files.readString(log) : "";
                throw new IOException(kind.word + " server did not start within " + readyTimeoutMs + " ms; its log:\n"
                        + tail.substring(Math.max(0, tail.length() - 2000)));
            }
            Thread.sleep(100);
        }
        return s;
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return pid;
    }

    public Path dir() {
        return dir;
    }

    /** The {@code [cluster] cluster lock} value for this server with a lease of {@code seconds}. */
    public String clusterLock(int seconds) {
        return kind == Kind.ETCD
                ? "etcd:127.0.0.1:" + port + "/jctdb/cluster-lock?ttl=" + seconds
                : "zookeeper:127.0.0.1:" + port + "/jctdb/cluster-lock?session=" + seconds;
    }

    /** Whether the server answers a health question now (1 s at most). */
    public boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            if (kind == Kind.ETCD) {
                out.write(("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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

    /** Stops the server started in {@code dir} (SIGTERM, SIGKILL after 5 s); returns whether one ran. */
    public static boolean stop(Path dir) throws IOException {
        Path pidFile = dir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return false;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> h = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains(ETCD.toString()) || c.contains("ZooKeeperServerMain"))
                        .orElse(false));
        if (h.isPresent()) {
            ProcessHandle p = h.get();
            signal(pid, "CONT"); // a paused server would not act on SIGTERM until resumed
            p.destroy();
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
        return h.isPresent();
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
