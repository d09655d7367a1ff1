package org.jctdb.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Debian's CTDB 4.17 under test: /usr/sbin/ctdbd per network namespace, in a mount namespace
 * where the node's directory is bind-mounted on /etc/ctdb, /run/ctdb and /var/lib/ctdb (not
 * CTDB_TEST_MODE, which turns off ctdbd's public address check), the stock scripts
 * 00.ctdb, 01.reclock, 05.system and 10.interface, public IP failover on, and the same
 * cluster lock path (`[cluster] recovery lock`) on the shared FUSE mount. Queried with the
 * `ctdb` tool (a process per query, so polled once a second).
 */
public final class CtdbSystem implements ClusterUnderTest {
    static final Path CTDBD = Path.of("/usr/sbin/ctdbd");
    static final Path CTDB = Path.of("/usr/bin/ctdb");
    private static final Path STOCK = Path.of("/usr/share/ctdb/events/legacy");
    private static final List<String> STOCK_SCRIPTS = List.of("00.ctdb", "01.reclock", "05.system", "10.interface");
    private static final Duration START = Duration.ofSeconds(30);

    private final NetnsCluster cluster;

    public CtdbSystem(NetnsCluster cluster) {
        this.cluster = cluster;
    }

    /** Why CTDB cannot run here, if so. */
    public static Optional<String> unavailableReason() {
        if (!Files.isExecutable(CTDBD) || !Files.isExecutable(CTDB) || !Files.isDirectory(STOCK)) {
            return Optional.of("Debian's ctdb package is not installed (apt-get install -y ctdb)");
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "ctdb";
    }

    @Override
    public void configure() throws IOException {
        for (int k = 0; k < cluster.nodes; k++) {
            Path nd = cluster.nodeDir(k);
            for (String d : List.of("run", "var/scripts", "db/volatile", "db/persistent", "db/state")) {
                Files.createDirectories(nd.resolve(d));
            }
            Files.writeString(
                    nd.resolve("ctdb.conf"),
                    "# Written by jctdb lab run: node " + k + " (CTDB 4.17)\n"
                            + "[logging]\n\tlocation = file:" + nd.resolve("log.ctdb") + "\n\tlog level = NOTICE\n"
                            + "[cluster]\n\trecovery lock = " + cluster.lockFile() + "\n\tnode address = "
                            + cluster.nodeAddress(k) + "\n"
                            + "[database]\n\tvolatile database directory = " + nd.resolve("db/volatile")
                            + "\n\tpersistent database directory = " + nd.resolve("db/persistent")
                            + "\n\tstate database directory = " + nd.resolve("db/state") + "\n"
                            + "[legacy]\n\trealtime scheduling = false\n");
            Path events = nd.resolve("events/legacy");
            Files.deleteIfExists(events.resolve("10.interface.script"));
            for (String s : STOCK_SCRIPTS) {
                Files.createSymbolicLink(events.resolve(s + ".script"), STOCK.resolve(s + ".script"));
            }
            Files.copy(Path.of("/etc/ctdb/functions"), nd.resolve("functions"));
            if (Files.isRegularFile(Path.of("/etc/ctdb/notify.sh"))) {
                Files.copy(Path.of("/etc/ctdb/notify.sh"), nd.resolve("notify.sh"));
            }
            ClusterUnderTest.installHangScript(nd);
        }
    }

    @Override
    public void start(int k) throws IOException {
        Path nd = cluster.nodeDir(k);
        // Not CTDB_TEST_MODE: it turns off ctdbd's check of which public addresses the node
        // really has, so ctdbd takes addresses again that it already holds, the stock
        // 10.interface fails ("Address already assigned") and ctdbd bans its own node. Instead
        // each ctdbd runs in a mount namespace of its own (ip netns exec makes one) where the
        // node's directory is bind-mounted over CTDB's fixed paths. ctdbd detaches; its output
        // goes to a file so no pipe of ours stays open in the daemon.
        String mounts = "mkdir -p /run/ctdb /var/lib/ctdb && mount --bind \"$2\" /etc/ctdb"
                + " && mount --bind \"$2/run\" /run/ctdb && mount --bind \"$2/var\" /var/lib/ctdb"
                + " && exec setsid \"$0\" </dev/null >>\"$1\" 2>&1";
        Commands.run(
                        START,
                        "ip",
                        "netns",
                        "exec",
                        cluster.nodeNs(k),
                        "sh",
                        "-c",
                        mounts,
                        CTDBD.toString(),
                        nd.resolve("ctdbd.stderr").toString(),
                        nd.toString())
                .requireOk();
        long until = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < until) {
            if (daemonPid(k).isPresent()) {
                return;
            }
            Commands.parkBriefly();
        }
        throw new IOException("node " + k + ": ctdbd wrote no PID file within " + START.toSeconds() + " s");
    }

    @Override
    public Optional<Long> daemonPid(int k) {
        try {
            long pid = Long.parseLong(Files.readString(cluster.nodeDir(k).resolve("run/ctdbd.pid"))
                    .strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public Poll poll(int k, long deadlineMs) {
        try {
            Commands.Result status = ctdb(k, deadlineMs / 2, "status");
            Optional<StatusText.Self> self = StatusText.status(status.output());
            if (self.isEmpty()) {
                return Poll.NONE;
            }
            Map<String, Integer> ips =
                    StatusText.ipTable(ctdb(k, deadlineMs / 2, "-X", "ip").output());
            return new Poll(true, self.get().status(), self.get().leader(), 0, ips);
        } catch (IOException e) {
            return Poll.NONE;
        }
    }

    /** `ctdb ARGS` against node k's daemon (in its mount namespace), within {@code deadlineMs}. */
    public Commands.Result tool(int k, long deadlineMs, String... args) throws IOException {
        return ctdb(k, deadlineMs, args);
    }

    private Commands.Result ctdb(int k, long deadlineMs, String... args) throws IOException {
        long pid = daemonPid(k).orElseThrow(() -> new IOException("node " + k + ": ctdbd is not running"));
        // The tool finds the socket and the nodes file at CTDB's fixed paths: ask from the daemon's mount namespace.
        List<String> cmd = new ArrayList<>(List.of(
                "nsenter",
                "-t",
                String.valueOf(pid),
                "-m",
                CTDB.toString(),
                "-t",
                String.valueOf(Math.max(1, deadlineMs / 1000))));
        cmd.addAll(List.of(args));
        return Commands.run(Duration.ofMillis(deadlineMs + 500), cmd);
    }

    @Override
    public long pollIntervalMs() {
        return 1000;
    }

    @Override
    public long answerWithinMs() {
        // `ctdb status` alone takes up to ~1.5 s on this loaded 2-core machine.
        return 4000;
    }

    @Override
    public boolean reportsHungProbes() {
        return false;
    }

    @Override
    public Set<String> notProbes() {
        // ctdbd and its own helpers (comm is cut at 15 characters); what remains are event scripts and their children.
        return Set.of("ctdbd", "ctdb-eventd", "ctdb-recoverd", "ctdb_mutex_fcnt");
    }
}
