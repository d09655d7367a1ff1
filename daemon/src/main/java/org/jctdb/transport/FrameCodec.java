package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;
import org.jctdb.mesh.BadMessageException;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;

/**
 * Turns one whole frame into one message and back. Framing happens before this handler. An outgoing message is
 * encoded into one direct buffer with room for the length in front ({@link FramePrefix}) and for the integrity tag
 * behind ({@link AuthHandler}), so it reaches the socket without further buffers or copies.
 */
@ChannelHandler.Sharable
final class FrameCodec extends MessageToMessageCodec<ByteBuf, WireMessage> {
    private final WireCodec codec;

    FrameCodec(WireCodec codec) {
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WireMessage msg, List<Object> out) {
        byte[] payload = codec.encode(msg);
        ByteBuf frame = ctx.alloc().directBuffer(FramePrefix.HEADROOM + payload.length + PeerAuth.TAG_BYTES);
        frame.writerIndex(FramePrefix.HEADROOM).readerIndex(FramePrefix.HEADROOM);
        out.add(frame.writeBytes(payload));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws BadMessageException {
        out.add(codec.decode(ByteBufUtil.getBytes(frame)));
    }
}
