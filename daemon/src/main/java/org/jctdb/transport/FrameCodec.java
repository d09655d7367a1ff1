package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import org.jctdb.mesh.BadMessageException;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;

/**
 * Turns one whole frame into one message and back. Framing happens before this handler. One
 * message is one frame, so this passes each straight on (Netty's MessageToMessageCodec would
 * collect every result in a list and combine promises, a cost paid on every mesh message).
 */
@ChannelHandler.Sharable
final class FrameCodec extends ChannelDuplexHandler {
    private final WireCodec codec;

    FrameCodec(WireCodec codec) {
        this.codec = codec;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof WireMessage m) {
            ctx.write(Unpooled.wrappedBuffer(codec.encode(m)), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** A bad frame reaches PeerHandler as a DecoderException caused by the BadMessageException. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        WireMessage m;
        try {
            m = codec.decode(ByteBufUtil.getBytes(frame));
        } catch (BadMessageException e) {
            throw new DecoderException(e);
        } finally {
            frame.release();
        }
        ctx.fireChannelRead(m);
    }
}
