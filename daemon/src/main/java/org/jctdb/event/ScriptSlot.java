package org.jctdb.event;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The latest run of one script: its session, and whether it is being killed. The engine never
 * starts a script while the session of its previous run still has a live process. Lane-confined.
 */
final class ScriptSlot {
    final String name;
    final int sid;
    final long startTick;
    final Instant start;
    final ProcessHandle leader;
    /** Completes when a kill sequence ends; null when none was started. */
    CompletableFuture<Void> killDone;

    boolean unkillable;
    /** Set once the session was seen empty; no more /proc scans needed. */
    boolean gone;

    ScriptSlot(String name, int sid, long startTick, Instant start, ProcessHandle leader) {
        this.name = name;
        this.sid = sid;
        this.startTick = startTick;
        this.start = start;
        this.leader = leader;
    }

    boolean killing() {
        return killDone != null && !killDone.isDone();
    }
}
