package org.jctdb.protocol.ctdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every packet recorded between Debian's ctdb tool / smbd and a real ctdbd 4.17 decodes, and
 * encodes back to the identical bytes, padding included; so does every typed control payload.
 */
class GoldenTranscriptTest {
    private final CtdbCodec codec = new CtdbCodec();

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "transcripts were recorded on x86-64");
    }

    static Stream<String> transcripts() {
        return Transcript.all().stream();
    }

    @Test
    void allTranscriptsArePresent() {
        assertThat(Transcript.all())
                .contains("pnn", "status", "getdbmap", "ptrans", "catdb-volatile", "smbd-put-get", "unknown-opcode-raw")
                .hasSizeGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest
    @MethodSource("transcripts")
    void everyPacketRoundTripsByteForByte(String name) throws BadPacketException {
        Transcript t = Transcript.load(name);
        assertThat(t.packets()).isNotEmpty();
        for (Transcript.Decoded d : t.decodeAll()) {
            byte[] wire = d.raw().bytes();
            assertThat(codec.reencode(d.frame()))
                    .as("%s line %d", name, d.raw().line())
                    .isEqualTo(wire);
            if (codec.encode(d.header(), d.packet()).length == wire.length) {
                // mostly: ctdbd and the ctdb tool pad to 8 and put the padded size in the length field
                assertThat(codec.encode(d.header(), d.packet()))
                        .as("%s line %d padded", name, d.raw().line())
                        .isEqualTo(wire);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transcripts")
    void everyDaemonPacketIsPaddedToEightBytes(String name) throws BadPacketException {
        for (Transcript.Decoded d : Transcript.load(name).decodeAll()) {
            if (!d.raw().fromClient()) {
                assertThat(d.header().length() % 8)
                        .as("%s line %d", name, d.raw().line())
                        .isZero();
            }
        }
    }

    /** Pairs each reply with its request's opcode by (connection, reqid). */
    @ParameterizedTest
    @MethodSource("transcripts")
    void everyTypedControlPayloadRoundTrips(String name) throws BadPacketException {
        Map<String, Integer> pending = new HashMap<>();
        for (Transcript.Decoded d : Transcript.load(name).decodeAll()) {
            String key = d.raw().conn() + "/" + d.header().reqid();
            if (d.packet() instanceof ReqControl c) {
                pending.put(key, c.opcode());
                ControlOpcode op = c.knownOpcode();
                PayloadRoundTrip.Codec pc = op == null ? null : PayloadRoundTrip.request(op);
                if (pc != null) {
                    assertThat(pc.roundTrip(c.data().toArray()))
                            .as("%s line %d %s request", name, d.raw().line(), op)
                            .isEqualTo(c.data().toArray());
                } else {
                    assertThat(c.data().length())
                            .as(
                                    "%s line %d: %s request carries an untyped payload",
                                    name, d.raw().line(), ControlOpcode.describe(c.opcode()))
                            .isZero();
                }
            } else if (d.packet() instanceof ReplyControl r) {
                Integer opcode = pending.remove(key);
                assertThat(opcode)
                        .as(
                                "%s line %d: reply to an unseen request",
                                name, d.raw().line())
                        .isNotNull();
                ControlOpcode op = ControlOpcode.fromCode(opcode);
                PayloadRoundTrip.Codec pc = op == null ? null : PayloadRoundTrip.reply(op);
                if (r.status() == 0 && pc != null && r.data().length() > 0) {
                    assertThat(pc.roundTrip(r.data().toArray()))
                            .as("%s line %d %s reply", name, d.raw().line(), op)
                            .isEqualTo(r.data().toArray());
                } else if (op != ControlOpcode.DB_GET_HEALTH) {
                    assertThat(r.data().length())
                            .as(
                                    "%s line %d: %s reply carries an untyped payload",
                                    name, d.raw().line(), ControlOpcode.describe(opcode))
                            .isZero();
                }
            }
        }
    }

    @Test
    void theOpcodesRecordedAreTheOnesExpected() throws BadPacketException {
        TreeSet<String> seen = new TreeSet<>();
        for (String name : Transcript.all()) {
            for (Transcript.Decoded d : Transcript.load(name).decodeAll()) {
                if (d.packet() instanceof ReqControl c) {
                    seen.add(ControlOpcode.describe(c.opcode()));
                }
            }
        }
        assertThat(seen)
                .contains(
                        "GET_PNN(35)",
                        "REGISTER_SRVID(23)",
                        "DEREGISTER_SRVID(24)",
                        "GET_NODEMAP(91)",
                        "GETVNNMAP(5)",
                        "GET_RECMODE(15)",
                        "GET_RUNSTATE(138)",
                        "GET_IFACES(124)",
                        "GET_DBMAP(9)",
                        "GET_DBNAME(25)",
                        "GETDBPATH(4)",
                        "DB_ATTACH(18)",
                        "DB_ATTACH_PERSISTENT(61)",
                        "DB_GET_HEALTH(122)",
                        "DB_OPEN_FLAGS(149)",
                        "ENABLE_SEQNUM(26)",
                        "GET_DB_SEQNUM(120)",
                        "TRAVERSE_START(20)",
                        "TRAVERSE_START_EXT(131)",
                        "TRANS3_COMMIT(119)",
                        "SCHEDULE_FOR_DELETION(128)",
                        "GET_PUBLIC_IPS(90)",
                        "GET_PUBLIC_IP_INFO(123)",
                        "TCP_CLIENT(44)",
                        "GET_CAPABILITIES(80)",
                        "PROCESS_EXISTS(0)",
                        "CHECK_PID_SRVID(151)",
                        "LIST_TUNABLES(50)",
                        "GET_TUNABLE(49)",
                        "UPTIME(69)",
                        "unknown opcode 9999");
    }

    static List<Transcript.Decoded> decoded(String name) throws BadPacketException {
        return Transcript.load(name).decodeAll();
    }
}
