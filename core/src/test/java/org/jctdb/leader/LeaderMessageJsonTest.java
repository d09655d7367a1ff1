package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The wire form of leader messages: every record round-trips, and the type names are fixed. */
class LeaderMessageJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyMessageRoundTripsWithRandomValues() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            for (LeaderMessage m : samples(r)) {
                String text = json.writeValueAsString(m);
                assertThat(json.readValue(text, LeaderMessage.class))
                        .as("seed " + seed + ": " + text)
                        .isEqualTo(m);
            }
        }
    }

    @Test
    void goldenForm() throws Exception {
        assertThat(json.writeValueAsString(new LeaderMessage.Announce(2, 3074, 99)))
                .isEqualTo("{\"type\":\"announce\",\"from\":2,\"generation\":3074,\"boot\":99}");
        assertThat(json.readValue(
                        "{\"type\":\"finish-recovery\",\"from\":1,\"generation\":2049,\"boot\":5,"
                                + "\"vnnMap\":[0,1]}",
                        LeaderMessage.class))
                .isEqualTo(new LeaderMessage.FinishRecovery(1, 2049, 5, List.of(0, 1)));
        assertThat(json.writeValueAsString(new LeaderMessage.RecoveryAck(0, 1024, LeaderMessage.Phase.START, true)))
                .isEqualTo(
                        "{\"type\":\"recovery-ack\",\"from\":0,\"generation\":1024,\"phase\":\"START\",\"ok\":true}");
        assertThat(json.writeValueAsString(new LeaderMessage.Follow(1, 2048, 7)))
                .isEqualTo("{\"type\":\"follow\",\"from\":1,\"generation\":2048,\"boot\":7}");
    }

    @Test
    void unknownTypeIsRejected() {
        assertThatThrownBy(() -> json.readValue("{\"type\":\"coup\",\"from\":1}", LeaderMessage.class))
                .hasMessageContaining("coup");
    }

    private static List<LeaderMessage> samples(SplittableRandom r) {
        int from = r.nextInt(Generation.MAX_NODES);
        long gen = r.nextLong(Long.MAX_VALUE);
        long boot = r.nextLong();
        return List.of(
                new LeaderMessage.Announce(from, gen, boot),
                new LeaderMessage.StartRecovery(from, gen, boot),
                new LeaderMessage.FinishRecovery(from, gen, boot, List.of(r.nextInt(8), r.nextInt(8))),
                new LeaderMessage.Resign(from, gen, boot),
                new LeaderMessage.RecoveryAck(
                        from,
                        gen,
                        r.nextBoolean() ? LeaderMessage.Phase.START : LeaderMessage.Phase.FINISH,
                        r.nextBoolean()),
                new LeaderMessage.RecoveryNeeded(from, gen),
                new LeaderMessage.Refused(from, gen, r.nextLong(Long.MAX_VALUE)),
                new LeaderMessage.Candidate(from, r.nextBoolean(), gen),
                new LeaderMessage.Follow(from, gen, boot));
    }
}
