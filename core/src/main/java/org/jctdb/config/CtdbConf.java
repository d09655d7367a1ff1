package org.jctdb.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The settings of ctdb.conf that JCTDB uses, with CTDB 4.17's defaults.
 *
 * @param clusterLock     {@code [cluster] cluster lock}: a path, or {@code !helper args}; empty means none
 * @param leaderTimeout   seconds without a leader broadcast before an election
 * @param port            JCTDB extension {@code [cluster] port}: the TCP port between nodes (CTDB's 4379)
 * @param warnings        non-fatal remarks found while reading, each naming its line
 * @param health          JCTDB extension {@code [health]}: the cluster filesystem probe
 * @param database        the {@code [database]} directories and the CTDB client socket
 * @param peerAuthentication JCTDB extension {@code [cluster] authentication}: key (default) makes nodes
 *                        prove they hold the cluster key; none is CTDB's trust in the private network
 */
public record CtdbConf(
        String logLocation,
        LogLevel logLevel,
        Optional<String> clusterLock,
        boolean leaderCapability,
        int leaderTimeout,
        Optional<InetAddress> nodeAddress,
        int port,
        Optional<String> eventDebugScript,
        boolean failoverDisabled,
        boolean startAsStopped,
        boolean startAsDisabled,
        LogLevel scriptLogLevel,
        List<String> warnings,
        HealthConf health,
        DatabaseConf database,
        boolean peerAuthentication) {

    public static final int DEFAULT_PORT = 4379;

    /** The configuration of a node whose ctdb.conf is absent: every option at its default. */
    public static CtdbConf defaults(String defaultLogLocation) {
        return new CtdbConf(
                defaultLogLocation,
                LogLevel.NOTICE,
                Optional.empty(),
                true,
                5,
                Optional.empty(),
                DEFAULT_PORT,
                Optional.empty(),
                false,
                false,
                false,
                LogLevel.ERROR,
                List.of(),
                HealthConf.defaults(),
                DatabaseConf.defaults(),
                true);
    }
}
