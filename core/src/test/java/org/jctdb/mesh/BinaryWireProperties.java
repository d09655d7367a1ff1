package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jctdb.database.DbId;
import org.jctdb.database.migration.PeerMessage;
import org.jctdb.database.migration.RecordKey;
import org.junit.jupiter.api.Test;

/** The compact encoding of migration and relay messages: exact round trips, and hostile bytes are bad messages. */
class BinaryWireProperties {
    private final WireCodec codec = new WireCodec();

    @Property
    void everyHotMessageRoundTripsInTheCompactForm(@ForAll("hot") WireMessage m) throws Exception {
        byte[] bytes = codec.encode(m);
        assertThat(BinaryWire.isBinary(bytes[0])).isTrue();
        WireMessage back = codec.decode(bytes);
        assertThat(back).isExactlyInstanceOf(m.getClass());
        // the same bytes again: the same content (records compare byte arrays by identity)
        assertThat(codec.encode(back)).isEqualTo(bytes);
    }

    @Property
    void aTruncatedOrExtendedFrameIsABadMessage(@ForAll("hot") WireMessage m, @ForAll @IntRange(min = 1) int cut) {
        FrameDamage.cutOrLengthenedIsBad(codec, m, cut);
    }

    @Property(tries = 3000)
    void randomBytesAreABadMessageOrAMessageNeverACrash(@ForAll("tag") byte tag, @ForAll @Size(max = 80) byte[] rest) {
        byte[] frame = new byte[1 + rest.length];
        frame[0] = tag;
        System.arraycopy(rest, 0, frame, 1, rest.length);
        try {
            WireMessage m = codec.decode(frame);
            assertThat(codec.encode(m)).isEqualTo(frame);
        } catch (BadMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Test
    void aHugeDeclaredLengthIsNamedNotAllocated() {
        byte[] frame = {BinaryWire.CTDB_RELAY, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, -1};
        assertThatThrownBy(() -> codec.decode(frame))
                .isInstanceOf(BadMessageException.class)
                .hasMessage("ctdb-relay message: packet length 4294967295 exceeds the 0 bytes left in the frame");
    }

    @Test
    void unknownEnumValuesAndNegativeHopsAreRefused() {
        byte[] relay = codec.encode(new WireMessage.CtdbRelay(WireMessage.CtdbRelay.Kind.REPLY, 1, new byte[0]));
        relay[1] = 9;
        assertThatThrownBy(() -> codec.decode(relay)).hasMessage("ctdb-relay message: unknown kind 9");
        byte[] error = codec.encode(
                new WireMessage.Migration(new PeerMessage.ReplyError(1, 2, 3, PeerMessage.Reason.HOP_LIMIT)));
        error[error.length - 1] = 5;
        assertThatThrownBy(() -> codec.decode(error)).hasMessage("reply-error message: unknown reason 5");
        byte[] call = codec.encode(
                new WireMessage.Migration(new PeerMessage.ReqCall(1, 2, new DbId(3), RecordKey.of("k"), 1, 4, 0)));
        Arrays.fill(call, call.length - 4, call.length, (byte) 0xff);
        assertThatThrownBy(() -> codec.decode(call)).hasMessage("req-call message: negative hop count -1");
    }

    @Provide
    Arbitrary<Byte> tag() {
        return Arbitraries.of(
                BinaryWire.REQ_CALL,
                BinaryWire.REQ_DMASTER,
                BinaryWire.REPLY_DMASTER,
                BinaryWire.REPLY_ERROR,
                BinaryWire.CTDB_RELAY,
                (byte) 0,
                (byte) 0x7f);
    }

    @Provide
    Arbitrary<WireMessage> hot() {
        Arbitrary<Integer> pnn = Arbitraries.integers();
        Arbitrary<Long> any = Arbitraries.longs();
        Arbitrary<DbId> db = Arbitraries.integers().map(DbId::new);
        Arbitrary<RecordKey> key =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(RecordKey::new);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Integer> hops = Arbitraries.integers().greaterOrEqual(0);
        Arbitrary<WireMessage> reqCall = Combinators.combine(pnn, any, db, key, pnn, any, hops)
                .as((f, g, d, k, o, r, h) -> new WireMessage.Migration(new PeerMessage.ReqCall(f, g, d, k, o, r, h)));
        Arbitrary<WireMessage> reqDmaster = Combinators.combine(pnn, any, db, key, pnn, any, any, pnn)
                .flatAs((f, g, d, k, n, r, rsn, fl) -> Combinators.combine(data, hops)
                        .as((dt, h) -> new WireMessage.Migration(
                                new PeerMessage.ReqDmaster(f, g, d, k, n, r, rsn, fl, dt, h))));
        Arbitrary<WireMessage> replyDmaster = Combinators.combine(pnn, any, db, key, any, any, pnn, data)
                .flatAs((f, g, d, k, r, rsn, fl, dt) -> hops.map(
                        h -> new WireMessage.Migration(new PeerMessage.ReplyDmaster(f, g, d, k, r, rsn, fl, dt, h))));
        Arbitrary<WireMessage> replyError = Combinators.combine(pnn, any, any)
                .as((f, g, r) ->
                        new WireMessage.Migration(new PeerMessage.ReplyError(f, g, r, PeerMessage.Reason.HOP_LIMIT)));
        Arbitrary<WireMessage> relay = Combinators.combine(Arbitraries.of(WireMessage.CtdbRelay.Kind.class), any, data)
                .as((k, id, p) -> new WireMessage.CtdbRelay(k, id, p));
        return Arbitraries.oneOf(reqCall, reqDmaster, replyDmaster, replyError, relay);
    }
}
