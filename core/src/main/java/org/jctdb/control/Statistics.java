package org.jctdb.control;

import java.util.List;

/**
 * What the daemon has done since it started or `statisticsreset` (CTDB's statistics): the packets of
 * its clients and of the node mesh by kind, record calls and their hops, lock waits, recoveries.
 * Counters CTDB keeps for machinery JCTDB does not have (child writes, read-only delegations) are
 * zero, and so are latencies of things it does not time (reclock).
 */
public record Statistics(
        long collectedSinceMillis,
        long nowMillis,
        long numClients,
        long frozen,
        long recovering,
        long numRecoveries,
        Client client,
        Node node,
        long keepalivesSent,
        long keepalivesReceived,
        long controlTimeouts,
        long traverseTimeouts,
        Locks locks,
        long totalCalls,
        long pendingCalls,
        long memoryUsed,
        int maxHopCount,
        List<Long> hopCountBuckets,
        Latency callLatency,
        Latency lockWaitLatency) {

    public Statistics {
        hopCountBuckets = List.copyOf(hopCountBuckets);
    }

    /** Packets from and to the clients of the CTDB socket. */
    public record Client(long packetsSent, long packetsReceived, long reqCall, long reqMessage, long reqControl) {}

    /** Messages between daemons, by the CTDB packet they stand for. */
    public record Node(
            long packetsSent,
            long packetsReceived,
            long reqCall,
            long replyCall,
            long reqDmaster,
            long replyDmaster,
            long replyError,
            long reqMessage,
            long reqControl,
            long replyControl) {}

    /** Lock waits of REQ_CALLs on a busy chain (the lock-wait helper). */
    public record Locks(long numCalls, long numCurrent, long numPending, long numFailed) {}

    /** min/avg/max seconds over {@code count} measurements. */
    public record Latency(double min, double avg, double max, long count) {
        public static final Latency NONE = new Latency(0, 0, 0, 0);
    }

    /** The bucket of a hop count, as CTDB's: 0 for 0 hops, then by powers of 2, the last for all above. */
    public static int hopBucket(int hops) {
        int b = 0;
        while (hops > 0 && b < 15) {
            hops >>= 1;
            b++;
        }
        return b;
    }
}
