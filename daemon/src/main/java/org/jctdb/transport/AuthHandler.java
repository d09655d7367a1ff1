package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.jctdb.config.ClusterKeys;
import org.jctdb.mesh.WireCodec;
import org.jctdb.node.DisconnectCause;

/**
 * The cluster-key handshake and the integrity of every later frame (docs/design/security.md).
 * The dialer (the lower PNN) sends a challenge: its PNN, the PNN it wants, the nodes file's
 * fingerprint, the id of its key and a fresh nonce. The acceptor checks all of these and answers
 * with its own nonce and an HMAC over both; the dialer checks that and answers with its own HMAC.
 * Only then do frames pass, each with an HMAC over a per-direction sequence number and the payload,
 * so no frame can be forged, replayed or reordered. Anything else closes the connection before a
 * single message reaches the mesh; the refusal is reported to the host with the peer's address.
 */
final class AuthHandler extends ChannelDuplexHandler {
    /** The PNN a connection proved, set once authenticated. */
    static final AttributeKey<Integer> AUTHENTICATED_PNN = AttributeKey.valueOf("jctdb.authenticatedPnn");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fired down the pipeline once both sides have proved the key. */
    record Authenticated(int pnn) {}

    private enum State {
        AWAIT_CHALLENGE,
        AWAIT_RESPONSE,
        AWAIT_PROOF,
        OPEN,
        REFUSED
    }

    private final AuthHost host;
    private final Optional<Integer> outboundTo;
    private final FrameDecoder frames;
    private State state;
    private ClusterKeys.Key key;
    private int peerPnn = -1;
    private byte[] dialerNonce;
    private byte[] transcript;
    private FrameMac inMac;
    private FrameMac outMac;
    private long inSeq;
    private long outSeq;

    AuthHandler(AuthHost host, Optional<Integer> outboundTo, FrameDecoder frames) {
        this.host = host;
        this.outboundTo = outboundTo;
        this.frames = frames;
        this.state = outboundTo.isPresent() ? State.AWAIT_RESPONSE : State.AWAIT_CHALLENGE;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (outboundTo.isPresent() && ctx.channel().isActive()) {
            MeshSettings s = host.settings();
            key = s.keys().primary();
            peerPnn = outboundTo.get();
            dialerNonce = nonce();
            byte[] fp = s.clusterId().getBytes(StandardCharsets.UTF_8);
            ByteBuf b = ctx.alloc().buffer();
            b.writeBytes(PeerAuth.MAGIC)
                    .writeByte(PeerAuth.CHALLENGE)
                    .writeInt(s.myPnn())
                    .writeInt(peerPnn)
                    .writeShort(fp.length)
                    .writeBytes(fp)
                    .writeBytes(key.id())
                    .writeBytes(dialerNonce);
            ctx.writeAndFlush(b);
        }
        super.channelActive(ctx);
    }

