package org.jctdb.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One connection's keepalive timing, checked by the mesh on its timer grid ({@link #check}, when
 * {@link #nextCheckAt} of some connection falls due) instead of by timers of its own: an idle node's timers then share the I/O thread's wake-ups (Netty's idle
 * handlers woke it about 1.5 times a second apart from the grid, each at its own moment). Tells
 * {@link PeerHandler}, with the events it had from Netty's IdleStateHandler before:
 * <ul>
 *   <li>nothing written for an interval: a writer-idle event (it sends a keepalive);
 *   <li>nothing read for interval x limit: a reader-idle event (it drops the peer);
 *   <li>a keepalive half an interval late is missed, and one more in each further interval: {@link
 *       #MISSED} (metrics; the half interval absorbs timer jitter, both nodes' timers have one period).
 * </ul>
 * Read and write times are taken when they happen; only the check waits for the grid, so an event
 * comes at most one check period late ({@link #checkMillis}). I/O thread only.
 */
final class Keepalives extends ChannelDuplexHandler {
    /** The user event PeerHandler hears for each missed keepalive. */
    static final Object MISSED = new Object();

    private final long intervalNanos;
    private final long silenceNanos;
    private final long checkNanos; // the mesh's check period
    private final Collection<Keepalives> checked; // the mesh's handlers of live connections
    private final LongSupplier clock;
    private final Runnable moved; // the mesh moves its check to the connections' earliest next check
    private ChannelHandlerContext ctx;
    private boolean live; // in checked
    private long lastRead;
    private long lastWrite;
    private boolean reading;
    private long missesTold; // since the last read
    private boolean silenceTold;

    /**
     * {@code moved} runs when {@link #nextCheckAt} may have moved: the connection joined {@code checked},
     * or read or wrote at least one check period after its previous read or write. That puts a due check
     * off, so the mesh's timer is not left armed for a check that would find nothing to do; reads and
     * writes closer together (traffic) do not re-arm it per frame ({@code tellMoved}).
     */
    Keepalives(long keepaliveMillis, long silenceLimitMillis, Collection<Keepalives> checked, Runnable moved) {
        this(keepaliveMillis, silenceLimitMillis, checked, System::nanoTime, moved);
    }

    /** With the clock of {@link #check}'s times given (tests). */
    Keepalives(long keepaliveMillis, long silenceLimitMillis, Collection<Keepalives> checked, LongSupplier clock) {
        this(keepaliveMillis, silenceLimitMillis, checked, clock, () -> {});
    }

    Keepalives(
            long keepaliveMillis,
            long silenceLimitMillis,
            Collection<Keepalives> checked,
            LongSupplier clock,
            Runnable moved) {
        this.clock = clock;
        this.moved = moved;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, keepaliveMillis));
        this.silenceNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, silenceLimitMillis));
        this.checkNanos = TimeUnit.MILLISECONDS.toNanos(checkMillis(keepaliveMillis));
        this.checked = checked;
    }

    /** How often the mesh checks: a quarter second, finer for keepalive intervals under 2 s (tests). */
    static long checkMillis(long keepaliveMillis) {
        return Math.max(1, Math.min(250, keepaliveMillis / 8));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            begin();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        begin();
        super.channelActive(ctx);
    }

    private void begin() {
        if (!live) {
            live = true;
            checked.add(this);
            lastRead = lastWrite = clock.getAsLong();
            moved.run();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        end();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        end();
    }

    private void end() {
        if (live) {
            live = false;
            checked.remove(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (reading) {
            reading = false;
            long previous = lastRead;
            lastRead = clock.getAsLong();
            missesTold = 0;
            silenceTold = false;
            tellMoved(previous, lastRead);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        long previous = lastWrite;
        lastWrite = clock.getAsLong();
        tellMoved(previous, lastWrite);
        ctx.write(msg, promise);
    }

    /**
     * A read or write moved its time from {@code previous} to {@code now}: tells the mesh, unless the
     * time moved by less than one check period. Then the next check moves by at most one point of the
     * grid, and a check that runs early finds nothing and asks again; so traffic (a message every few
     * microseconds under load) does not re-arm the mesh's timer per frame, and an idle link, whose reads
     * and writes come seconds apart, still never has the thread woken for nothing.
     */
    private void tellMoved(long previous, long now) {
        if (live && now - previous >= checkNanos) {
            moved.run();
        }
    }

    /**
     * The earliest time (on the clock of {@link #check}) from which a check tells something, as the
     * state is now; {@code Long.MAX_VALUE} for a connection no longer checked. Reads and writes only
     * move it later, so the mesh checks at this time, finds perhaps nothing, and asks again.
     */
    long nextCheckAt() {
        if (!live) {
            return Long.MAX_VALUE;
        }
        long next = lastWrite + intervalNanos;
        if (!silenceTold) {
            next = Math.min(next, lastRead + silenceNanos);
            long miss = (missesTold + 1) * intervalNanos + intervalNanos / 2;
            if (miss < silenceNanos) {
                next = Math.min(next, lastRead + miss);
            }
        }
        return next;
    }

    /** The grid's check at {@code now} (System.nanoTime): fires the events due since the last one. */
    void check(long now) {
        if (!live) {
            return;
        }
        long silent = now - lastRead;
        // Misses fall at 1.5, 2.5, 3.5 ... intervals of silence, before the drop (which counts the last).
        while (!silenceTold) {
            long point = (missesTold + 1) * intervalNanos + intervalNanos / 2;
            if (point > silent || point >= silenceNanos) {
                break;
            }
            missesTold++;
            ctx.fireUserEventTriggered(MISSED);
        }
        if (silent >= silenceNanos && !silenceTold) {
            silenceTold = true;
            ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
        if (now - lastWrite >= intervalNanos && ctx.channel().isActive()) {
            lastWrite = now; // the next one an interval later if PeerHandler writes nothing (before its handshake)
            ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        }
    }
}
