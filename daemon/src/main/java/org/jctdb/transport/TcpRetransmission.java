package org.jctdb.transport;

import io.netty.channel.ChannelException;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a link's retransmissions frequent through a cut, so that the link works again soon after
 * the cut heals. TCP doubles its retransmission timeout after each unanswered try: after a cut of a
 * few seconds the next try may be seconds away, one direction at a time (seen with {@code ss -ti}:
 * timers of 1.6-3.4 s after a 3 s cut), and until it comes a healed node's reports arrive while the
 * leader's grants wait (docs/design/ip-failover.md, "A node takes only what reaches it"). A mesh
 * link is a thin stream (a few small messages a second), which is what Linux's linear timeouts are
 * for: the first six retries keep the base timeout. Kernels from 6.15 also cap the timeout
 * (TCP_RTO_MAX_MS, at least 1 s): one retry a second at most, for as long as the cut lasts.
 * Older kernels refuse the cap; the link then works as before (logged once).
 */
final class TcpRetransmission {
    private static final Logger log = LoggerFactory.getLogger("jctdb.transport");
    private static final int IPPROTO_TCP = 6;
    private static final IntegerUnixChannelOption THIN_LINEAR_TIMEOUTS =
            new IntegerUnixChannelOption("TCP_THIN_LINEAR_TIMEOUTS", IPPROTO_TCP, 16);
    private static final IntegerUnixChannelOption RTO_MAX_MS =
            new IntegerUnixChannelOption("TCP_RTO_MAX_MS", IPPROTO_TCP, 44);
    /** The kernel's smallest allowed cap. */
    static final int MAX_TIMEOUT_MILLIS = 1000;

    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    /** Sets both options on a new connection; what the kernel refuses is logged once per mesh. */
    void shorten(SocketChannel ch) {
        set(ch, THIN_LINEAR_TIMEOUTS, 1);
        set(ch, RTO_MAX_MS, MAX_TIMEOUT_MILLIS);
    }

    private void set(SocketChannel ch, IntegerUnixChannelOption option, int value) {
        try {
            if (!ch.config().setOption(option, value)) {
                refused(option, "not a native socket");
            }
        } catch (ChannelException e) {
            refused(option, e.getMessage());
        }
    }

    private void refused(IntegerUnixChannelOption option, String why) {
        if (refusalLogged.compareAndSet(false, true)) {
            log.info(
                    "the kernel refused {} on mesh links ({}): after a cut heals, a link may wait for"
                            + " TCP's backed-off retransmission timer, up to seconds",
                    option.name(),
                    why);
        }
    }
}
