package org.jctdb.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctdb.cli.CommandRunner;
import org.jctdb.config.ConfigException;
import org.jctdb.config.Installation;
import org.jctdb.config.Layout;
import org.jctdb.config.MetricsConf;
import org.jctdb.config.NodeConfig;
import org.jctdb.control.ControlClient;
import org.jctdb.control.TunableRules;
import org.jctdb.lock.ClusterLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jctdbd}: starts the daemon of the node configured in $CTDB_BASE. The bin/jctdbd
 * launcher runs this in the background and waits on {@code --ready-file} for the outcome,
 * so start-up errors still reach the terminal; {@code --interactive} stays in the
 * foreground and logs to stderr.
 */
public final class DaemonMain {
    private DaemonMain() {}

    public static void main(String[] args) {
        boolean interactive = false;
        Path readyFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-i":
                case "--interactive":
                    interactive = true;
                    break;
                case "--ready-file":
                    if (i + 1 >= args.length) {
                        fail(null, "--ready-file needs a path");
                    }
                    readyFile = Path.of(args[++i]);
                    break;
                case "-h":
                case "--help":
                    System.out.println("usage: jctdbd [--interactive]\n"
                            + "Starts the JCTDB daemon of the node configured in $CTDB_BASE (default "
                            + Layout.DEFAULT_BASE
                            + ").\n  -i, --interactive  stay in the foreground and log to stderr");
                    System.exit(0);
                    break;
                default:
                    fail(readyFile, "unknown option " + args[i] + " (try --help)");
            }
        }
        Layout layout = Layout.fromEnvironment();
        NodeConfig config = null;
        try {
            config = NodeConfig.load(layout);
            TunableRules.check(config);
        } catch (ConfigException e) {
            fail(readyFile, "invalid configuration: " + e.getMessage());
        }
        Optional<String> noLockClient =
                ClusterLocks.missingClient(config.conf().clusterLock().orElse(null));
        if (noLockClient.isPresent()) {
            fail(readyFile, noLockClient.get());
        }
        Logging.configure(
                interactive ? "stderr" : config.conf().logLocation(),
                config.conf().logLevel());
        Logger log = LoggerFactory.getLogger("jctdb.daemon");
        if (alreadyRunning(layout.socket())) {
            fail(readyFile, "a daemon is already running for this node (" + layout.socket() + " answers)");
        }
        Daemon daemon = new Daemon(config);
        MetricsEndpoint metrics = null;
        try {
            Files.createDirectories(layout.runDir());
            replaceStalePidFile(layout.pidFile(), log);
            Files.writeString(layout.pidFile(), daemon.pid() + "\n");
            daemon.start(new CommandRunner(daemon), Installation.current());
            metrics = startMetrics(layout, daemon, log);
        } catch (IOException e) {
            log.error("cannot start: {}", e.getMessage());
            daemon.close();
            fail(readyFile, "cannot start: " + e.getMessage());
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            daemon.stopped().complete("terminated by signal");
                        },
                        "jctdb-signal"));
        installSignalHandlers(daemon, log);
        signalReady(readyFile, "ready " + daemon.pid());
        if (!interactive) {
            Logging.captureStderr();
        }
        String why = daemon.stopped().join();
        log.info("stopping: {}", why);
        if (metrics != null) {
            metrics.close();
        }
        daemon.close();
        try {
            Files.deleteIfExists(layout.pidFile());
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", layout.pidFile(), e.getMessage());
        }
        log.info("stopped");
        Runtime.getRuntime().halt(0);
    }

    /**
     * SIGTERM and SIGINT shut down as `jctdb shutdown` does (addresses released, PID file and socket
     * removed); SIGHUP reopens the log file (logrotate) and re-reads the cluster key. Without these
     * handlers the JVM would die on SIGHUP and skip the release on SIGTERM.
     */
    private static void installSignalHandlers(Daemon daemon, Logger log) {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                log.info("SIGHUP: {}", Logging.reopen());
                daemon.reloadClusterKeys().thenAccept(problem -> {
                    if (problem.isEmpty()) {
                        log.info("SIGHUP: cluster key re-read");
                    } else {
                        log.error("SIGHUP: keeping the cluster key in use: {}", problem);
                    }
                });
            });
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // The JVM keeps a signal ignored at its start ignored (started under nohup, say): say so.
                log.warn("SIGHUP was ignored by whatever started jctdbd (nohup?): log reopening and key"
                        + " re-reading on SIGHUP are off; start it without that");
            }
            AtomicInteger stops = new AtomicInteger();
            sun.misc.SignalHandler stop = s -> {
                if (stops.getAndIncrement() == 0) {
                    daemon.shutdown("SIG" + s.getName());
                } else {
                    daemon.stopped().complete("SIG" + s.getName() + " again: stopping without waiting");
                }
            };
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
        } catch (IllegalArgumentException e) {
            log.warn("cannot handle signals ({}); SIGHUP will stop the daemon", e.getMessage());
        }
    }

    /** The Prometheus endpoint when ctdb.conf asks for one ([metrics] listen), else null. */
    private static MetricsEndpoint startMetrics(Layout layout, Daemon daemon, Logger log) throws IOException {
        MetricsConf conf;
        try {
            conf = MetricsConf.read(layout.ctdbConf());
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (conf.listen().isEmpty()) {
            return null;
        }
        try {
            MetricsEndpoint m = MetricsEndpoint.start(conf.listen().get(), daemon, daemon.metrics());
            log.info("metrics: Prometheus endpoint on {}", conf.listen().get());
            return m;
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen for metrics on " + conf.listen().get() + ": " + e.getMessage(), e);
        }
    }

    /** A PID file whose process is gone (a crash, kill -9) is replaced with a line in the log. */
    private static void replaceStalePidFile(Path pidFile, Logger log) {
        try {
            String text = Files.readString(pidFile).strip();
            long pid = Long.parseLong(text);
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            log.warn(
                    "replacing {} of process {}, {}",
                    pidFile,
                    pid,
                    alive ? "which runs but does not answer on the socket" : "which no longer runs");
        } catch (NoSuchFileException e) {
            // the usual case
        } catch (IOException | NumberFormatException e) {
            log.warn("replacing unreadable {}: {}", pidFile, e.getMessage());
        }
    }

    private static boolean alreadyRunning(Path socket) {
        try {
            ControlClient.call(socket, List.of("pnn"), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void signalReady(Path readyFile, String text) {
        if (readyFile == null) {
            return;
        }
        try {
            Files.writeString(readyFile, text + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("jctdbd: cannot write " + readyFile + ": " + e.getMessage());
        }
    }

    private static void fail(Path readyFile, String message) {
        System.err.println("jctdbd: " + message);
        signalReady(readyFile, "failed: " + message);
        System.exit(1);
    }
}
