package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"hello\",\"pnn\":2,\"clusterId\":\"0123456789abcdef\",\"version\":\"0.1.0\"}");
        assertThat(codec.decode(bytes)).isEqualTo(new WireMessage.Hello(2, "0123456789abcdef", "0.1.0"));
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
                new WireMessage.Leader(new LeaderMessage.Announce(r.nextInt(32), r.nextLong(), r.nextLong())),
                new WireMessage.Leader(new LeaderMessage.FinishRecovery(1, r.nextLong(), 7, List.of(0, 1, 2))));
        for (WireMessage m : messages) {
            assertThat(codec.decode(codec.encode(m))).as("seed %d", seed).isEqualTo(m);
        }
    }

    @Test
    void aNodeStateWithoutStorageFromAnOlderPeerMeansOk() throws Exception {
        WireMessage m = codec.decode(
                "{\"type\":\"node-state\",\"pnn\":1,\"flags\":2,\"sequence\":3}".getBytes(StandardCharsets.UTF_8));
        assertThat(m).isEqualTo(new WireMessage.NodeState(1, 2, 3, StorageSummary.OK));
    }

    /** Leader and IP messages are decoded with their frame: a bad body never reaches a driver. */
    @Test
    void aBadLeaderOrIpBodyIsABadFrame() {
        for (String bad : List.of(
                "{\"type\":\"leader\",\"message\":{\"type\":\"nope\"}}",
                "{\"type\":\"leader\",\"message\":{\"type\":\"announce\",\"from\":\"x\"}}",
                "{\"type\":\"ip\",\"message\":[1,2]}",
                "{\"type\":\"subsystem\",\"subsystem\":\"leader\"}")) {
            assertThatThrownBy(() -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOf(BadMessageException.class);
        }
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
