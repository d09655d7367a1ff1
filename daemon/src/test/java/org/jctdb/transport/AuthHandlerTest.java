package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jctdb.config.ClusterKeys;
import org.jctdb.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Every way the cluster-key handshake refuses a peer, and the frame integrity after it, on EmbeddedChannels. */
class AuthHandlerTest {
    private static final String FP = "0123456789abcdef";
    private static final Map<Integer, InetAddress> PEERS =
            Map.of(0, ip("127.0.0.1"), 1, ip("127.0.0.2"), 2, ip("127.0.0.3"));
    private static final ClusterKeys KEY = keys(ClusterKeys.generateLine());
    private static final ClusterKeys OTHER_KEY = keys(ClusterKeys.generateLine());

    /** A mesh stand-in: its settings, a nonce memory, the refusals it was told about. */
    static final class Host implements AuthHost {
        final MeshSettings settings;
        final Set<ByteBuffer> nonces = new HashSet<>();
        final List<String> refusals = new ArrayList<>();

        Host(int pnn, ClusterKeys keys, String fp) {
            settings = new MeshSettings(pnn, PEERS, 4379, fp, "test", 1000, 5, keys);
        }

        @Override
        public MeshSettings settings() {
            return settings;
        }

        @Override
        public boolean firstUseOfNonce(byte[] nonce) {
            return nonces.add(ByteBuffer.wrap(nonce.clone()));
        }

        @Override
        public void refused(InetAddress remote, String why) {
            refusals.add(remote.getHostAddress() + ": " + why);
        }
    }

    /** An EmbeddedChannel whose peer has an IP address (the handlers check it). */
    static final class Chan extends EmbeddedChannel {
        private final InetSocketAddress remote;
        final List<Object> events = new ArrayList<>();
        final List<String> received = new ArrayList<>();

