package org.jctdb.client;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process connected to the CTDB client socket (an smbd, winbindd, the ctdb tool): its pid
 * from SO_PEERCRED (0 when unknown) and the srvids it registered. Sends are thread-safe (Netty
 * queues writes from other threads behind those of the event loop, so order per sender holds).
 */
public final class ClientConnection {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");

    private final Channel channel;
    private final int pid;
    private final long number;
    private final Set<Long> srvids = ConcurrentHashMap.newKeySet();
    private final LongAdder sent;

    ClientConnection(Channel channel, int pid, long number, LongAdder sent) {
        this.channel = channel;
        this.pid = pid;
        this.number = number;
        this.sent = sent;
    }

    public int pid() {
        return pid;
    }

    Set<Long> srvids() {
        return srvids;
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Encodes (padded to 8 bytes, as ctdbd does) and writes one packet; dropped if the client left. */
    void send(CtdbCodec codec, CtdbHeader header, CtdbPacket packet) {
        if (!channel.isActive()) {
            return;
        }
        byte[] wire;
        try {
            wire = codec.encode(header, packet);
        } catch (IllegalArgumentException e) {
            log.warn("{}: cannot send {}: {}", this, CtdbHeader.operationName(header.operation()), e.getMessage());
            return;
        }
        sent.increment();
        channel.writeAndFlush(channel.alloc().buffer(wire.length).writeBytes(wire));
    }

    void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "client #" + number + " (pid " + (pid > 0 ? String.valueOf(pid) : "unknown") + ")";
    }
}
