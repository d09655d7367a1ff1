package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.migration.VnnMap;
import org.jctdb.database.recovery.DatabaseContent;
import org.jctdb.database.recovery.RecoveryReply;
import org.jctdb.database.recovery.RecoveryRequest;
import org.junit.jupiter.api.Test;

/**
 * The handshake, recovery, fragment, command and traverse messages in {@link CompactWire}'s form
 * (JSON before): exact round trips, and cut, lengthened or damaged frames are bad messages, never
 * a crash or a huge allocation.
 */
class RecoveryWireProperties {
    private final WireCodec codec = new WireCodec();

    @Property(tries = 300)
    void everyMessageRoundTrips(@ForAll("messages") WireMessage m) throws Exception {
        byte[] bytes = codec.encode(m);
        assertThat(bytes[0]).isEqualTo(CompactWire.TAG);
        WireMessage back = codec.decode(bytes);
        assertThat(back).isExactlyInstanceOf(m.getClass());
        sameContent(back, m);
    }

    /** Records compare these two's byte arrays by identity; every other message's by content. */
    private static void sameContent(WireMessage a, WireMessage b) {
        if (a instanceof WireMessage.Fragment f && b instanceof WireMessage.Fragment g) {
            assertThat(List.of(f.id(), f.index(), f.count())).isEqualTo(List.of(g.id(), g.index(), g.count()));
            assertThat(f.part()).isEqualTo(g.part());
        } else if (a instanceof WireMessage.TraverseData t && b instanceof WireMessage.TraverseData u) {
            assertThat(t.id()).isEqualTo(u.id());
            assertThat(t.end()).isEqualTo(u.end());
            assertThat(t.records()).isEqualTo(u.records());
        } else {
            assertThat(a).isEqualTo(b);
        }
    }

    @Property(tries = 300)
    void aCutOrLengthenedFrameIsABadMessage(@ForAll("messages") WireMessage m, @ForAll @IntRange(min = 1) int cut) {
        FrameDamage.cutOrLengthenedIsBad(codec, m, cut);
    }