        Chan(String remoteIp, AuthHost host, Optional<Integer> outboundTo) throws Exception {
            super(DefaultChannelId.newInstance(), false, false);
            this.remote = new InetSocketAddress(ip(remoteIp), 4379);
            FrameDecoder frames = new FrameDecoder(PeerAuth.MAX_HANDSHAKE_FRAME);
            pipeline()
                    .addLast(
                            frames,
                            new FramePrefix(),
                            new AuthHandler(host, outboundTo, frames),
                            new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf b = (ByteBuf) msg;
                                    received.add(b.toString(StandardCharsets.UTF_8));
                                    b.release();
                                }

                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    events.add(evt);
                                }
                            });
            register();
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }

        boolean authenticated() {
            return events.stream().anyMatch(e -> e instanceof AuthHandler.Authenticated);
        }
    }

    /** Moves bytes both ways until neither side has anything more to say. */
    static void pump(EmbeddedChannel a, EmbeddedChannel b) {
        boolean moved = true;
        while (moved) {
            moved = move(a, b) | move(b, a);
        }
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean any = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            any = true;
            if (to.isOpen()) {
                to.writeInbound(o);
            } else {
                ((ByteBuf) o).release();
            }
        }
        return any;
    }

    /** Dialer node 0 (127.0.0.1) to acceptor node 1; the acceptor sees the connection from 127.0.0.1. */
    private static Chan[] pair(ClusterKeys dialerKeys, ClusterKeys acceptorKeys, Host dialerHost, Host acceptorHost)
            throws Exception {
        Chan acceptor = new Chan("127.0.0.1", acceptorHost, Optional.empty());
        Chan dialer = new Chan("127.0.0.2", dialerHost, Optional.of(1));
        pump(dialer, acceptor);
        return new Chan[] {dialer, acceptor};
    }

    @Test
    void bothSidesProveTheKeyThenFramesPassIntact() throws Exception {
        Host dh = new Host(0, KEY, FP);
        Host ah = new Host(1, KEY, FP);
        Chan[] c = pair(KEY, KEY, dh, ah);
        assertThat(c[0].authenticated()).isTrue();
        assertThat(c[1].authenticated()).isTrue();
        assertThat(c[1].attr(AuthHandler.AUTHENTICATED_PNN).get()).isZero();
        assertThat(c[0].attr(AuthHandler.AUTHENTICATED_PNN).get()).isEqualTo(1);
        c[0].writeOutbound(Unpooled.copiedBuffer("hello acceptor", StandardCharsets.UTF_8));
        c[1].writeOutbound(Unpooled.copiedBuffer("hello dialer", StandardCharsets.UTF_8));
        pump(c[0], c[1]);
        assertThat(c[1].received).containsExactly("hello acceptor");
        assertThat(c[0].received).containsExactly("hello dialer");
        assertThat(dh.refusals).isEmpty();
        assertThat(ah.refusals).isEmpty();
    }

    @Test
    void aTamperedFrameClosesTheLink() throws Exception {
        Chan[] c = pair(KEY, KEY, new Host(0, KEY, FP), new Host(1, KEY, FP));
        c[0].writeOutbound(Unpooled.copiedBuffer("disable", StandardCharsets.UTF_8));
        ByteBuf bad = wire(c[0]);
        bad.setByte(5, bad.getByte(5) ^ 1);
        c[1].writeInbound(bad);
        assertThat(c[1].received).isEmpty();
        assertThat(c[1].isOpen()).isFalse();
    }

    @Test
    void aFrameWithATamperedTagClosesTheLink() throws Exception {
        Chan[] c = pair(KEY, KEY, new Host(0, KEY, FP), new Host(1, KEY, FP));
        c[0].writeOutbound(Unpooled.copiedBuffer("disable", StandardCharsets.UTF_8));
        ByteBuf bad = wire(c[0]);
        int last = bad.writerIndex() - 1;
        bad.setByte(last, bad.getByte(last) ^ 0x80);
        c[1].writeInbound(bad);
        assertThat(c[1].received).isEmpty();
        assertThat(c[1].isOpen()).isFalse();
    }

    @Test
    void aReplayedFrameClosesTheLink() throws Exception {
        Chan[] c = pair(KEY, KEY, new Host(0, KEY, FP), new Host(1, KEY, FP));
        c[0].writeOutbound(Unpooled.copiedBuffer("disable", StandardCharsets.UTF_8));
        ByteBuf wire = wire(c[0]);
        ByteBuf copy = wire.copy();
        c[1].writeInbound(wire);
        assertThat(c[1].received).containsExactly("disable");
        c[1].writeInbound(copy);
        assertThat(c[1].received).containsExactly("disable");
        assertThat(c[1].isOpen()).isFalse();
    }

    @Test
    void aDialerWithAnotherKeyIsRefused() throws Exception {
        Host ah = new Host(1, KEY, FP);
        Chan[] c = pair(OTHER_KEY, KEY, new Host(0, OTHER_KEY, FP), ah);
        assertThat(c[1].authenticated()).isFalse();
        assertThat(c[1].isOpen()).isFalse();
        assertThat(ah.refusals)
                .singleElement()
                .asString()
                .startsWith("127.0.0.1: it uses a cluster key this node does not have");
    }

    @Test
    void aDialerThatKnowsTheKeyIdButNotTheKeyIsRefused() throws Exception {
        Host ah = new Host(1, KEY, FP);
        Chan acceptor = new Chan("127.0.0.1", ah, Optional.empty());
        acceptor.writeInbound(challenge(0, 1, FP, KEY.primary().id(), new byte[32]));
        assertThat(wire(acceptor).readableBytes()).isEqualTo(4 + 5 + 4 + 64);
        ByteBuf proof = Unpooled.buffer();
        proof.writeInt(5 + 32)
                .writeBytes(PeerAuth.MAGIC)
                .writeByte(PeerAuth.PROOF)
                .writeBytes(new byte[32]);
        acceptor.writeInbound(proof);
        assertThat(acceptor.authenticated()).isFalse();
        assertThat(acceptor.isOpen()).isFalse();
        assertThat(ah.refusals).singleElement().asString().contains("failed to prove it holds the cluster key");
    }

    @Test
    void anAcceptorWithoutTheKeyIsRefusedByTheDialer() throws Exception {
        // The acceptor accepts the key id (it has both keys) but answers with the other key's MAC.
        ClusterKeys both = keys(line(OTHER_KEY), line(KEY));
        Host dh = new Host(0, KEY, FP);
        Chan dialer = new Chan("127.0.0.2", dh, Optional.of(1));
        ByteBuf challenge = wire(dialer);
        challenge.skipBytes(4 + 5 + 8 + 2 + FP.length() + 8);
        byte[] nonce = new byte[32];
        challenge.readBytes(nonce);
        challenge.release();
        byte[] acceptorNonce = new byte[32];
        acceptorNonce[0] = 1;
        byte[] t = PeerAuth.transcript(0, 1, FP, KEY.primary().id(), nonce, acceptorNonce);
        ByteBuf answer = Unpooled.buffer();
        answer.writeInt(5 + 4 + 64)
                .writeBytes(PeerAuth.MAGIC)
                .writeByte(PeerAuth.RESPONSE)
                .writeInt(1)
                .writeBytes(acceptorNonce)
                .writeBytes(PeerAuth.mac(both.primary().secret(), "acceptor", t));
        dialer.writeInbound(answer);
        assertThat(dialer.authenticated()).isFalse();
        assertThat(dialer.isOpen()).isFalse();
        assertThat(dh.refusals).singleElement().asString().contains("failed to prove it holds the cluster key");
    }

    @Test
    void aReplayedChallengeNonceIsRefused() throws Exception {
        Host ah = new Host(1, KEY, FP);
        byte[] nonce = new byte[32];
        nonce[3] = 7;
        Chan first = new Chan("127.0.0.1", ah, Optional.empty());
        first.writeInbound(challenge(0, 1, FP, KEY.primary().id(), nonce));
        assertThat(ah.refusals).isEmpty();
        Chan second = new Chan("127.0.0.1", ah, Optional.empty());
        second.writeInbound(challenge(0, 1, FP, KEY.primary().id(), nonce));
        assertThat(second.isOpen()).isFalse();
        assertThat(ah.refusals).containsExactly("127.0.0.1: it replayed a challenge nonce");
    }

    @Test
    void wrongPnnsAreRefused() throws Exception {
        Host ah = new Host(1, KEY, FP);
        byte[] id = KEY.primary().id();
        new Chan("127.0.0.1", ah, Optional.empty()).writeInbound(challenge(2, 1, FP, id, nonce(1)));
        new Chan("127.0.0.1", ah, Optional.empty()).writeInbound(challenge(0, 2, FP, id, nonce(2)));
        new Chan("127.0.0.1", ah, Optional.empty()).writeInbound(challenge(7, 1, FP, id, nonce(3)));
        new Chan("127.0.0.3", ah, Optional.empty()).writeInbound(challenge(2, 1, FP, id, nonce(4)));
        assertThat(ah.refusals)
                .containsExactly(
                        "127.0.0.1: it claims PNN 2 whose address is 127.0.0.3",
                        "127.0.0.1: it wanted node 2, this is node 1",
                        "127.0.0.1: it claims PNN 7, which is not another live node here",
                        "127.0.0.3: node 2 connected to us, but the lower PNN connects");
    }

    @Test
    void theDialerRefusesAnAnswerFromAnotherPnn() throws Exception {
        Host dh = new Host(0, KEY, FP);
        Host ah = new Host(2, KEY, FP); // node 2 answers where the dialer expected node 1
        Chan acceptor = new Chan("127.0.0.1", ah, Optional.empty());
        Chan dialer = new Chan("127.0.0.3", dh, Optional.of(1));
        pump(dialer, acceptor);
        assertThat(ah.refusals).containsExactly("127.0.0.1: it wanted node 1, this is node 2");
        assertThat(dialer.authenticated()).isFalse();
    }

    @Test
    void aDifferentNodesFileIsRefused() throws Exception {
        Host ah = new Host(1, KEY, FP);
        Chan[] c = pair(KEY, KEY, new Host(0, KEY, "fedcba9876543210"), ah);
        assertThat(c[1].isOpen()).isFalse();
        assertThat(ah.refusals)
                .containsExactly(
                        "127.0.0.1: it has a different nodes file (cluster id fedcba9876543210, ours " + FP + ")");
    }

    @Test
    void dataBeforeAuthenticationIsRefused() throws Exception {
        Host ah = new Host(1, KEY, FP);
        Chan acceptor = new Chan("127.0.0.1", ah, Optional.empty());
        byte[] hello = "{\"type\":\"hello\",\"pnn\":0,\"clusterId\":\"0123456789abcdef\",\"version\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuf f = Unpooled.buffer().writeInt(hello.length).writeBytes(hello);
        acceptor.writeInbound(f);
        assertThat(acceptor.received).isEmpty();
        assertThat(acceptor.isOpen()).isFalse();
        assertThat(ah.refusals)
                .singleElement()
                .asString()
                .startsWith("127.0.0.1: sent data before authenticating (a plain message");
        // Nothing is ever passed on or answered before the key is proved.
        assertThat((Object) acceptor.readOutbound()).isNull();
    }

    @Test
    void aSecondChallengeAfterTheFirstIsDataBeforeAuthentication() throws Exception {
        Host ah = new Host(1, KEY, FP);
        Chan acceptor = new Chan("127.0.0.1", ah, Optional.empty());
        acceptor.writeInbound(challenge(0, 1, FP, KEY.primary().id(), nonce(9)));
        acceptor.writeInbound(challenge(0, 1, FP, KEY.primary().id(), nonce(10)));
        assertThat(acceptor.isOpen()).isFalse();
        assertThat(ah.refusals).containsExactly("127.0.0.1: sent data before authenticating");
    }

    @Test
    void anOversizedFrameBeforeAuthenticationFailsWithoutBuffering() throws Exception {
        Host ah = new Host(1, KEY, FP);
        Chan acceptor = new Chan("127.0.0.1", ah, Optional.empty());
        ByteBuf f = Unpooled.buffer().writeInt(1024 * 1024).writeBytes(new byte[100]);
        assertThatThrownBy(() -> acceptor.writeInbound(f))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessageContaining("exceeds the limit of " + PeerAuth.MAX_HANDSHAKE_FRAME);
        assertThat(acceptor.received).isEmpty();
    }

    @Test
    void afterAuthenticationFramesUpToTheMeshLimitPass() throws Exception {
        Chan[] c = pair(KEY, KEY, new Host(0, KEY, FP), new Host(1, KEY, FP));
        c[0].writeOutbound(Unpooled.wrappedBuffer(new byte[100_000]));
        pump(c[0], c[1]);
        assertThat(c[1].received).singleElement().asString().hasSize(100_000);
    }

    @Test
    void rotationAcceptsEveryListedKeyAndOffersTheFirst() throws Exception {
        // Step 1 of a rotation: node 1 lists the new key second; node 0 already offers it first.
        ClusterKeys acceptorKeys = keys(line(KEY), line(OTHER_KEY));
        ClusterKeys dialerKeys = keys(line(OTHER_KEY), line(KEY));
        Chan[] c = pair(dialerKeys, acceptorKeys, new Host(0, dialerKeys, FP), new Host(1, acceptorKeys, FP));
        assertThat(c[0].authenticated()).isTrue();
        assertThat(c[1].authenticated()).isTrue();
    }

    /** Everything a channel has written (the length prefix and the payload are separate buffers). */
    private static ByteBuf wire(EmbeddedChannel c) {
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = c.readOutbound()) != null; ) {
            all.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        return all;
    }

    private static ByteBuf challenge(int dialer, int wanted, String fp, byte[] keyId, byte[] nonce) {
        byte[] f = fp.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer();
        b.writeInt(5 + 8 + 2 + f.length + keyId.length + nonce.length);
        b.writeBytes(PeerAuth.MAGIC)
                .writeByte(PeerAuth.CHALLENGE)
                .writeInt(dialer)
                .writeInt(wanted)
                .writeShort(f.length)
                .writeBytes(f)
                .writeBytes(keyId)
                .writeBytes(nonce);
        return b;
    }

    private static byte[] nonce(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        return b;
    }

    private static String line(ClusterKeys k) {
        return java.util.Base64.getEncoder().encodeToString(k.primary().secret());
    }

    private static ClusterKeys keys(String... lines) {
        try {
            return ClusterKeys.parse("test", String.join("\n", lines));
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
