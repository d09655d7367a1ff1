package org.jctdb.health;

import java.util.List;

/**
 * A snapshot for `jctdb health` and `jctdb status`, immutable and safe to read from any thread.
 *
 * @param nowMillis          ticker time the report describes; durations are relative to it
 * @param shutdownAfterMillis the hung storage timeout when the shutdown action is on, else -1
 */
public record HealthReport(
        long nowMillis, boolean healthy, String reason, List<PathReport> paths, long shutdownAfterMillis) {

    public HealthReport {
        paths = List.copyOf(paths);
    }

    /**
     * One path.
     *
     * @param clusterLock         whether this is the cluster lock's directory
     * @param hungProbes          probe processes alive past their deadline (0 or 1: never more)
     * @param unkillableProcesses processes of that probe that survived SIGKILL
     * @param unkillable          those processes: pid, name, state and wait channel
     */
    public record PathReport(
            PathStatus status, boolean clusterLock, int hungProbes, int unkillableProcesses, List<String> unkillable) {
        public PathReport {
            unkillable = List.copyOf(unkillable);
        }
    }

    public HealthReport at(long now) {
        return new HealthReport(now, healthy, reason, paths, shutdownAfterMillis);
    }

    public static long forMillis(HealthReport r, PathReport p) {
        return Math.max(0, r.nowMillis() - p.status().sinceMillis());
    }
}
