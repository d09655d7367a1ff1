package org.jctdb.protocol.ctdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.junit.jupiter.api.Test;

/** Hand-written bad packets: each is refused with a message that names what is wrong. */
class CtdbCodecTest {
    private final CtdbCodec codec = new CtdbCodec();

    private static byte[] getPnn() {
        return new CtdbCodec()
                .encode(
                        CtdbHeader.of(CtdbHeader.REQ_CONTROL, 0, CtdbWire.CURRENT_NODE, 0, 7),
                        new ReqControl(ControlOpcode.GET_PNN.code(), 0, 0, 0, Bytes.EMPTY));
    }

    private static void putU32(byte[] b, int offset, int v) {
        ByteBuffer.wrap(b).order(CtdbWire.ORDER).putInt(offset, v);
    }

    @Test
    void encodesAControlPaddedToEightBytes() throws BadPacketException {
        byte[] wire = getPnn();
        assertThat(wire).hasSize(64); // 32 + 28, rounded up
        CtdbCodec.Frame f = codec.decode(wire);
        assertThat(f.header().length()).isEqualTo(64);
        assertThat(f.header().magic()).isEqualTo(CtdbWire.MAGIC);
        assertThat(f.packet()).isEqualTo(new ReqControl(35, 0, 0, 0, Bytes.EMPTY));
        assertThat(codec.peekLength(ByteBuffer.wrap(wire))).isEqualTo(64);
        assertThat(codec.peekLength(ByteBuffer.wrap(new byte[3]))).isEqualTo(-1);
    }

    @Test
    void wrongMagic() {
        byte[] wire = getPnn();
        putU32(wire, 4, 0x12345678);
        assertThatThrownBy(() -> codec.decode(wire))
                .isInstanceOf(BadPacketException.class)
                .hasMessage("bad magic 0x12345678 (expected 0x43544442)");
    }

    @Test
    void wrongVersion() {
        byte[] wire = getPnn();
        putU32(wire, 8, 2);
        assertThatThrownBy(() -> codec.decode(wire)).hasMessage("unsupported protocol version 2 (expected 1)");
    }

    @Test
    void shorterThanAHeader() {
        assertThatThrownBy(() -> codec.decode(new byte[31]))
                .hasMessage("packet of 31 bytes is shorter than the 32-byte header");
        byte[] wire = getPnn();
        putU32(wire, 0, 16);
        assertThatThrownBy(() -> codec.decode(wire))
                .hasMessage("declared length 16 is shorter than the 32-byte header");
        assertThatThrownBy(() -> codec.peekLength(ByteBuffer.wrap(wire))).isInstanceOf(BadPacketException.class);
    }

    @Test
    void declaredLengthMustMatchAndStayUnderTheMaximum() {
        byte[] wire = getPnn();
        putU32(wire, 0, 72);
        assertThatThrownBy(() -> codec.decode(wire)).hasMessage("declared length 72 but the packet has 64 bytes");
        putU32(wire, 0, 0xFFFFFFF0);
        assertThatThrownBy(() -> codec.decode(wire))
                .hasMessage("declared length 4294967280 exceeds the maximum of 67108864");
        CtdbCodec small = new CtdbCodec(48);
        assertThatThrownBy(() -> small.decode(getPnn())).hasMessage("declared length 64 exceeds the maximum of 48");
    }

    @Test
    void unknownOperation() {
        byte[] wire = getPnn();
        putU32(wire, 16, 6);
        assertThatThrownBy(() -> codec.decode(wire)).hasMessage("unknown operation 6");
    }

