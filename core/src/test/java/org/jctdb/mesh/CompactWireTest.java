package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.IpMessage;
import org.jctdb.leader.LeaderMessage;
import org.jctdb.protocol.StorageSummary;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class CompactWireTest {
    private final WireCodec codec = new WireCodec();

    /** One of every leader and IP message, with lists, maps, enums and an absent string. */
    private static List<WireMessage> periodic(Random r) {
        long g = r.nextLong();
        HostedAddress h = new HostedAddress("10.0.0." + r.nextInt(255), 24, "eth" + r.nextInt(3));
        IpMessage.Listed l = new IpMessage.Listed("192.0.2." + r.nextInt(255), 32, List.of("eth0", "eth1"));
        return List.of(
                new WireMessage.Keepalive(),
                new WireMessage.NodeState(r.nextInt(32), r.nextInt(64), r.nextLong(), StorageSummary.OK),
                new WireMessage.NodeState(
                        1, 2, 3, new StorageSummary("HUNG", "/cfs/\u00e9" + r.nextInt(), r.nextLong())),
                new WireMessage.Leader(new LeaderMessage.Announce(r.nextInt(32), g, r.nextLong())),
                new WireMessage.Leader(new LeaderMessage.StartRecovery(0, g, 5)),
                new WireMessage.Leader(new LeaderMessage.FinishRecovery(1, g, 7, List.of(0, 1, 2))),
                new WireMessage.Leader(new LeaderMessage.Resign(2, g, 9)),
                new WireMessage.Leader(new LeaderMessage.RecoveryAck(1, g, LeaderMessage.Phase.values()[0], true)),
                new WireMessage.Leader(new LeaderMessage.RecoveryNeeded(1, g)),
                new WireMessage.Leader(new LeaderMessage.Refused(1, g, g + 1)),
                new WireMessage.Leader(new LeaderMessage.Candidate(1, r.nextBoolean(), g)),
                new WireMessage.Leader(new LeaderMessage.Follow(1, g, -4418403014989089995L)),
                new WireMessage.Ip(new IpMessage.Report(
                        1,
                        r.nextLong(),
                        List.of(h),
                        List.of(l),
                        3,
                        true,
                        1500,
                        1,
                        List.of(),
                        r.nextLong(),
                        new IpMessage.Promise(4, 9),
                        g,
                        2)),
                new WireMessage.Ip(new IpMessage.Report(
                        1, 286, List.of(), null, 1, false, 1500, 1, List.of("eth1"), 7, null, -1, -1)),
                new WireMessage.Ip(
                        new IpMessage.Grant(0, g, 286, Map.of("192.0.2.1", 1, "192.0.2.2", 2), 5, 1, 3, false)),
                new WireMessage.Ip(new IpMessage.Grant(0, g, 287, null, 5, 1, -1, true)),
                new WireMessage.Ip(new IpMessage.VouchRequest(2, r.nextLong(), List.of("198.18.0.101", "fd00::7"), 1)),
                new WireMessage.Ip(new IpMessage.Vouch(1, 12, r.nextBoolean())),
                new WireMessage.Ip(new IpMessage.Release(0, g, 3, List.of(h))),
                new WireMessage.Ip(new IpMessage.Take(
                        0, g, 3, List.of(l), List.of(new IpMessage.Move("192.0.2.9", 24, "eth0", "eth1")))),
                new WireMessage.Ip(new IpMessage.Reallocated(0, g, 3)),
                new WireMessage.Ip(new IpMessage.Ban(0, g, 300)),
                new WireMessage.Ip(new IpMessage.StepDone(2, g, 3, IpMessage.Phase.TAKE, false, null, List.of(h))),
                new WireMessage.Ip(new IpMessage.StepDone(2, g, 3, IpMessage.Phase.RELEASE, true, "ok", List.of())),
                new WireMessage.Ip(new IpMessage.Refused(2, g, g + 1)));
    }

    @RepeatedTest(10)
    void everyLeaderAndIpMessageRoundTripsCompact() throws Exception {
        long seed = System.nanoTime();
        for (WireMessage m : periodic(new Random(seed))) {
            byte[] b = codec.encode(m);
            assertThat(b[0]).as("%s (seed %d)", m, seed).isEqualTo(CompactWire.TAG);
            assertThat(codec.decode(b)).as("seed %d", seed).isEqualTo(m);
        }
    }

    /** The mesh has no JSON fallback: every message type but the two binary ones has this form. */
    @Test
    void everyOtherMessageTypeHasACompactForm() {
        for (Class<?> c : WireMessage.class.getPermittedSubclasses()) {
            if (c != WireMessage.Migration.class && c != WireMessage.CtdbRelay.class) {
                assertThat(CompactWire.carries(c)).as("%s", c).isTrue();
            }
        }
        assertThat(codec.encode(new WireMessage.Hello(2, "0123456789abcdef", "0.1.0"))[0])
                .isEqualTo(CompactWire.TAG);
    }

    /** Every cut of every frame, and every frame with a byte changed, is a clear error or a message: never a crash. */
    @RepeatedTest(5)
    void damagedFramesAreBadMessages() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (WireMessage m : periodic(r)) {
            byte[] b = codec.encode(m);
            for (int len = 1; len < b.length; len++) {
                byte[] cut = Arrays.copyOf(b, len);
                assertThatThrownBy(() -> codec.decode(cut)).as("seed %d", seed).isInstanceOf(BadMessageException.class);
            }
            for (int i = 1; i < b.length; i++) {
                byte[] bad = b.clone();
                bad[i] = (byte) r.nextInt(256);
                try {
                    assertThat(codec.decode(bad)).isNotNull();
                } catch (BadMessageException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Test
    void namesCountsAndTrailingBytesAreChecked() {
        assertThatThrownBy(() -> codec.decode(frame("nope")))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("unknown WireMessage type \"nope\"");
        // A migration is a WireMessage, but one only ever sent in BinaryWire's form.
        assertThatThrownBy(() -> codec.decode(frame("migration")))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("\"migration\"");
        byte[] huge = codec.encode(new WireMessage.Leader(new LeaderMessage.FinishRecovery(1, 2, 3, List.of())));
        // The vnnMap count is the last 4 bytes: claim more elements than the frame has bytes.
        huge[huge.length - 1] = 0x7f;
        assertThatThrownBy(() -> codec.decode(huge))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("elements in 0 bytes");
        byte[] longer = Arrays.copyOf(codec.encode(new WireMessage.Keepalive()), 20);
        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("bytes after its last field");
    }

    record Floating(double value) {}

    record Plain(int value, List<String> names) {}

    record Unsorted(java.util.SortedMap<Object, String> byAnything) {}

    @Test
    void aRecordWithAComponentTypeOfNoFormIsNotCarried() {
        assertThat(CompactWire.carries(Plain.class)).isTrue();
        assertThat(CompactWire.carries(Floating.class)).isFalse();
        assertThat(CompactWire.carries(Unsorted.class))
                .as("sorted map keys must be Comparable")
                .isFalse();
        assertThat(CompactWire.carries(String.class)).isFalse();
    }

    private static byte[] frame(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] f = new byte[2 + n.length];
        f[0] = CompactWire.TAG;
        f[1] = (byte) n.length;
        System.arraycopy(n, 0, f, 2, n.length);
        return f;
    }
}
