package org.jctdb.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a node keeps its files. With {@code CTDB_BASE} set, everything (socket, PID file, log,
 * state) lives under that directory, so several nodes can run on one machine; without it the
 * system locations are used. {@code CTDB_SOCKET} overrides the socket as in CTDB.
 * This class is on the command's start-up path: it must stay free of heavy dependencies.
 */
public record Layout(Path base, Path runDir, Path socket, Path pidFile, Path varDir, String defaultLogLocation) {
    public static final String DEFAULT_BASE = "/etc/jctdb";

    public static Layout fromEnvironment(Map<String, String> env) {
        String baseEnv = env.get("CTDB_BASE");
        boolean local = baseEnv != null && !baseEnv.isEmpty();
        Path base = Path.of(local ? baseEnv : DEFAULT_BASE).toAbsolutePath().normalize();
        Path runDir = local ? base.resolve("run") : Path.of("/run/jctdb");
        String socketEnv = env.get("CTDB_SOCKET");
        Path socket = socketEnv != null && !socketEnv.isEmpty() ? Path.of(socketEnv) : runDir.resolve("jctdbd.socket");
        Path varDir = local ? base.resolve("var") : Path.of("/var/lib/jctdb");
        String log = "file:" + (local ? base.resolve("log.jctdb") : Path.of("/var/log/jctdb/log.jctdb"));
        return new Layout(base, runDir, socket, runDir.resolve("jctdbd.pid"), varDir, log);
    }

    public static Layout fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public Path ctdbConf() {
        return base.resolve("ctdb.conf");
    }

    public Path nodesFile() {
        return base.resolve("nodes");
    }

    public Path publicAddressesFile() {
        return base.resolve("public_addresses");
    }

    public Path tunablesFile() {
        return base.resolve("ctdb.tunables");
    }

    /** The cluster key (docs/design/security.md); always beside the configuration. */
    public Path clusterKey() {
        return base.resolve(ClusterKeys.FILE_NAME);
    }

    public Path eventScriptDir() {
        return base.resolve("events").resolve("legacy");
    }

    /** Per-script state (failure counters and the like), CTDB's CTDB_SCRIPT_VARDIR. */
    public Path scriptVarDir() {
        return varDir.resolve("scripts");
    }
}