    @Property(tries = 1000)
    void aDamagedFrameIsABadMessageOrAMessageNeverACrash(
            @ForAll("messages") WireMessage m, @ForAll @IntRange(min = 1) int at, @ForAll byte value) {
        byte[] bytes = codec.encode(m);
        bytes[1 + at % (bytes.length - 1)] = value;
        try {
            WireMessage back = codec.decode(bytes);
            sameContent(codec.decode(codec.encode(back)), back);
        } catch (BadMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Test
    void hugeCountsAndLengthsAreNamedNotAllocated() {
        byte[] push =
                codec.encode(new WireMessage.DbRecoveryRequest(new RecoveryRequest.Push(0, 7, List.of()), Map.of()));
        // ... "push" leader:i32 generation:i64 databases:(presence u8, count u32) dbNames:(presence u8, count u32)
        int count = push.length - 4 - 1 - 4;
        Arrays.fill(push, count, count + 4, (byte) 0x7f);
        assertThatThrownBy(() -> codec.decode(push))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("elements in 5 bytes");
        byte[] hello = codec.encode(new WireMessage.Hello(1, "c", "v"));
        // the version's length is the 4 bytes before its one byte of text
        Arrays.fill(hello, hello.length - 5, hello.length - 1, (byte) 0xff);
        assertThatThrownBy(() -> codec.decode(hello))
                .isInstanceOf(BadMessageException.class)
                .hasMessage("compact message: length 4294967295 exceeds the 1 bytes left in the frame");
    }

    @Test
    void absentRequiredValuesAreRefusedByTheRecords() {
        byte[] hello = codec.encode(new WireMessage.Hello(1, "c", "v"));
        // drop the version: presence byte 0 and nothing after it
        byte[] noVersion = Arrays.copyOf(hello, hello.length - 5);
        noVersion[noVersion.length - 1] = 0;
        assertThatThrownBy(() -> codec.decode(noVersion))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("Hello rejected its fields")
                .hasMessageContaining("version");
        byte[] thaw = codec.encode(
                new WireMessage.DbRecoveryRequest(new RecoveryRequest.Thaw(0, 7, new VnnMap(7, List.of(0))), Map.of()));
        // thaw: ... map:(presence 1, generation i64, nodes (presence 1, count 1, (presence 1, i32))), dbNames (1, 0)
        byte[] noMap = new byte[thaw.length - (8 + 1 + 4 + 1 + 4)];
        int map = thaw.length - 5 - (1 + 8 + 1 + 4 + 1 + 4);
        System.arraycopy(thaw, 0, noMap, 0, map);
        noMap[map] = 0;
        System.arraycopy(thaw, thaw.length - 5, noMap, map + 1, 5);
        assertThatThrownBy(() -> codec.decode(noMap))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("Thaw rejected its fields")
                .hasMessageContaining("map");
    }

    @Provide
    Arbitrary<WireMessage> messages() {
        Arbitrary<Integer> pnn = Arbitraries.integers().between(-1, 40);
        Arbitrary<Long> any = Arbitraries.longs();
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<DatabaseContent> content = Combinators.combine(
                        Arbitraries.integers().map(DbId::new),
                        Arbitraries.of(DatabaseKind.class),
                        Arbitraries.maps(
                                        bytes.map(RecordKey::new),
                                        Combinators.combine(any, pnn, Arbitraries.integers(), bytes)
                                                .as((rsn, d, f, data) ->
                                                        new LocalRecord(new LtdbHeader(rsn, d, f), data)))
                                .ofMaxSize(6))
                .as(DatabaseContent::of);
        Arbitrary<List<DatabaseContent>> databases = content.list().ofMaxSize(3);
        Arbitrary<Map<String, String>> names = Arbitraries.maps(
                        Arbitraries.strings().withCharRange('0', 'f').ofLength(8), text)
                .ofMaxSize(3);
        Arbitrary<RecoveryRequest> request = Arbitraries.oneOf(
                Combinators.combine(pnn, any).as(RecoveryRequest.Freeze::new),
                Combinators.combine(pnn, any).as(RecoveryRequest.Collect::new),
                Combinators.combine(pnn, any, databases).as(RecoveryRequest.Push::new),
                Combinators.combine(pnn, any, any, pnn.list().ofMinSize(1).ofMaxSize(8))
                        .as((l, g, mg, nodes) -> new RecoveryRequest.Thaw(l, g, new VnnMap(mg, nodes))));
        Arbitrary<RecoveryReply> reply = Arbitraries.oneOf(
                Combinators.combine(pnn, any).as(RecoveryReply.Frozen::new),
                Combinators.combine(pnn, any, any, any, databases).as(RecoveryReply.Collected::new),
                Combinators.combine(pnn, any).as(RecoveryReply.Pushed::new),
                Combinators.combine(pnn, any).as(RecoveryReply.Thawed::new),
                Combinators.combine(pnn, any, any).as(RecoveryReply.Refused::new));
        return Arbitraries.oneOf(
                Combinators.combine(pnn, text, text).as(WireMessage.Hello::new),
                Combinators.combine(request, names).as(WireMessage.DbRecoveryRequest::new),
                Combinators.combine(reply, names).as(WireMessage.DbRecoveryReply::new),
                Combinators.combine(pnn, text).as(WireMessage.RecoveryWanted::new),
                Combinators.combine(any, Arbitraries.integers(), Arbitraries.integers(), bytes)
                        .as(WireMessage.Fragment::new),
                Combinators.combine(any, text.list().ofMaxSize(5)).as(WireMessage.ControlRequest::new),
                Combinators.combine(any, Arbitraries.integers(), text, text).as(WireMessage.ControlReply::new),
                Combinators.combine(any, Arbitraries.integers(), Arbitraries.of(true, false))
                        .as(WireMessage.TraverseAll::new),
                Combinators.combine(any, bytes, Arbitraries.of(true, false)).as(WireMessage.TraverseData::new));
    }
}
