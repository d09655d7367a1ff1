package org.jctdb.transport;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs refused connections without letting a flood of them fill the disk: the first refusal from
 * an address is logged at once, later ones at most once per interval with how many were left out.
 * Used only on the mesh's I/O thread.
 */
final class RefusalLog {
    private static final int MAX_ADDRESSES = 256;

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<String, long[]> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    RefusalLog(Logger log, long intervalNanos, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** Returns true if this refusal was logged, false if it was counted for a later line. */
    boolean refused(InetAddress remote, String why) {
        String who = remote == null ? "?" : remote.getHostAddress();
        long now = clock.getAsLong();
        long[] entry = seen.get(who); // {last logged, suppressed since}
        if (entry != null && now - entry[0] < intervalNanos) {
            entry[1]++;
            return false;
        }
        long suppressed = entry == null ? 0 : entry[1];
        seen.put(who, new long[] {now, 0});
        if (suppressed > 0) {
            log.warn(
                    "refused connection from {}: {} (and {} more refused from this address since the last such line)",
                    who,
                    why,
                    suppressed);
        } else {
            log.warn("refused connection from {}: {}", who, why);
        }
        return true;
    }
}
