package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Puts each outgoing frame's 4-byte big-endian length in front of it (what {@link FrameDecoder} reads). A frame
 * from {@link FrameCodec} has {@link #HEADROOM} bytes reserved before its payload, so the length goes there and
 * the frame leaves as the one buffer it was encoded into (no second buffer, no promise combiner, no copy into a
 * direct buffer: this is on every record migration's path). Anything else (handshake messages) is copied behind
 * a fresh length.
 */
@ChannelHandler.Sharable
final class FramePrefix extends ChannelOutboundHandlerAdapter {
    /** The bytes FrameCodec leaves free before a payload. */
    static final int HEADROOM = 4;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.write(msg, promise);
            return;
        }
        int length = frame.readableBytes();
        if (frame.readerIndex() == HEADROOM && frame.refCnt() == 1 && !frame.isReadOnly()) {
            frame.setInt(0, length);
            frame.readerIndex(0);
            ctx.write(frame, promise);
            return;
        }
        ByteBuf out = ctx.alloc().directBuffer(HEADROOM + length);
        try {
            out.writeInt(length).writeBytes(frame, frame.readerIndex(), length);
        } finally {
            frame.release();
        }
        ctx.write(out, promise);
    }
}
