package org.jctdb.protocol.ctdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyDmaster;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyError;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqDmaster;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqKeepalive;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqTunnel;

/** encode then decode is the identity; no byte string makes a decoder throw anything but BadPacketException. */
class CtdbCodecProperties {
    private final CtdbCodec codec = new CtdbCodec();

    @Provide
    Arbitrary<Bytes> blobs() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Bytes::of);
    }

    @Provide
    Arbitrary<CtdbPacket> packets() {
        Arbitrary<Integer> i = Arbitraries.integers();
        Arbitrary<Long> l = Arbitraries.longs();
        Arbitrary<Bytes> b = blobs();
        return Arbitraries.oneOf(
                Combinators.combine(i, i, i, i, b, b).as(ReqCall::new),
                Combinators.combine(i, b).as(ReplyCall::new),
                Combinators.combine(i, l, i, b, b).as(ReqDmaster::new),
                Combinators.combine(i, l, b, b).as(ReplyDmaster::new),
                Combinators.combine(i, b).as(ReplyError::new),
                Combinators.combine(l, b).as(ReqMessage::new),
                Combinators.combine(i, l, i, i, b).as(ReqControl::new),
                Combinators.combine(i, b, b).as(ReplyControl::new),
                Combinators.combine(i, i).as(ReqKeepalive::new),
                Combinators.combine(l, i, b).as(ReqTunnel::new));
    }

    @Property(tries = 500)
    void encodeThenDecodeIsTheIdentity(
            @ForAll("packets") CtdbPacket p,
            @ForAll int generation,
            @ForAll int dest,
            @ForAll int src,
            @ForAll int reqid)
            throws BadPacketException {
        CtdbHeader h = CtdbHeader.of(p.operation(), generation, dest, src, reqid);
        byte[] wire = codec.encode(h, p);
        assertThat(wire.length % 8).isZero();
        CtdbCodec.Frame f = codec.decode(wire);
        assertThat(f.packet()).isEqualTo(p);
        assertThat(f.header()).isEqualTo(h.withLength(wire.length));
        assertThat(codec.reencode(f)).isEqualTo(wire);
    }

    @Property(tries = 300)
    void unpaddedPacketsRoundTripWithTheirLength(
            @ForAll("packets") CtdbPacket p, @ForAll @IntRange(min = 0, max = 15) int slack) throws BadPacketException {
        int natural = codec.encode(CtdbHeader.of(p.operation(), 0, 0, 0, 0), p).length;
        // the natural size is the padded size minus up to 7; find it by trying lengths downwards
        CtdbHeader h = CtdbHeader.of(p.operation(), 0, 0, 0, 0);
        int exact = natural;
        while (exact > CtdbWire.HEADER_SIZE) {
            try {
                codec.reencode(new CtdbCodec.Frame(h.withLength(exact - 1), p));
                exact--;
            } catch (IllegalArgumentException e) {
                break;
            }
        }
        byte[] wire = codec.reencode(new CtdbCodec.Frame(h.withLength(exact + slack), p));
        assertThat(codec.decode(wire).packet()).isEqualTo(p);
        assertThat(codec.reencode(codec.decode(wire))).isEqualTo(wire);
    }

    @Property(tries = 2000)
    void arbitraryBytesOnlyEverFailWithBadPacketException(@ForAll @Size(max = 120) byte[] bytes) {
        decodeEverything(bytes);
    }

    /** Arbitrary bodies behind a valid header: reach the body decoders, not just the magic check. */
    @Property(tries = 2000)
    void arbitraryBodiesOnlyEverFailWithBadPacketException(
            @ForAll @IntRange(min = 0, max = 11) int operation, @ForAll @Size(max = 90) byte[] body) {
        WireWriter w = new WireWriter();
        CtdbHeader.of(operation, 0, 0, 0, 0).writeTo(w, CtdbWire.HEADER_SIZE + body.length);
        w.bytes(body);
        decodeEverything(w.toByteArray());
    }

    @Provide
    Arbitrary<byte[]> mutatedGoldenPackets() {
        List<byte[]> golden = new ArrayList<>();
        for (String name : Transcript.all()) {
            Transcript.load(name).packets().forEach(p -> golden.add(p.bytes()));
        }
        return Arbitraries.of(golden)
                .flatMap(g -> Arbitraries.integers()
                        .between(0, 3)
                        .flatMap(kind -> Arbitraries.integers()
                                .between(0, g.length - 1)
                                .flatMap(pos -> Arbitraries.bytes().map(v -> mutate(g, kind, pos, v)))));
    }

    private static byte[] mutate(byte[] g, int kind, int pos, byte v) {
        byte[] m;
        switch (kind) {
            case 0 -> { // flip one byte
                m = g.clone();
                m[pos] ^= (byte) (v == 0 ? 1 : v);
            }
            case 1 -> m = java.util.Arrays.copyOf(g, pos); // truncate
            case 2 -> { // truncate, but keep the length field consistent
                m = java.util.Arrays.copyOf(g, Math.max(pos, 4));
                java.nio.ByteBuffer.wrap(m).order(CtdbWire.ORDER).putInt(0, m.length);
            }
            default -> { // a length or count field inside the body set to a large value
                m = g.clone();
                int at = Math.min(pos & ~3, m.length - 4);
                java.nio.ByteBuffer.wrap(m).order(CtdbWire.ORDER).putInt(at, 0x7fffff00 | (v & 0xff));
            }
        }
        return m;
    }

    @Property(tries = 3000)
    void mutatedGoldenPacketsOnlyEverFailWithBadPacketException(@ForAll("mutatedGoldenPackets") byte[] bytes) {
        decodeEverything(bytes);
    }

    @Property(tries = 1000)
    void payloadDecodersOnlyEverFailWithBadPacketException(@ForAll @Size(max = 200) byte[] data) {
        for (ControlOpcode op : ControlOpcode.values()) {
            for (PayloadRoundTrip.Codec c :
                    new PayloadRoundTrip.Codec[] {PayloadRoundTrip.request(op), PayloadRoundTrip.reply(op)}) {
                if (c != null) {
                    try {
                        c.roundTrip(data);
                    } catch (BadPacketException e) {
                        assertThat(e.getMessage()).isNotBlank();
                    }
                }
            }
        }
        try {
            RecData.decode(data).value();
        } catch (BadPacketException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** Decodes the packet and, if that works, every payload inside it; only BadPacketException may escape. */
    private void decodeEverything(byte[] bytes) {
        try {
            CtdbCodec.Frame f = codec.decode(bytes);
            assertThat(codec.reencode(f)).hasSize(bytes.length);
            if (f.packet() instanceof ReqControl c && c.knownOpcode() != null) {
                PayloadRoundTrip.Codec pc = PayloadRoundTrip.request(c.knownOpcode());
                if (pc != null) {
                    pc.roundTrip(c.data().toArray());
                }
            }
        } catch (BadPacketException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
