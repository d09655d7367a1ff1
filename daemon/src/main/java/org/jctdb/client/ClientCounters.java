package org.jctdb.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jctdb.control.Statistics;
import org.jctdb.database.LatencyCounter;
import org.jctdb.database.migration.PeerMessage;
import org.jctdb.mesh.WireMessage;

/**
 * The CTDB socket's share of `jctdb statistics`: packets by kind, record calls in flight and their
 * latency, hop counts. Updated from the I/O thread and read by commands; reset by statisticsreset.
 */
public final class ClientCounters {
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder reqCall = new LongAdder();
    final LongAdder reqMessage = new LongAdder();
    final LongAdder reqControl = new LongAdder();
    final LongAdder controlTimeouts = new LongAdder();
    final LongAdder traverseTimeouts = new LongAdder();
    final LongAdder pendingCalls = new LongAdder();
    // from other nodes, by the CTDB packet each message stands for
    private final LongAdder nodeReqCall = new LongAdder();
    private final LongAdder nodeReqDmaster = new LongAdder();
    private final LongAdder nodeReplyDmaster = new LongAdder();
    private final LongAdder nodeReplyError = new LongAdder();
    private final LongAdder nodeReqMessage = new LongAdder();
    private final LongAdder nodeReqControl = new LongAdder();
    private final LongAdder nodeReplyControl = new LongAdder();
    private final LatencyCounter calls = new LatencyCounter();
    private final LongAdder[] hopBuckets = new LongAdder[16];
    private final AtomicLong maxHops = new AtomicLong();

    ClientCounters() {
        for (int i = 0; i < hopBuckets.length; i++) {
            hopBuckets[i] = new LongAdder();
        }
    }

    void fromNode(PeerMessage m) {
        LongAdder a;
        if (m instanceof PeerMessage.ReqCall) {
            a = nodeReqCall;
        } else if (m instanceof PeerMessage.ReqDmaster) {
            a = nodeReqDmaster;
        } else if (m instanceof PeerMessage.ReplyDmaster) {
            a = nodeReplyDmaster;
        } else {
            a = nodeReplyError;
        }
        a.increment();
    }

    void fromNode(WireMessage.CtdbRelay.Kind kind) {
        (switch (kind) {
                    case CONTROL -> nodeReqControl;
                    case REPLY -> nodeReplyControl;
                    case MESSAGE -> nodeReqMessage;
                })
                .increment();
    }

    /** The node half, with the mesh's own message counts. */
    public Statistics.Node node(long packetsSent, long packetsReceived) {
        return new Statistics.Node(
                packetsSent,
                packetsReceived,
                nodeReqCall.sum(),
                0, // no REPLY_CALL between nodes: the answer to a call is the record migrating here
                nodeReqDmaster.sum(),
                nodeReplyDmaster.sum(),
                nodeReplyError.sum(),
                nodeReqMessage.sum(),
                nodeReqControl.sum(),
                nodeReplyControl.sum());
    }

    void callDone(long nanos) {
        pendingCalls.decrement();
        calls.add(nanos);
    }

    void hops(int hops) {
        hopBuckets[Statistics.hopBucket(hops)].increment();
        maxHops.accumulateAndGet(hops, Math::max);
    }

    public Statistics.Client client() {
        return new Statistics.Client(sent.sum(), received.sum(), reqCall.sum(), reqMessage.sum(), reqControl.sum());
    }

    public long totalCalls() {
        return reqCall.sum();
    }

    public long pendingCalls() {
        return Math.max(0, pendingCalls.sum());
    }

    public long controlTimeouts() {
        return controlTimeouts.sum();
    }

    public long traverseTimeouts() {
        return traverseTimeouts.sum();
    }

    public int maxHopCount() {
        return (int) maxHops.get();
    }

    public List<Long> hopCountBuckets() {
        List<Long> out = new ArrayList<>();
        for (LongAdder b : hopBuckets) {
            out.add(b.sum());
        }
        return out;
    }

    public Statistics.Latency callLatency() {
        return calls.latency();
    }

    /** statisticsreset (calls in flight stay counted: they are still pending). */
    public void reset() {
        for (LongAdder a : List.of(
                sent,
                received,
                reqCall,
                reqMessage,
                reqControl,
                controlTimeouts,
                traverseTimeouts,
                nodeReqCall,
                nodeReqDmaster,
                nodeReplyDmaster,
                nodeReplyError,
                nodeReqMessage,
                nodeReqControl,
                nodeReplyControl)) {
            a.reset();
        }
        for (LongAdder b : hopBuckets) {
            b.reset();
        }
        maxHops.set(0);
        calls.reset();
    }
}
