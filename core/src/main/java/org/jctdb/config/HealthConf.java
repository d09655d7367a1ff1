package org.jctdb.config;

import java.util.List;

/**
 * JCTDB's {@code [health]} section of ctdb.conf: what the built-in cluster filesystem probe
 * watches besides the cluster lock's directory, how it probes, and the optional last resort
 * when storage stays hung. Probe timing is in tunables (HealthProbe*), so it can change at run
 * time.
 *
 * @param extraPaths          {@code extra paths}: absolute paths probed like the lock's directory
 * @param probeCommand        {@code probe command}: program and arguments; the path is appended.
 *                            Empty means the built-in {@code stat}
 * @param shutdownWhenHung    {@code hung storage action = shutdown} (default {@code none})
 * @param hungTimeoutSeconds  {@code hung storage timeout}: how long storage must be hung before
 *                            the action runs
 */
public record HealthConf(
        List<String> extraPaths, List<String> probeCommand, boolean shutdownWhenHung, int hungTimeoutSeconds) {
    public static final int DEFAULT_HUNG_TIMEOUT_SECONDS = 300;

    public HealthConf {
        extraPaths = List.copyOf(extraPaths);
        probeCommand = List.copyOf(probeCommand);
    }

    public static HealthConf defaults() {
        return new HealthConf(List.of(), List.of(), false, DEFAULT_HUNG_TIMEOUT_SECONDS);
    }
}
