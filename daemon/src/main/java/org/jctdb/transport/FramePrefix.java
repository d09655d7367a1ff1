package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Puts each outgoing frame's 4-byte big-endian length before it, in one buffer with the frame
 * (the format FrameDecoder reads). Netty's LengthFieldPrepender writes the length as a buffer of
 * its own: two writes, two direct buffers and a combined promise for every mesh message.
 */
@ChannelHandler.Sharable
final class FramePrefix extends ChannelOutboundHandlerAdapter {
    static final FramePrefix INSTANCE = new FramePrefix();

    private FramePrefix() {}

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf payload)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf frame;
        try {
            int len = payload.readableBytes();
            frame = ctx.alloc().ioBuffer(4 + len);
            frame.writeInt(len).writeBytes(payload, payload.readerIndex(), len);
        } finally {
            payload.release();
        }
        ctx.write(frame, promise);
    }
}