    @Test
    void aLengthFieldPastTheEndOfThePacket() {
        byte[] wire = getPnn();
        putU32(wire, 32 + 24, 100); // datalen
        assertThatThrownBy(() -> codec.decode(wire)).hasMessage("REQ_CONTROL: data needs 100 bytes but only 4 remain");
        byte[] call = codec.encode(
                CtdbHeader.of(CtdbHeader.REQ_CALL, 0, 0, 0, 1),
                new ReqCall(1, 2, CtdbWire.FETCH_FUNC, 0, Bytes.ofUtf8("key"), Bytes.EMPTY));
        putU32(call, 32 + 16, -1); // keylen 4 GiB
        assertThatThrownBy(() -> codec.decode(call))
                .hasMessage("REQ_CALL: key needs 4294967295 bytes but only 8 remain");
    }

    @Test
    void tooMuchAfterTheBody() {
        byte[] wire = new byte[96];
        System.arraycopy(getPnn(), 0, wire, 0, 64);
        putU32(wire, 0, 96);
        assertThatThrownBy(() -> codec.decode(wire))
                .hasMessage("REQ_CONTROL: 36 bytes after the body (at most 15 bytes of padding are allowed)");
    }

    @Test
    void reencodeKeepsAnUnpaddedLength() throws BadPacketException {
        ReqCall call = new ReqCall(1, 2, CtdbWire.NULL_FUNC, 0, Bytes.ofUtf8("abc"), Bytes.EMPTY);
        CtdbHeader h = CtdbHeader.of(CtdbHeader.REQ_CALL, 0, 0, 0, 9).withLength(59);
        byte[] exact = codec.reencode(new CtdbCodec.Frame(h, call));
        assertThat(exact).hasSize(59);
        assertThat(codec.decode(exact).packet()).isEqualTo(call);
        assertThat(codec.encode(h, call)).hasSize(64);
    }

    @Test
    void headerAndBodyMustAgree() {
        assertThatThrownBy(() ->
                        codec.encode(CtdbHeader.of(CtdbHeader.REQ_CALL, 0, 0, 0, 1), ReplyControl.ok(0, Bytes.EMPTY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorTextsTravelWithoutANul() throws BadPacketException {
        ReplyControl r = ReplyControl.failed(-1, "no such database");
        assertThat(r.error().length()).isEqualTo(16);
        assertThat(r.errorMessage()).isEqualTo("no such database");
        assertThat(new ReplyControl(-1, Bytes.EMPTY, Bytes.of("oops\0".getBytes())).errorMessage())
                .isEqualTo("oops");
        byte[] wire = codec.encode(CtdbHeader.of(CtdbHeader.REPLY_CONTROL, 1, 0, 0, 3), r);
        assertThat(codec.decode(wire).packet()).isEqualTo(r);
    }

    @Test
    void opcodes() {
        assertThat(ControlOpcode.fromCode(35)).isEqualTo(ControlOpcode.GET_PNN);
        assertThat(ControlOpcode.fromCode(2)).isNull();
        assertThat(ControlOpcode.describe(9999)).isEqualTo("unknown opcode 9999");
        assertThat(ControlOpcode.GET_RECMASTER.obsolete()).isTrue();
        assertThat(ControlOpcode.values()).hasSize(145);
    }

    @Test
    void payloadErrorsNameTheStructure() {
        assertThatThrownBy(() -> NodeMap.decode(new byte[] {5, 0, 0, 0, 1, 2}))
                .hasMessage("ctdb_node_map: num of 5 entries of 36 bytes exceeds the 2 bytes that remain");
        assertThatThrownBy(() -> ControlData.decodeCString(new byte[] {'a', 'b'}, "GETDBPATH reply"))
                .hasMessage("GETDBPATH reply: string of 2 bytes is not NUL-terminated");
        byte[] ext = new TraverseStartExt(1, 2, 3, true).encode();
        ext[16] = 2;
        assertThatThrownBy(() -> TraverseStartExt.decode(ext))
                .hasMessage("ctdb_traverse_start_ext: withemptyrecords is 2, not 0 or 1");
        assertThatThrownBy(() -> PidSrvid.decode(new byte[16]))
                .hasMessage("ctdb_pid_srvid: 4 unexpected bytes after the last field");
    }
}
