package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link FrameMac} gives the JDK's HMAC-SHA256 tag, so the wire format of the frame tags is unchanged. */
class FrameMacProperties {
    @Property(tries = 300)
    void sameTagAsTheJdksHmac(
            @ForAll @Size(min = 1, max = 64) byte[] key,
            @ForAll long sequence,
            @ForAll @Size(max = 300) byte[] payload,
            @ForAll @Size(max = 3) byte[] frame2)
            throws Exception {
        FrameMac mine = new FrameMac(key);
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key, "HmacSHA256"));
        // a direct buffer with the payload in the middle, as the mesh passes frames
        ByteBuffer direct = ByteBuffer.allocateDirect(payload.length + 10);
        direct.position(5);
        direct.put(payload);
        direct.position(5).limit(5 + payload.length);
        // twice in a row: the keyed states are reused, not consumed
        for (byte[] p : new byte[][] {payload, frame2}) {
            ByteBuffer b = p == payload ? direct : ByteBuffer.wrap(p);
            int before = b.position();
            jdk.update(ByteBuffer.allocate(8).putLong(0, sequence).array());
            jdk.update(p);
            assertThat(mine.tag(sequence, b)).isEqualTo(jdk.doFinal());
            assertThat(b.position()).isEqualTo(before);
        }
    }

    @Property(tries = 200)
    void appendedTagVerifiesAndAnyChangeFails(
            @ForAll @Size(min = 1, max = 64) byte[] key,
            @ForAll long sequence,
            @ForAll @Size(max = 300) byte[] payload,
            @ForAll int flipAt) {
        FrameMac sender = new FrameMac(key);
        FrameMac receiver = new FrameMac(key);
        ByteBuf frame = Unpooled.directBuffer(3 + payload.length + PeerAuth.TAG_BYTES);
        frame.writerIndex(3).readerIndex(3).writeBytes(payload);
        sender.appendTag(sequence, frame);
        assertThat(ByteBufUtil.getBytes(frame, 3 + payload.length, PeerAuth.TAG_BYTES))
                .isEqualTo(sender.tag(sequence, ByteBuffer.wrap(payload)));
        assertThat(receiver.verify(sequence, frame, 3, payload.length)).isTrue();
        assertThat(receiver.verify(sequence + 1, frame, 3, payload.length)).isFalse();
        // one bit flipped anywhere in the payload or the tag
        int at = 3 + Math.floorMod(flipAt, payload.length + PeerAuth.TAG_BYTES);
        frame.setByte(at, frame.getByte(at) ^ (1 << Math.floorMod(flipAt, 8)));
        assertThat(receiver.verify(sequence, frame, 3, payload.length)).isFalse();
        frame.release();
    }

    @Test
    void rfc4231TestCase2() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"; here the first 8 bytes of
        // the data are the sequence number and the rest the payload
        byte[] data = "what do ya want for nothing?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long seq = ByteBuffer.wrap(data, 0, 8).getLong();
        byte[] tag = new FrameMac("Jefe".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .tag(seq, ByteBuffer.wrap(data, 8, data.length - 8));
        assertThat(java.util.HexFormat.of().formatHex(tag))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
