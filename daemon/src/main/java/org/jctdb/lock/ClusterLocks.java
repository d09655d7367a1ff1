package org.jctdb.lock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jctdb.common.Ticker;

/** Builds the {@link ClusterLock} named by ctdb.conf's {@code [cluster] cluster lock} value. */
public final class ClusterLocks {
    /** Seconds between re-checks of a held fcntl lock file (CTDB's default is also 5). */
    public static final int RECHECK_SECONDS = 5;
    /** Seconds a re-check may take before the lock is reported UNRESPONSIVE. */
    public static final int RECHECK_TIMEOUT_SECONDS = 5;

    private ClusterLocks() {}

    /**
     * @param value        the config value: empty/null for none, {@code !helper args} for a mutex
     *                     helper (arguments split on blanks), {@code etcd:...} or {@code zookeeper:...}
     *                     (see {@link LockSpec}), anything else is a lock file path
     * @param fcntlHelper  our {@code jctdb_mutex_fcntl_helper} binary (the installation's helper directory)
     * @return empty when no lock is configured (the caller logs the split-brain warning)
     * @throws IllegalArgumentException naming the problem when the value cannot be used
     */
    public static Optional<ClusterLock> fromConfig(
            String value, Path fcntlHelper, LockListener listener, HelperProcessLock.Timing timing) {
        Optional<LockSpec> spec = LockSpec.parse(value);
        if (spec.isPresent()) {
            if (spec.get() instanceof LockSpec.Etcd e) {
                return Optional.of(new EtcdLock(e, listener, Ticker.SYSTEM, timing.acquireTimeoutMs()));
            }
            return Optional.of(new ZooKeeperLock(
                    (LockSpec.ZooKeeper) spec.get(), listener, Ticker.SYSTEM, timing.acquireTimeoutMs()));
        }
        List<String> argv = commandFor(value, fcntlHelper);
        if (argv.isEmpty()) {
            return Optional.empty();
        }
        String trimmed = value.strip();
        if (trimmed.startsWith("!")) {
            // Another program's helper reads no heartbeats: writing them would fill its stdin pipe.
            return Optional.of(new HelperProcessLock(
                    "cluster mutex helper " + String.join(" ", argv),
                    argv,
                    listener,
                    new HelperProcessLock.Timing(timing.acquireTimeoutMs())));
        }
        if (timing.heartbeatSilenceSeconds() > 0) {
            argv = new ArrayList<>(argv);
            argv.add(Integer.toString(timing.heartbeatSilenceSeconds()));
        }
        return Optional.of(new HelperProcessLock("fcntl lock on " + trimmed, argv, listener, timing));
    }

    /**
     * Why the backend a config value names cannot run in this JVM: the etcd and ZooKeeper clients'
     * jars are kept off the daemon's class path unless ctdb.conf's cluster lock names one of them
     * (bin/jctdbd decides; their open jars cost ~2.5 MB of heap per node, bench/README.md "Daemon
     * memory"). Empty when the backend's client is here, or the value names no such backend.
     */
    public static Optional<String> missingClient(String value) {
        Optional<LockSpec> spec = LockSpec.parse(value);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        boolean etcd = spec.get() instanceof LockSpec.Etcd;
        String kind = etcd ? "etcd" : "zookeeper";
        String probe = etcd ? "io.etcd.jetcd.Client" : "org.apache.curator.framework.CuratorFramework";
        try {
            Class.forName(probe, false, ClusterLocks.class.getClassLoader());
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of("cluster lock " + kind + ": the " + kind + " client (" + probe
                    + ") is not on the class path; bin/jctdbd adds the installation's lib/lock jars when"
                    + " ctdb.conf's [cluster] cluster lock starts with etcd: or zookeeper:");
        }
    }

    /**
     * The lock file of a config value naming one (a path, not {@code !helper}, {@code etcd:} or
     * {@code zookeeper:}); its directory is probed as the cluster filesystem.
     */
    public static Optional<Path> lockFile(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.startsWith("!") || v.startsWith("etcd:") || v.startsWith("zookeeper:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(v));
    }

    /** The helper command line for a config value; empty when no lock is configured. */
    public static List<String> commandFor(String value, Path fcntlHelper) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String v = value.strip();
        if (v.startsWith("!")) {
            List<String> argv =
                    new ArrayList<>(Arrays.asList(v.substring(1).strip().split("[ \\t]+")));
            argv.removeIf(String::isEmpty);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException(
                        "cluster lock \"" + value + "\": '!' must be followed by a helper path");
            }
            if (!Path.of(argv.get(0)).isAbsolute()) {
                throw new IllegalArgumentException(
                        "cluster lock helper \"" + argv.get(0) + "\" must be an absolute path");
            }
            return List.copyOf(argv);
        }
        if (!Path.of(v).isAbsolute()) {
            throw new IllegalArgumentException("cluster lock file \"" + v + "\" must be an absolute path");
        }
        if (!Files.isExecutable(fcntlHelper)) {
            throw new IllegalArgumentException("fcntl lock helper " + fcntlHelper + " is missing or not executable");
        }
        return List.of(
                fcntlHelper.toString(),
                v,
                Integer.toString(RECHECK_SECONDS),
                Integer.toString(RECHECK_TIMEOUT_SECONDS));
    }
}
