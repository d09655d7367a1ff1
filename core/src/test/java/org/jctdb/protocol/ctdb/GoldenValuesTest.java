package org.jctdb.protocol.ctdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the recorded packets say, decoded: the transcripts come from a 2-node CTDB 4.17 cluster on
 * 127.0.61.1 and 127.0.61.2 (port 4379) with public addresses 203.0.113.1-2 on lo; see
 * tools/ctdb-recorder/README.md.
 */
class GoldenValuesTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "transcripts were recorded on x86-64");
    }

    /** A request and the reply with the same connection and reqid. */
    record Exchange(CtdbHeader requestHeader, ReqControl request, ReplyControl reply) {}

    static List<Exchange> exchanges(String transcript, ControlOpcode op) throws BadPacketException {
        List<Transcript.Decoded> all = Transcript.load(transcript).decodeAll();
        List<Exchange> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).packet() instanceof ReqControl c && c.opcode() == op.code()) {
                for (Transcript.Decoded r : all.subList(i + 1, all.size())) {
                    if (r.packet() instanceof ReplyControl rc
                            && r.raw().conn() == all.get(i).raw().conn()
                            && r.header().reqid() == all.get(i).header().reqid()) {
                        out.add(new Exchange(all.get(i).header(), c, rc));
                        break;
                    }
                }
            }
        }
        assertThat(out).as("%s in %s", op, transcript).isNotEmpty();
        return out;
    }

    static Exchange first(String transcript, ControlOpcode op) throws BadPacketException {
        return exchanges(transcript, op).get(0);
    }

    @Test
    void pnnIsTheFirstControlAndAnswersInTheStatus() throws BadPacketException {
        Transcript.Decoded first = Transcript.load("pnn").decodeAll().get(0);
        // before it knows its pnn the tool sends from UNKNOWN_PNN to CURRENT_NODE
        assertThat(first.header().destnode()).isEqualTo(CtdbWire.CURRENT_NODE);
        assertThat(first.header().srcnode()).isEqualTo(CtdbWire.UNKNOWN_PNN);
        assertThat(first.header().length()).isEqualTo(64); // 56 bytes, padded
        Exchange e = first("pnn", ControlOpcode.GET_PNN);
        assertThat(e.reply()).isEqualTo(ReplyControl.ok(0, Bytes.EMPTY));
        assertThat(first("pnn", ControlOpcode.REGISTER_SRVID).request().srvid()).isEqualTo(CtdbWire.SRVID_LEADER);
    }

    @Test
    void nodemapHoldsTheTwoConfiguredNodes() throws Exception {
        NodeMap map = NodeMap.decode(
                first("status", ControlOpcode.GET_NODEMAP).reply().data().toArray());
        assertThat(map.nodes()).extracting(NodeMap.Node::pnn).containsExactly(0, 1);
        assertThat(map.nodes()).extracting(NodeMap.Node::flags).containsExactly(0, 0);
        assertThat(map.nodes().get(0).address().address()).isEqualTo(InetAddress.getByName("127.0.61.1"));
        assertThat(map.nodes().get(1).address().address()).isEqualTo(InetAddress.getByName("127.0.61.2"));
        assertThat(map.nodes().get(0).address().port()).isEqualTo(4379);
        assertThat(map.nodes().get(0).address().family()).isEqualTo(SockAddr.AF_INET);
        assertThat(map.encode()).hasSize(4 + 2 * 36);
    }

    @Test
    void statusReadsRunstateVnnmapRecmodeAndIfaces() throws BadPacketException {
        assertThat(ControlData.decodeU32(
                        first("status", ControlOpcode.GET_RUNSTATE)
                                .reply()
                                .data()
                                .toArray(),
                        "rs"))
                .isEqualTo(5); // RUNNING
        VnnMap vnn = VnnMap.decode(
                first("status", ControlOpcode.GETVNNMAP).reply().data().toArray());
        assertThat(vnn.map()).containsExactly(0, 1);
        assertThat(first("status", ControlOpcode.GET_RECMODE).reply().status()).isZero(); // NORMAL
        IfaceList ifaces = IfaceList.decode(
                first("status", ControlOpcode.GET_IFACES).reply().data().toArray());
        assertThat(ifaces.ifaces()).extracting(IfaceList.Iface::name).containsExactly("lo");
        // the leader arrives as a message to SRVID_LEADER carrying its pnn
        ReqMessage leader = Transcript.load("status").decodeAll().stream()
                .map(Transcript.Decoded::packet)
                .filter(ReqMessage.class::isInstance)
                .map(ReqMessage.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(leader.srvid()).isEqualTo(CtdbWire.SRVID_LEADER);
        assertThat(leader.data().length()).isEqualTo(4);
    }

    @Test
    void publicIpsAndTheirInfo() throws Exception {
        PublicIpList ips = PublicIpList.decode(
                first("ip", ControlOpcode.GET_PUBLIC_IPS).reply().data().toArray());
        assertThat(ips.ips())
                .extracting(ip -> ip.address().address())
                .containsExactlyInAnyOrder(InetAddress.getByName("203.0.113.1"), InetAddress.getByName("203.0.113.2"));
        Exchange info = first("ip", ControlOpcode.GET_PUBLIC_IP_INFO);
        SockAddr asked = SockAddr.decode(info.request().data().toArray());
        PublicIpInfo answer = PublicIpInfo.decode(info.reply().data().toArray());
        assertThat(answer.ip().address()).isEqualTo(asked);
        assertThat(answer.ifaces().ifaces()).extracting(IfaceList.Iface::name).containsExactly("lo");
    }

    @Test
    void attachReturnsTheDbIdThatGetdbpathAndOpenFlagsUse() throws BadPacketException {
        Exchange attach = first("attach-volatile", ControlOpcode.DB_ATTACH);
        assertThat(ControlData.decodeCString(attach.request().data().toArray(), "name"))
                .isEqualTo("rec_volatile.tdb");
        int dbId = ControlData.decodeU32(attach.reply().data().toArray(), "db_id");
        Exchange path = first("attach-volatile", ControlOpcode.GETDBPATH);
        assertThat(ControlData.decodeU32(path.request().data().toArray(), "db_id"))
                .isEqualTo(dbId);
        assertThat(ControlData.decodeCString(path.reply().data().toArray(), "path"))
                .endsWith("/db/volatile/rec_volatile.tdb.0");
        Exchange flags = first("attach-volatile", ControlOpcode.DB_OPEN_FLAGS);
        int tdbFlags = ControlData.decodeU32(flags.reply().data().toArray(), "flags");
        assertThat(tdbFlags & 0x1)
                .as("TDB_CLEAR_IF_FIRST for a volatile database")
                .isEqualTo(1);

        Exchange pattach = first("attach-persistent", ControlOpcode.DB_ATTACH_PERSISTENT);
        assertThat(ControlData.decodeCString(pattach.request().data().toArray(), "name"))
                .isEqualTo("rec_persistent.tdb");
    }

    @Test
    void dbmapListsTheAttachedDatabasesWithTheirFlags() throws BadPacketException {
        DbidMap map = DbidMap.decode(
                first("getdbmap-after", ControlOpcode.GET_DBMAP).reply().data().toArray());
        assertThat(map.dbs()).hasSize(4);
        List<String> names = new ArrayList<>();
        for (Exchange e : exchanges("getdbmap-after", ControlOpcode.GET_DBNAME)) {
            names.add(ControlData.decodeCString(e.reply().data().toArray(), "name"));
        }
        assertThat(names).containsExactlyInAnyOrder("g_lock.tdb", "rec_persistent.tdb", "rec_volatile.tdb", "ctdb.tdb");
        assertThat(map.dbs())
                .filteredOn(d -> (d.flags() & CtdbWire.DB_FLAGS_PERSISTENT) != 0)
                .hasSize(2);
    }

    @Test
    void writekeyMigratesTheRecordWithANullCall() throws BadPacketException {
        ReqCall call = Transcript.load("writekey").decodeAll().stream()
                .map(Transcript.Decoded::packet)
                .filter(ReqCall.class::isInstance)
                .map(ReqCall.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(call.callId()).isEqualTo(CtdbWire.NULL_FUNC);
        assertThat(call.flags()).isEqualTo(CtdbWire.CALL_IMMEDIATE_MIGRATION);
        assertThat(call.key().toUtf8()).isEqualTo("key1");
        assertThat(call.callData()).isEqualTo(Bytes.EMPTY);
        ReplyCall reply = Transcript.load("writekey").decodeAll().stream()
                .map(Transcript.Decoded::packet)
                .filter(ReplyCall.class::isInstance)
                .map(ReplyCall.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(reply).isEqualTo(new ReplyCall(0, Bytes.EMPTY));
    }

    @Test
    void catdbStreamsRecordsWithHeadersThenAnEmptyRecord() throws BadPacketException {
        Exchange start = first("catdb-volatile", ControlOpcode.TRAVERSE_START_EXT);
        TraverseStartExt t = TraverseStartExt.decode(start.request().data().toArray());
        assertThat(t.srvid() >>> 56).isEqualTo(CtdbWire.SRVID_CLIENT_RANGE >>> 56);
        List<RecData> recs = new ArrayList<>();
        for (Transcript.Decoded d : Transcript.load("catdb-volatile").decodeAll()) {
            if (d.packet() instanceof ReqMessage m && m.srvid() == t.srvid()) {
                recs.add(RecData.decode(m.data().toArray()));
            }
        }
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0).reqid()).isEqualTo(t.reqid());
        assertThat(recs.get(0).key().toUtf8()).isEqualTo("key1");
        assertThat(recs.get(0).value().toUtf8()).isEqualTo("value1");
        assertThat(recs.get(0).header().dmaster()).isZero();
        assertThat(recs.get(1).key()).isEqualTo(Bytes.EMPTY); // the end of the traverse
        assertThat(recs.get(1).data()).isEqualTo(Bytes.EMPTY);
    }

    @Test
    void ptransCommitsItsRecordsAndTheSequenceNumberInOneTrans3Commit() throws BadPacketException {
        Exchange commit = first("ptrans", ControlOpcode.TRANS3_COMMIT);
        RecBuffer buf = RecBuffer.decode(commit.request().data().toArray());
        List<String> keys = new ArrayList<>();
        for (RecData r : buf.records()) {
            keys.add(r.key().toUtf8());
        }
        assertThat(keys).contains("tkey1", "tkey2", CtdbWire.DB_SEQNUM_KEY + "\0");
        RecData tkey1 = buf.records().get(keys.indexOf("tkey1"));
        assertThat(tkey1.value().toUtf8()).isEqualTo("tvalue1");
        RecData seq = buf.records().get(keys.indexOf(CtdbWire.DB_SEQNUM_KEY + "\0"));
        assertThat(seq.value().length()).isEqualTo(8); // a u64
        assertThat(commit.reply().status()).isZero();
        // the commit ran under a g_lock record (in g_lock.tdb), which the tool then schedules for deletion
        KeyData del = KeyData.decode(first("ptrans", ControlOpcode.SCHEDULE_FOR_DELETION)
                .request()
                .data()
                .toArray());
        assertThat(del.dbId()).isNotEqualTo(buf.dbId());
        assertThat(del.key().length()).isPositive();
    }

    @Test
    void getdbseqnumSendsAPaddedDbIdAndGetsAU64() throws BadPacketException {
        Exchange e = first("getdbseqnum", ControlOpcode.GET_DB_SEQNUM);
        assertThat(e.request().data().length()).isEqualTo(8);
        assertThat(ControlData.decodeU64(e.reply().data().toArray(), "seqnum")).isEqualTo(2L);
    }

    @Test
    void processExistsAndCheckPidSrvidAnswerInTheStatus() throws BadPacketException {
        assertThat(first("process-exists", ControlOpcode.PROCESS_EXISTS).reply().status())
                .isZero();
        assertThat(first("process-exists-missing", ControlOpcode.PROCESS_EXISTS)
                        .reply()
                        .status())
                .isEqualTo(-1);
        Exchange e = first("process-exists-srvid", ControlOpcode.CHECK_PID_SRVID);
        assertThat(e.request().data().length()).isEqualTo(PidSrvid.SIZE);
        assertThat(PidSrvid.decode(e.request().data().toArray()).srvid()).isEqualTo(0xAE00000000000001L);
        assertThat(e.reply().status()).isZero();
    }

    @Test
    void tunablesAndCapabilities() throws BadPacketException {
        List<String> names = ControlData.decodeTunableNames(
                first("getvar", ControlOpcode.LIST_TUNABLES).reply().data().toArray());
        assertThat(names).contains("RecoverTimeout", "KeepaliveInterval");
        Exchange get = first("getvar", ControlOpcode.GET_TUNABLE);
        assertThat(ControlData.decodeStringN(get.request().data().toArray(), "name"))
                .isEqualTo("RecoverTimeout");
        assertThat(ControlData.decodeU32(get.reply().data().toArray(), "value")).isEqualTo(30);
        int caps = ControlData.decodeU32(
                first("getcapabilities", ControlOpcode.GET_CAPABILITIES)
                        .reply()
                        .data()
                        .toArray(),
                "caps");
        assertThat(caps)
                .isEqualTo(CtdbWire.CAP_RECMASTER
                        | CtdbWire.CAP_LMASTER
                        | CtdbWire.CAP_PARALLEL_RECOVERY
                        | CtdbWire.CAP_FRAGMENTED_CONTROLS);
        // -n 1: the control goes to node 1 through node 0
        assertThat(first("getcapabilities-node1", ControlOpcode.GET_CAPABILITIES)
                        .requestHeader()
                        .destnode())
                .isEqualTo(1);
    }

    @Test
    void unknownOpcodeGetsMinusOneAndNoMessage() throws BadPacketException {
        List<Transcript.Decoded> all = Transcript.load("unknown-opcode-raw").decodeAll();
        assertThat(((ReqControl) all.get(0).packet()).knownOpcode()).isNull();
        assertThat(all.get(1).packet()).isEqualTo(new ReplyControl(-1, Bytes.EMPTY, Bytes.EMPTY));
        assertThat(all.get(1).header().reqid()).isEqualTo(all.get(0).header().reqid());
    }

    @Test
    void smbdSendsUnpaddedCallsAndTellsTheDaemonAboutClientConnections() throws Exception {
        List<Transcript.Decoded> all = Transcript.load("smbd-put-get").decodeAll();
        assertThat(all.stream()
                        .filter(d -> d.packet() instanceof ReqCall)
                        .map(d -> d.header().length() % 8))
                .contains(2, 4); // no padding at all
        // TCP_CLIENT goes out with NOREPLY, unpadded (116 bytes), and ctdbd answers nothing
        Transcript.Decoded tcp = all.stream()
                .filter(d -> d.packet() instanceof ReqControl c && c.opcode() == ControlOpcode.TCP_CLIENT.code())
                .findFirst()
                .orElseThrow();
        assertThat(((ReqControl) tcp.packet()).flags()).isEqualTo(CtdbWire.CTRL_FLAG_NOREPLY);
        assertThat(tcp.header().length()).isEqualTo(116);
        assertThat(all)
                .noneMatch(d -> d.packet() instanceof ReplyControl
                        && d.raw().conn() == tcp.raw().conn()
                        && d.header().reqid() == tcp.header().reqid());
        TcpConnection conn =
                TcpConnection.decode(((ReqControl) tcp.packet()).data().toArray());
        // src is the SMB client, dst smbd's own address and port
        assertThat(conn.dst().address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(conn.dst().port()).isEqualTo(4455);
        assertThat(conn.src().address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(conn.src().port()).isNotEqualTo(4455);
        Exchange trav = first("smbd-put-get", ControlOpcode.TRAVERSE_START);
        assertThat(TraverseStart.decode(trav.request().data().toArray()).dbId()).isNotZero();
        RecBuffer commit = RecBuffer.decode(first("smbd-put-get", ControlOpcode.TRANS3_COMMIT)
                .request()
                .data()
                .toArray());
        assertThat(commit.records()).isNotEmpty();
        for (RecData r : commit.records()) {
            assertThat(r.header().rsn()).isPositive();
        }
    }
}
