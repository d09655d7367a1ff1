package org.jctdb.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Counts a peer's missed keepalives for the metrics; the drop after KeepaliveInterval x
 * KeepaliveLimit of silence stays with the mesh's own IdleStateHandler. A keepalive half an
 * interval late is missed (the half interval absorbs timer jitter: both nodes' timers run with
 * the same period), and so is one in each further interval. Tells {@link PeerHandler} with
 * {@link #MISSED}; its idle events go no further.
 */
final class MissedKeepalives extends IdleStateHandler {
    /** The user event PeerHandler hears for each miss. */
    static final Object MISSED = new Object();

    private long silentHalves;

    MissedKeepalives(long keepaliveMillis) {
        super(Math.max(1, keepaliveMillis / 2), 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        // Netty repeats the event every half interval of silence; the first after a read starts the count.
        silentHalves = evt.isFirst() ? 1 : silentHalves + 1;
        if (silentHalves >= 3 && silentHalves % 2 == 1) {
            ctx.fireUserEventTriggered(MISSED);
        }
    }
}