    /** A dialer whose challenge was answered by a close: the acceptor refused it and logged why. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state == State.AWAIT_RESPONSE && outboundTo.isPresent() && dialerNonce != null) {
            state = State.REFUSED;
            host.refused(
                    remote(ctx),
                    "node " + outboundTo.get() + " closed the connection before authenticating"
                            + " (does it have our cluster key, id " + key.idText() + "? its log says why)");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ByteBuf frame = (ByteBuf) msg;
        if (state == State.OPEN) {
            openFrame(ctx, frame);
            return;
        }
        try {
            switch (state) {
                case AWAIT_CHALLENGE:
                    challenge(ctx, frame);
                    return;
                case AWAIT_RESPONSE:
                    response(ctx, frame);
                    return;
                case AWAIT_PROOF:
                    proof(ctx, frame);
                    return;
                default:
                    return; // refused: the channel is closing, drop what is still in flight
            }
        } catch (IndexOutOfBoundsException e) {
            refuse(ctx, "sent a truncated handshake message");
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    /** Checks a frame's tag and passes on the frame itself, its tag cut off (no slice of it): it owns {@code frame}. */
    private void openFrame(ChannelHandlerContext ctx, ByteBuf frame) {
        int len = frame.readableBytes() - PeerAuth.TAG_BYTES;
        if (len < 0) {
            frame.release();
            corrupt(ctx, "a frame too short to carry its integrity tag");
            return;
        }
        boolean intact;
        try {
            intact = inMac.verify(inSeq, frame, frame.readerIndex(), len);
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        if (!intact) {
            frame.release();
            corrupt(ctx, "frame " + inSeq + " failed its integrity check (forged, replayed or reordered)");
            return;
        }
        inSeq++;
        frame.writerIndex(frame.readerIndex() + len);
        ctx.fireChannelRead(frame);
    }

    private void corrupt(ChannelHandlerContext ctx, String why) {
        state = State.REFUSED;
        PeerHandler.closeWithReason(ctx.channel(), DisconnectCause.ERROR, why);
    }

    /** Acceptor: the dialer's opening message. */
    private void challenge(ChannelHandlerContext ctx, ByteBuf f) {
        boolean json = f.isReadable() && f.getByte(f.readerIndex()) == '{';
        if (!hasMagic(f, PeerAuth.CHALLENGE)) {
            refuse(
                    ctx,
                    "sent data before authenticating"
                            + (json ? " (a plain message: does it run with [cluster] authentication = none?)" : ""));
            return;
        }
        MeshSettings s = host.settings();
        int dialer = f.readInt();
        int wanted = f.readInt();
        int fpLen = f.readUnsignedShort();
        if (fpLen > 256) {
            refuse(ctx, "sent a malformed challenge");
            return;
        }
        String fp = f.readCharSequence(fpLen, StandardCharsets.UTF_8).toString();
        byte[] keyId = bytes(f, 8);
        byte[] nonce = bytes(f, PeerAuth.NONCE_BYTES);
        if (f.isReadable()) {
            refuse(ctx, "sent a malformed challenge");
            return;
        }
        if (!fp.equals(s.clusterId())) {
            refuse(ctx, "it has a different nodes file (cluster id " + printable(fp) + ", ours " + s.clusterId() + ")");
            return;
        }
        if (wanted != s.myPnn()) {
            refuse(ctx, "it wanted node " + wanted + ", this is node " + s.myPnn());
            return;
        }
        InetAddress remote = remote(ctx);
        InetAddress expected = s.peers().get(dialer);
        if (expected == null || dialer == s.myPnn()) {
            refuse(ctx, "it claims PNN " + dialer + ", which is not another live node here");
            return;
        }
        if (!expected.equals(remote)) {
            refuse(ctx, "it claims PNN " + dialer + " whose address is " + expected.getHostAddress());
            return;
        }
        if (dialer > s.myPnn()) {
            refuse(ctx, "node " + dialer + " connected to us, but the lower PNN connects");
            return;
        }
        Optional<ClusterKeys.Key> k = s.keys().byId(keyId);
        if (k.isEmpty()) {
            refuse(
                    ctx,
                    "it uses a cluster key this node does not have (key id "
                            + HexFormat.of().formatHex(keyId) + ", ours "
                            + String.join(
                                    ", ",
                                    s.keys().all().stream()
                                            .map(ClusterKeys.Key::idText)
                                            .toList()) + ")");
            return;
        }
        if (!host.firstUseOfNonce(nonce)) {
            refuse(ctx, "it replayed a challenge nonce");
            return;
        }
        key = k.get();
        peerPnn = dialer;
        byte[] acceptorNonce = nonce();
        transcript = PeerAuth.transcript(dialer, s.myPnn(), s.clusterId(), key.id(), nonce, acceptorNonce);
        ByteBuf b = ctx.alloc().buffer();
        b.writeBytes(PeerAuth.MAGIC)
                .writeByte(PeerAuth.RESPONSE)
                .writeInt(s.myPnn())
                .writeBytes(acceptorNonce)
                .writeBytes(PeerAuth.mac(key.secret(), "acceptor", transcript));
        state = State.AWAIT_PROOF;
        ctx.writeAndFlush(b);
    }

    /** Dialer: the acceptor's answer. */
    private void response(ChannelHandlerContext ctx, ByteBuf f) {
        if (!hasMagic(f, PeerAuth.RESPONSE)) {
            refuse(
                    ctx,
                    "answered our challenge with something else (does it run with [cluster] authentication = none?)");
            return;
        }
        MeshSettings s = host.settings();
        int acceptor = f.readInt();
        byte[] acceptorNonce = bytes(f, PeerAuth.NONCE_BYTES);
        byte[] mac = bytes(f, PeerAuth.TAG_BYTES);
        if (f.isReadable()) {
            refuse(ctx, "sent a malformed answer");
            return;
        }
        if (acceptor != peerPnn) {
            refuse(ctx, "expected node " + peerPnn + " but it answers as node " + acceptor);
            return;
        }
        if (PeerAuth.same(acceptorNonce, dialerNonce)) {
            refuse(ctx, "it reflected our nonce");
            return;
        }
        transcript = PeerAuth.transcript(s.myPnn(), acceptor, s.clusterId(), key.id(), dialerNonce, acceptorNonce);
        if (!PeerAuth.same(mac, PeerAuth.mac(key.secret(), "acceptor", transcript))) {
            refuse(ctx, "it failed to prove it holds the cluster key (key id " + key.idText() + ")");
            return;
        }
        ByteBuf b = ctx.alloc().buffer();
        b.writeBytes(PeerAuth.MAGIC)
                .writeByte(PeerAuth.PROOF)
                .writeBytes(PeerAuth.mac(key.secret(), "dialer", transcript));
        ctx.writeAndFlush(b);
        open(ctx, "a2d", "d2a");
    }

    /** Acceptor: the dialer's proof. */
    private void proof(ChannelHandlerContext ctx, ByteBuf f) {
        if (!hasMagic(f, PeerAuth.PROOF)) {
            refuse(ctx, "sent data before authenticating");
            return;
        }
        byte[] mac = bytes(f, PeerAuth.TAG_BYTES);
        if (f.isReadable() || !PeerAuth.same(mac, PeerAuth.mac(key.secret(), "dialer", transcript))) {
            refuse(ctx, "it failed to prove it holds the cluster key (key id " + key.idText() + ")");
            return;
        }
        open(ctx, "d2a", "a2d");
    }

    private void open(ChannelHandlerContext ctx, String inLabel, String outLabel) {
        inMac = new FrameMac(PeerAuth.mac(key.secret(), inLabel, transcript));
        outMac = new FrameMac(PeerAuth.mac(key.secret(), outLabel, transcript));
        state = State.OPEN;
        frames.limit(WireCodec.MAX_FRAME_BYTES + PeerAuth.TAG_BYTES);
        ctx.channel().attr(AUTHENTICATED_PNN).set(peerPnn);
        ctx.fireUserEventTriggered(new Authenticated(peerPnn));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state != State.OPEN || !(msg instanceof ByteBuf payload)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalStateException("the peer has not authenticated"));
            return;
        }
        if (payload.writableBytes() >= PeerAuth.TAG_BYTES && payload.refCnt() == 1 && !payload.isReadOnly()) {
            outMac.appendTag(outSeq++, payload); // FrameCodec left room for it: the frame stays one buffer
            ctx.write(payload, promise);
        } else {
            byte[] tag = outMac.tag(outSeq++, payload.nioBuffer());
            ctx.write(Unpooled.wrappedBuffer(payload, Unpooled.wrappedBuffer(tag)), promise);
        }
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        state = State.REFUSED;
        host.refused(remote(ctx), why);
        PeerHandler.closeWithReason(ctx.channel(), DisconnectCause.HANDSHAKE, why);
    }

    private static boolean hasMagic(ByteBuf f, byte type) {
        if (f.readableBytes() < 5) {
            return false;
        }
        for (byte m : PeerAuth.MAGIC) {
            if (f.readByte() != m) {
                return false;
            }
        }
        return f.readByte() == type;
    }

    private static byte[] bytes(ByteBuf f, int n) {
        byte[] b = new byte[n];
        f.readBytes(b);
        return b;
    }

    private static byte[] nonce() {
        byte[] n = new byte[PeerAuth.NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static InetAddress remote(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    }
}
