package org.jctdb.health;

import java.util.Collection;

/** The node's storage verdict: healthy when every probed path is, else the first reason. */
public record NodeVerdict(boolean healthy, String reason) {
    public static NodeVerdict of(Collection<PathStatus> paths, long nowMillis) {
        for (PathStatus p : paths) {
            if (!p.healthy()) {
                return new NodeVerdict(false, p.describe(nowMillis));
            }
        }
        return new NodeVerdict(true, "");
    }
}
