package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import org.jctdb.mesh.BadMessageException;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;

/**
 * Turns one whole frame into one message and back. Framing happens before this handler. An outgoing message is
 * encoded into one direct buffer with room for the length in front ({@link FramePrefix}) and for the integrity tag
 * behind ({@link AuthHandler}), so it reaches the socket without further buffers or copies. Written out rather than
 * on Netty's MessageToMessageCodec, whose output list, type matching and promise handling per frame cost more
 * under the daemon's JIT than the one message each way here needs; failures are the same: a frame that does not
 * decode is a {@link DecoderException} (the connection is closed), a message that does not encode fails its write.
 */
@ChannelHandler.Sharable
final class FrameCodec extends ChannelDuplexHandler {
    private final WireCodec codec;

    FrameCodec(WireCodec codec) {
        this.codec = codec;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof WireMessage m)) {
            ctx.write(msg, promise);
            return;
        }
        byte[] payload;
        try {
            payload = codec.encode(m);
        } catch (RuntimeException e) {
            promise.setFailure(new EncoderException(e));
            return;
        }
        ByteBuf frame = ctx.alloc().directBuffer(FramePrefix.HEADROOM + payload.length + PeerAuth.TAG_BYTES);
        frame.writerIndex(FramePrefix.HEADROOM).readerIndex(FramePrefix.HEADROOM);
        ctx.write(frame.writeBytes(payload), promise);
    }

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
