package org.jctdb.client;

import java.nio.ByteBuffer;
import java.util.List;
import org.jctdb.control.Statistics;
import org.jctdb.protocol.ctdb.CtdbWire;

/**
 * The reply of CTDB's STATISTICS control: struct ctdb_statistics as ctdb 4.17 lays it out on 64-bit
 * Linux (host order, 488 bytes), so that Debian's `ctdb statistics` can read jctdbd's counters.
 * Counters are 32-bit there: larger values wrap, as they do in ctdbd.
 */
final class StatisticsWire {
    /** 25 counters, the padding before the first latency, ..., two timevals and two counters. */
    static final int SIZE = 488;

    private static final int BUCKETS = 16;

    private StatisticsWire() {}

    static byte[] encode(Statistics s) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(CtdbWire.ORDER);
        u32(b, s.numClients(), s.frozen(), s.recovering());
        u32(b, s.client().packetsSent(), s.client().packetsReceived());
        u32(b, s.node().packetsSent(), s.node().packetsReceived());
        u32(b, s.keepalivesSent(), s.keepalivesReceived());
        Statistics.Node n = s.node();
        u32(b, n.reqCall(), n.replyCall(), n.reqDmaster(), n.replyDmaster(), n.replyError());
        u32(b, n.reqMessage(), n.reqControl(), n.replyControl(), 0 /* req_tunnel */);
        Statistics.Client c = s.client();
        u32(b, c.reqCall(), c.reqMessage(), c.reqControl(), 0 /* req_tunnel */);
        u32(b, 0 /* call timeouts: calls have no deadline here */, s.controlTimeouts(), s.traverseTimeouts());
        b.putInt(0); // the latency counters that follow hold doubles: 8-byte aligned
        latency(b, Statistics.Latency.NONE); // reclock, ctdbd
        latency(b, Statistics.Latency.NONE); // reclock, recovery daemon
        Statistics.Locks l = s.locks();
        u32(b, l.numCalls(), l.numCurrent(), l.numPending(), l.numFailed());
        latency(b, s.lockWaitLatency());
        b.position(b.position() + 4 * BUCKETS); // lock buckets: not bucketed here
        u32(b, s.totalCalls(), s.pendingCalls(), 0 /* childwrite_calls */, 0 /* pending childwrite */);
        u32(b, s.memoryUsed(), 0 /* __last_counter */, s.maxHopCount());
        List<Long> hops = s.hopCountBuckets();
        for (int i = 0; i < BUCKETS; i++) {
            b.putInt(i < hops.size() ? (int) (long) hops.get(i) : 0);
        }
        b.putInt(0);
        latency(b, s.callLatency());
        latency(b, Statistics.Latency.NONE); // childwrite
        u32(b, s.numRecoveries());
        b.putInt(0);
        timeval(b, s.collectedSinceMillis());
        timeval(b, s.nowMillis());
        u32(b, 0 /* total_ro_delegations */, 0 /* total_ro_revokes */);
        return b.array();
    }

    private static void u32(ByteBuffer b, long... values) {
        for (long v : values) {
            b.putInt((int) v);
        }
    }

    /** struct ctdb_latency_counter: int num, padding, double min, max, total (seconds). */
    static void latency(ByteBuffer b, Statistics.Latency l) {
        b.putInt((int) l.count()).putInt(0);
        b.putDouble(l.min()).putDouble(l.max()).putDouble(l.avg() * l.count());
    }

    private static void timeval(ByteBuffer b, long millis) {
        b.putLong(millis / 1000).putLong((millis % 1000) * 1000);
    }
}
