package org.jctdb.health;

import java.nio.file.Path;

/** What changed for a path: reported once per change, never once per probe. */
public sealed interface HealthEdge permits HealthEdge.StateChanged, HealthEdge.VerdictChanged {

    /** The path's state moved from {@code from} to the state in {@code status}. */
    record StateChanged(ProbeState from, PathStatus status) implements HealthEdge {}

    /** The path's failures crossed the threshold, one way or the other. */
    record VerdictChanged(Path path, boolean healthy, PathStatus status) implements HealthEdge {}
}
