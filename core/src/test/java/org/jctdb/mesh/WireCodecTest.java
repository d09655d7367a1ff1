package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.jctdb.leader.LeaderMessage;
import org.jctdb.protocol.StorageSummary;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private final WireCodec codec = new WireCodec();

    @Test
    void goldenBytesOfTheHandshake() throws Exception {
        byte[] bytes = codec.encode(new WireMessage.Hello(2, "0123456789abcdef", "0.1.0"));
        // tag, type name, pnn, then each string behind a presence byte as a u32 length and UTF-8
        String hex = "20" + "05" + hex("hello") + "00000002"
                + "01" + "00000010" + hex("0123456789abcdef")
                + "01" + "00000005" + hex("0.1.0");
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(hex);
        assertThat(codec.decode(bytes)).isEqualTo(new WireMessage.Hello(2, "0123456789abcdef", "0.1.0"));
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @RepeatedTest(20)
    void randomMessagesRoundTrip() throws Exception {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        List<WireMessage> messages = List.of(
                new WireMessage.Hello(r.nextInt(32), Long.toHexString(r.nextLong()), "v" + r.nextInt()),
                new WireMessage.Keepalive(),
                new WireMessage.NodeState(
                        r.nextInt(32),
                        r.nextInt(64),
                        r.nextLong(),
                        new StorageSummary("HUNG", "/cfs/.ctdb" + r.nextInt(), r.nextLong())),
                new WireMessage.NodeState(r.nextInt(32), r.nextInt(64), r.nextLong(), StorageSummary.OK),
                new WireMessage.ControlRequest(r.nextLong(), List.of("-X", "status", "\u00e9" + r.nextInt())),
                new WireMessage.ControlReply(r.nextLong(), r.nextInt(256), "out\n" + r.nextInt(), ""),
                new WireMessage.RecoveryWanted(r.nextInt(32), "mismatch " + r.nextInt()),
                new WireMessage.TraverseAll(r.nextLong(), r.nextInt(), r.nextBoolean()),
                new WireMessage.Leader(new LeaderMessage.Announce(r.nextInt(32), r.nextLong(), r.nextLong())),
                new WireMessage.Leader(new LeaderMessage.FinishRecovery(1, r.nextLong(), 7, List.of(0, 1, 2))));
        for (WireMessage m : messages) {
            assertThat(codec.decode(codec.encode(m))).as("seed %d", seed).isEqualTo(m);
        }
    }

    @Test
    void aNodeStateWithoutStorageMeansOk() throws Exception {
        byte[] withNone = HexFormat.of()
                .parseHex("20" + "0a" + hex("node-state") + "00000001" + "00000002" + "0000000000000003" + "00");
        assertThat(codec.decode(withNone)).isEqualTo(new WireMessage.NodeState(1, 2, 3, StorageSummary.OK));
    }

    /** The mesh carries no JSON: a JSON frame (another build's) is a bad message that says so. */
    @Test
    void aJsonFrameIsABadMessage() {
        byte[] json = "{\"type\":\"hello\",\"pnn\":0,\"clusterId\":\"0123456789abcdef\",\"version\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(BadMessageException.class)
                .hasMessage("unknown message tag 0x7b (JSON, from a node of another build?)");
    }

    /** Leader and IP messages are decoded with their frame: a bad body never reaches a driver. */
    @Test
    void aBadLeaderBodyIsABadFrame() {
        byte[] leader = codec.encode(new WireMessage.Leader(new LeaderMessage.Announce(1, 2, 3)));
        // the inner type name ("announce") follows the outer one: make it unknown
        int at = 2 + "leader".length() + 1 + 1;
        assertThat(leader[at]).isEqualTo((byte) 'a');
        leader[at] = 'x';
        assertThatThrownBy(() -> codec.decode(leader))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("unknown LeaderMessage type \"xnnounce\"");
    }

    @Test
    void garbageIsABadMessageNotACrash() {
        for (String bad : List.of(
                "",
                "{",
                "null",
                "[]",
                "{\"type\":\"nope\"}",
                "{\"type\":\"hello\",\"pnn\":\"x\"}",
                "{\"type\":\"hello\"} trailing",
                "\u0000\u0001\u0002")) {
            assertThatThrownBy(() -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(BadMessageException.class);
        }
        byte[] random = new byte[256];
        new Random(7).nextBytes(random);
        assertThatThrownBy(() -> codec.decode(random)).isInstanceOf(BadMessageException.class);
    }
}
