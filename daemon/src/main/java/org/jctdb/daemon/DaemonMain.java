package org.jctdb.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jctdb.cli.CommandRunner;
import org.jctdb.config.Installation;
import org.jctdb.config.ConfigException;
import org.jctdb.config.Layout;
import org.jctdb.config.NodeConfig;
import org.jctdb.control.ControlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jctdbd}: starts the daemon of the node configured in $CTDB_BASE. The bin/jctdbd
 * launcher runs this in the background and waits on {@code --ready-file} for the outcome,
 * so start-up errors still reach the terminal; {@code --interactive} stays in the
 * foreground and logs to stderr.
 */
public final class DaemonMain {
    private DaemonMain() {
    }

    public static void main(String[] args) {
        boolean interactive = false;
        Path readyFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-i": case "--interactive": interactive = true; break;
                case "--ready-file":
                    if (i + 1 >= args.length) {
                        fail(null, "--ready-file needs a path");
                    }
                    readyFile = Path.of(args[++i]);
                    break;
                case "-h": case "--help":
                    System.out.println("usage: jctdbd [--interactive]\n"
                            + "Starts the JCTDB daemon of the node configured in $CTDB_BASE (default "
                            + Layout.DEFAULT_BASE + ").\n  -i, --interactive  stay in the foreground and log to stderr");
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
        } catch (ConfigException e) {
            fail(readyFile, "invalid configuration: " + e.getMessage());
        }
        Logging.configure(interactive ? "stderr" : config.conf().logLocation(), config.conf().logLevel());
        Logger log = LoggerFactory.getLogger("jctdb.daemon");
        if (alreadyRunning(layout.socket())) {
            fail(readyFile, "a daemon is already running for this node (" + layout.socket() + " answers)");
        }
        Daemon daemon = new Daemon(config);
        try {
            Files.createDirectories(layout.runDir());
            Files.writeString(layout.pidFile(), daemon.pid() + "\n");
            daemon.start(new CommandRunner(daemon), Installation.current());
        } catch (IOException e) {
            log.error("cannot start: {}", e.getMessage());
            daemon.close();
            fail(readyFile, "cannot start: " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stopped().complete("terminated by signal");
        }, "jctdb-signal"));
        signalReady(readyFile, "ready " + daemon.pid());
        String why = daemon.stopped().join();
        log.info("stopping: {}", why);
        daemon.close();
        try {
            Files.deleteIfExists(layout.pidFile());
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", layout.pidFile(), e.getMessage());
        }
        log.info("stopped");
        Runtime.getRuntime().halt(0);
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
