package org.jctdb.transport;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The node mesh's share of `jctdb statistics`: messages and keepalives each way. */
public final class MeshCounters {
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder keepalivesSent = new LongAdder();
    final LongAdder keepalivesReceived = new LongAdder();

    public long sent() {
        return sent.sum();
    }

    public long received() {
        return received.sum();
    }

    public long keepalivesSent() {
        return keepalivesSent.sum();
    }

    public long keepalivesReceived() {
        return keepalivesReceived.sum();
    }

    public void reset() {
        List.of(sent, received, keepalivesSent, keepalivesReceived).forEach(LongAdder::reset);
    }
}
