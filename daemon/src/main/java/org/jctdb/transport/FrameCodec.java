package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;
import org.jctdb.mesh.BadMessageException;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;

/** Turns one whole frame into one message and back. Framing happens before this handler. */
@ChannelHandler.Sharable
final class FrameCodec extends MessageToMessageCodec<ByteBuf, WireMessage> {
    private final WireCodec codec;

    FrameCodec(WireCodec codec) {
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WireMessage msg, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(codec.encode(msg)));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws BadMessageException {
        out.add(codec.decode(ByteBufUtil.getBytes(frame)));
    }
}
