package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;
import org.junit.jupiter.api.Test;

/** Frames leave with their length in front, in the buffer they were encoded into or in a copy, and read back whole. */
class FramePrefixTest {
    private static final byte[] PAYLOAD = "a frame's payload".getBytes(StandardCharsets.US_ASCII);

    private static byte[] written(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static byte[] prefixed(byte[] payload) {
        byte[] b = new byte[4 + payload.length];
        Unpooled.wrappedBuffer(b).setInt(0, payload.length).setBytes(4, payload);
        return b;
    }

    @Test
    void aFrameWithHeadroomGetsItsLengthInPlace() {
        EmbeddedChannel ch = new EmbeddedChannel(new FramePrefix());
        ByteBuf frame = Unpooled.directBuffer(FramePrefix.HEADROOM + PAYLOAD.length + PeerAuth.TAG_BYTES);
        frame.writerIndex(FramePrefix.HEADROOM).readerIndex(FramePrefix.HEADROOM);
        frame.writeBytes(PAYLOAD);
        ch.writeOutbound(frame);
        ByteBuf out = ch.readOutbound();
        assertThat(out).isSameAs(frame);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(prefixed(PAYLOAD));
        out.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void otherBuffersAreCopiedBehindALengthAndReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new FramePrefix());
        ByteBuf plain = Unpooled.copiedBuffer(PAYLOAD);
        ch.writeOutbound(plain);
        assertThat(written(ch)).isEqualTo(prefixed(PAYLOAD));
        assertThat(plain.refCnt()).isZero();
        // a shared buffer that happens to have room in front is not written into
        ByteBuf shared = Unpooled.buffer(64)
                .writerIndex(4)
                .readerIndex(4)
                .writeBytes(PAYLOAD)
                .retain();
        ch.writeOutbound(shared);
        assertThat(written(ch)).isEqualTo(prefixed(PAYLOAD));
        assertThat(shared.refCnt()).isEqualTo(1);
        assertThat(shared.getInt(0)).isZero();
        shared.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void encodedMessagesReadBackThroughTheFrameDecoder() throws Exception {
        WireCodec codec = new WireCodec();
        EmbeddedChannel out = new EmbeddedChannel(new FramePrefix(), new FrameCodec(codec));
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(WireCodec.MAX_FRAME_BYTES), new FrameCodec(codec));
        List<WireMessage> sent = List.of(new WireMessage.Keepalive(), new WireMessage.Hello(3, "cluster", "v"));
        for (WireMessage m : sent) {
            out.writeOutbound(m);
        }
        for (ByteBuf b; (b = out.readOutbound()) != null; ) {
            in.writeInbound(b);
        }
        assertThat(List.<Object>of(in.readInbound(), in.readInbound())).isEqualTo(List.<Object>copyOf(sent));
        assertThat(out.finish()).isFalse();
        assertThat(in.finish()).isFalse();
    }
}
