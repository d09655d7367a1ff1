package org.jctdb.database;

import org.jctdb.control.Statistics;

/** min/avg/max of durations for `jctdb statistics` (record calls, lock waits); thread-safe. */
public final class LatencyCounter {
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    public synchronized void add(long nanos) {
        count++;
        sum += nanos;
        min = Math.min(min, nanos);
        max = Math.max(max, nanos);
    }

    public synchronized Statistics.Latency latency() {
        return count == 0
                ? Statistics.Latency.NONE
                : new Statistics.Latency(min / 1e9, sum / 1e9 / count, max / 1e9, count);
    }

    public synchronized void reset() {
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = 0;
    }
}
