package org.jctdb.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.Function;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames the client stream by its u32 length (host order) and decodes each packet. A length
 * below the header or above the maximum, a wrong magic or version, or a body that does not
 * parse cannot be answered (the header may be garbage), so the connection is closed with a
 * log line naming the client; the daemon and other clients are not affected.
 */
final class ClientFrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");

    private final CtdbCodec codec;
    private final Function<ChannelHandlerContext, String> who;
    private boolean failed;

    ClientFrameDecoder(CtdbCodec codec, Function<ChannelHandlerContext, String> who) {
        this.codec = codec;
        this.who = who;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.readableBytes() >= 4) {
            long length;
            try {
                length = codec.peekLength(in.nioBuffer(in.readerIndex(), 4));
            } catch (BadPacketException e) {
                fail(ctx, in, e.getMessage());
                return;
            }
            if (in.readableBytes() < length) {
                return;
            }
            byte[] wire = new byte[(int) length];
            in.readBytes(wire);
            try {
                out.add(codec.decode(wire));
            } catch (BadPacketException e) {
                fail(ctx, in, e.getMessage());
                return;
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String why) {
        failed = true;
        in.skipBytes(in.readableBytes());
        log.warn("{} sent a bad packet ({}); closing its connection", who.apply(ctx), why);
        ctx.close();
    }
}
