package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.jctdb.mesh.BadMessageException;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;
import org.junit.jupiter.api.Test;

/** {@link FrameCodec}: one frame, one message, each way; bad frames and other messages as Netty's codec had them. */
class FrameCodecTest {
    private final WireCodec codec = new WireCodec();

    @Test
    void aMessageLeavesAsItsPayloadWithRoomForLengthAndTag() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec(codec));
        WireMessage hello = new WireMessage.Hello(2, "cluster", "v");
        ch.writeOutbound(hello);
        ByteBuf out = ch.readOutbound();
        byte[] payload = codec.encode(hello);
        assertThat(out.readerIndex()).isEqualTo(FramePrefix.HEADROOM);
        assertThat(out.readableBytes()).isEqualTo(payload.length);
        assertThat(out.writableBytes()).isGreaterThanOrEqualTo(PeerAuth.TAG_BYTES);
        byte[] written = new byte[payload.length];
        out.readBytes(written);
        assertThat(written).isEqualTo(payload);
        out.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFrameBecomesItsMessageAndIsReleased() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec(codec));
        ByteBuf frame = Unpooled.directBuffer().writeBytes(codec.encode(new WireMessage.Keepalive()));
        ch.writeInbound(frame);
        assertThat((Object) ch.readInbound()).isEqualTo(new WireMessage.Keepalive());
        assertThat(frame.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFrameThatDoesNotDecodeIsADecoderExceptionAndIsReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec(codec));
        ByteBuf frame = Unpooled.directBuffer().writeBytes(new byte[] {0x01, 0x00, 0x00});
        assertThatThrownBy(() -> ch.writeInbound(frame))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(BadMessageException.class);
        assertThat(frame.refCnt()).isZero();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void otherMessagesPassBothWays() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec(codec));
        ch.writeInbound("not a frame");
        assertThat((Object) ch.readInbound()).isEqualTo("not a frame");
        ByteBuf raw = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        ch.writeOutbound(raw);
        assertThat((Object) ch.readOutbound()).isSameAs(raw);
        raw.release();
    }
}
