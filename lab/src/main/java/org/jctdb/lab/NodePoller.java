package org.jctdb.lab;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls one node on its own thread, so a paused or hung daemon delays nobody: the sampler
 * reads the latest answer, and a poll that has been waiting longer than {@code staleMs}
 * counts as "did not answer" even before its deadline ends it.
 */
final class NodePoller implements AutoCloseable {
    private final ClusterUnderTest system;
    private final int pnn;
    private final long deadlineMs;
    private final long staleMs;
    private final Thread thread;
    private volatile boolean stop;
    private volatile ClusterUnderTest.Poll latest = ClusterUnderTest.Poll.NONE;
    private volatile long inFlightSince = -1;

    NodePoller(ClusterUnderTest system, int pnn) {
        this.system = system;
        this.pnn = pnn;
        this.deadlineMs = system.answerWithinMs();
        this.staleMs = system.answerWithinMs();
        this.thread = new Thread(this::loop, "lab-poll-" + pnn);
        thread.setDaemon(true);
    }

    NodePoller start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (!stop) {
            long begin = System.nanoTime();
            inFlightSince = begin;
            ClusterUnderTest.Poll p = system.poll(pnn, deadlineMs);
            latest = p;
            inFlightSince = -1;
            long left = system.pollIntervalMs() - (System.nanoTime() - begin) / 1_000_000;
            if (left > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(left));
            }
        }
    }

    /** The latest answer, or "did not answer" if the poll in flight has waited too long. */
    ClusterUnderTest.Poll current() {
        long since = inFlightSince;
        if (since >= 0 && System.nanoTime() - since > staleMs * 1_000_000) {
            return ClusterUnderTest.Poll.NONE;
        }
        return latest;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
