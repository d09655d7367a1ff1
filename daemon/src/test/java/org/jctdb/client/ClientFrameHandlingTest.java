package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jctdb.control.ClusterView;
import org.jctdb.control.NodeView;
import org.jctdb.database.DatabaseDirectories;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.LockWaiter;
import org.jctdb.database.TdbFiles;
import org.jctdb.mesh.WireMessage;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The client socket's frame handling with hand-written and fuzzed bad input, on Netty's
 * EmbeddedChannel: every bad stream ends in an error reply or a closed connection with a log
 * line naming the client and its pid, and the service keeps serving other clients.
 */
class ClientFrameHandlingTest {
    private static final int PID = 4242;
    private final CtdbCodec codec = new CtdbCodec(ClientProtocol.MAX_CLIENT_PACKET);
    private final List<WireMessage> sentToPeers = new CopyOnWriteArrayList<>();
    private final AtomicLong numbers = new AtomicLong();
    private CtdbService service;
    private ListAppender<ILoggingEvent> logged;

    @BeforeEach
    void setUp() {
        ClusterView view = new ClusterView(
                0,
                List.of(new NodeView(0, "127.0.0.1", 0), new NodeView(1, "127.0.0.2", 0)),
                7,
                List.of(0, 1),
                0,
                0,
                System.currentTimeMillis(),
                0,
                0,
                Optional.empty());
        CtdbService.Host host = new StubHost(() -> view, (pnn, m) -> {
            sentToPeers.add(m);
            return true; // and never answer: a peer that is slow
        });
        LocalDatabases dbs =
                new LocalDatabases(new TdbFiles(null), DatabaseDirectories.under(Path.of("/nonexistent")), 0, 101);
        service = new CtdbService(
                codec,
                host,
                dbs,
                new DatabaseWorker(new LockWaiter(Path.of("/nonexistent"))),
                new Controls.Settings(4379));
        logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger("jctdb.client")).addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger("jctdb.client")).detachAppender(logged);
        service.close();
    }

    private EmbeddedChannel client() {
        long n = numbers.incrementAndGet();
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ClientServer.install(ch, service, n, c -> PID);
            }
        });
    }

    private byte[] control(int opcode, int destnode, int reqid) {
        return codec.encode(
                CtdbHeader.of(CtdbHeader.REQ_CONTROL, 0, destnode, 0, reqid),
                new ReqControl(opcode, 0, 0, 0, Bytes.EMPTY));
    }

    private CtdbCodec.Frame reply(EmbeddedChannel ch) throws BadPacketException {
        ByteBuf b = ch.readOutbound();
        assertThat(b).as("a reply").isNotNull();
        byte[] wire = new byte[b.readableBytes()];
        b.readBytes(wire);
        b.release();
        assertThat(wire.length % 8).as("replies are padded to 8 bytes").isZero();
        return codec.decode(wire);
    }

    private void assertStillServing() throws BadPacketException {
        EmbeddedChannel other = client();
        other.writeInbound(Unpooled.wrappedBuffer(control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 77)));
        CtdbCodec.Frame f = reply(other);
        assertThat(f.header().reqid()).isEqualTo(77);
        assertThat(((ReplyControl) f.packet()).status()).isZero();
        other.close();
    }

    private void assertClosedWithLogLine(EmbeddedChannel ch) {
        ch.runPendingTasks();
        assertThat(ch.isOpen()).as("connection closed").isFalse();
        assertThat(logged.list)
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .contains("(pid " + PID + ")")
                        .contains("bad packet"));
    }

    @Test
    void unknownOpcodeGetsCtdbsErrorReplyAndTheConnectionStays() throws Exception {
        EmbeddedChannel ch = client();
        ch.writeInbound(Unpooled.wrappedBuffer(control(9999, CtdbWire.CURRENT_NODE, 5)));
        CtdbCodec.Frame f = reply(ch);
        ReplyControl r = (ReplyControl) f.packet();
        assertThat(r.status()).isEqualTo(-1);
        assertThat(r.data().length()).isZero();
        assertThat(f.header().reqid()).isEqualTo(5);
        ch.writeInbound(Unpooled.wrappedBuffer(control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 6)));
        assertThat(((ReplyControl) reply(ch).packet()).status()).isZero();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aPacketInPiecesIsAnsweredOnceWhole() throws Exception {
        EmbeddedChannel ch = client();
        byte[] p = control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 9);
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(p, 3)));
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(p, 3, 40)));
        assertThat((Object) ch.readOutbound()).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(p, 40, p.length)));
        assertThat(reply(ch).header().reqid()).isEqualTo(9);
    }

    @Test
    void truncatedThenGoneLeavesNothingBehind() throws Exception {
        EmbeddedChannel ch = client();
        byte[] p = control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 9);
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(p, 20)));
        ch.close();
        assertThat(service.clients()).isZero();
        assertStillServing();
    }

    @Test
    void wrongMagicClosesWithALogLineNamingTheClient() throws Exception {
        EmbeddedChannel ch = client();
        byte[] p = control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 1);
        p[4] ^= 0x55;
        ch.writeInbound(Unpooled.wrappedBuffer(p));
        assertClosedWithLogLine(ch);
        assertStillServing();
    }

    @Test
    void oversizedAndUndersizedLengthsClose() throws Exception {
        for (int length : new int[] {ClientProtocol.MAX_CLIENT_PACKET + 8, 60 << 20, 31, 0, -1}) {
            EmbeddedChannel ch = client();
            byte[] p = control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 1);
            ByteBuffer.wrap(p).order(CtdbWire.ORDER).putInt(0, length);
            ch.writeInbound(Unpooled.wrappedBuffer(p));
            assertClosedWithLogLine(ch);
        }
        assertStillServing();
    }

    @Test
    void aBodyThatRunsPastItsPacketCloses() throws Exception {
        EmbeddedChannel ch = client();
        byte[] p = control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 1);
        ByteBuffer.wrap(p).order(CtdbWire.ORDER).putInt(32 + 24, 1000); // datalen
        ch.writeInbound(Unpooled.wrappedBuffer(p));
        assertClosedWithLogLine(ch);
        assertStillServing();
    }

    @Test
    void garbageCloses() throws Exception {
        Random r = new Random(14);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[64 + r.nextInt(200)];
            r.nextBytes(junk);
            EmbeddedChannel ch = client();
            ch.writeInbound(Unpooled.wrappedBuffer(junk));
            ch.runPendingTasks();
            ch.checkException();
            // either closed, or waiting for the rest of a (random but legal) length
            if (ch.isOpen()) {
                ch.close();
            }
        }
        assertThat(service.clients()).isZero();
        assertStillServing();
    }

    @Test
    void fuzzedPacketsNeverEscapeAsExceptions() throws Exception {
        Random r = new Random(1414);
        byte[][] seeds = {
            control(ControlOpcode.GET_PNN.code(), CtdbWire.CURRENT_NODE, 1),
            control(ControlOpcode.GET_NODEMAP.code(), CtdbWire.CURRENT_NODE, 2),
            codec.encode(
                    CtdbHeader.of(CtdbHeader.REQ_CONTROL, 0, CtdbWire.CURRENT_NODE, 0, 3),
                    new ReqControl(ControlOpcode.CHECK_PID_SRVID.code(), 0, 0, 0, Bytes.of(new byte[12]))),
            codec.encode(
                    CtdbHeader.of(CtdbHeader.REQ_CONTROL, 0, CtdbWire.CURRENT_NODE, 0, 4),
                    new ReqControl(
                            ControlOpcode.GET_TUNABLE.code(), 0, 0, 0, Bytes.of(new byte[] {3, 0, 0, 0, 'a', 'b', 0}))),
            codec.encode(
                    CtdbHeader.of(CtdbHeader.REQ_MESSAGE, 0, CtdbWire.CURRENT_NODE, 0, 5),
                    new CtdbPacket.ReqMessage(42, Bytes.of(new byte[] {1, 2, 3}))),
        };
        for (int i = 0; i < 3000; i++) {
            byte[] p = seeds[r.nextInt(seeds.length)].clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = r.nextInt(p.length);
                // keep the length field sane half of the time so bodies get parsed too
                if (at < 4 && r.nextBoolean()) {
                    continue;
                }
                p[at] = (byte) r.nextInt(256);
            }
            EmbeddedChannel ch = client();
            ch.writeInbound(Unpooled.wrappedBuffer(p));
            ch.runPendingTasks();
            ch.checkException();
            for (Object o; (o = ch.readOutbound()) != null; ) {
                ((ByteBuf) o).release();
            }
            ch.close();
        }
        assertThat(service.clients()).isZero();
        assertStillServing();
    }

    @Test
    void aClientThatLeavesWhileItsControlIsOnAnotherNode() throws Exception {
        EmbeddedChannel ch = client();
        ch.writeInbound(Unpooled.wrappedBuffer(control(ControlOpcode.GET_PNN.code(), 1, 11)));
        assertThat(sentToPeers).hasSize(1);
        ch.close();
        // the answer arrives after the client has gone: dropped quietly
        WireMessage.CtdbRelay asked = (WireMessage.CtdbRelay) sentToPeers.get(0);
        byte[] answer =
                codec.encode(CtdbHeader.of(CtdbHeader.REPLY_CONTROL, 7, 0, 1, 11), ReplyControl.ok(1, Bytes.EMPTY));
        service.relayReceived(1, new WireMessage.CtdbRelay(WireMessage.CtdbRelay.Kind.REPLY, asked.id(), answer));
        // and a node that goes away fails the waiting control at once
        EmbeddedChannel waiting = client();
        waiting.writeInbound(Unpooled.wrappedBuffer(control(ControlOpcode.GET_PNN.code(), 1, 12)));
        service.peerDisconnected(1);
        waiting.runPendingTasks();
        CtdbCodec.Frame f = reply(waiting);
        assertThat(((ReplyControl) f.packet()).status()).isEqualTo(-1);
        assertThat(((ReplyControl) f.packet()).errorMessage()).contains("node 1 disconnected");
        assertStillServing();
    }
}
