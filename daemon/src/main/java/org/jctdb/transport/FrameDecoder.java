package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into frames of a 4-byte big-endian length and a payload. The limit can
 * change during the connection's life: a peer that has not authenticated yet may send only small
 * handshake frames, so a stranger cannot make us buffer a megabyte. A frame over the limit fails
 * before any of it is buffered.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private int limit;

    FrameDecoder(int limit) {
        this.limit = limit;
    }

    void limit(int bytes) {
        this.limit = bytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws TooLongFrameException {
        if (in.readableBytes() < 4) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length > limit) {
            in.skipBytes(in.readableBytes());
            throw new TooLongFrameException("frame of " + length + " bytes exceeds the limit of " + limit);
        }
        if (in.readableBytes() < 4 + length) {
            return;
        }
        in.skipBytes(4);
        out.add(in.readRetainedSlice((int) length));
    }
}
