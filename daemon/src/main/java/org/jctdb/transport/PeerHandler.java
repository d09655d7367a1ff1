package org.jctdb.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jctdb.mesh.BadMessageException;
import org.jctdb.mesh.WireMessage;
import org.jctdb.node.DisconnectCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's life: the handshake (who is this, same cluster?), then messages handed to
 * the mesh. Anything unexpected closes this connection only, with a log line naming the peer.
 */
final class PeerHandler extends SimpleChannelInboundHandler<WireMessage> {
    private static final Logger log = LoggerFactory.getLogger("jctdb.transport");
    private static final AttributeKey<Closing> CLOSE_REASON = AttributeKey.valueOf("jctdb.closeReason");

    /** Why we closed a connection: the typed cause for decisions, the detail for the log. */
    record Closing(DisconnectCause cause, String detail) {}

    private final NodeMesh mesh;
    private final boolean authenticated;
    private final Optional<Integer> outboundTo;
    private int pnn = -1;
    private String peerName = "?";
    private ScheduledFuture<?> handshakeTimer;

    /** {@code authenticated}: an {@link AuthHandler} sits before this one, and hello waits for it. */
    PeerHandler(NodeMesh mesh, Optional<Integer> outboundTo, boolean authenticated) {
        this.mesh = mesh;
        this.outboundTo = outboundTo;
        this.authenticated = authenticated;
    }

    static void closeWithReason(Channel channel, DisconnectCause cause, String detail) {
        channel.attr(CLOSE_REASON).setIfAbsent(new Closing(cause, detail));
        channel.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        MeshSettings s = mesh.settings();
        InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        peerName = remote.getHostAddress();
        if (outboundTo.isEmpty() && !s.peers().containsValue(remote)) {
            mesh.refused(remote, "address is not in the nodes file");
            ctx.close();
            return;
        }
        long limit = Math.max(1000, s.silenceLimitMillis());
        handshakeTimer = ctx.executor()
                .schedule(
                        () -> {
                            String why = "no handshake within " + limit + " ms";
                            mesh.refused(
                                    remote,
                                    why + (outboundTo.isPresent() ? " (dialling node " + outboundTo.get() + ")" : ""));
                            closeWithReason(ctx.channel(), DisconnectCause.HANDSHAKE, why);
                        },
                        limit,
                        TimeUnit.MILLISECONDS);
        if (outboundTo.isPresent() && !authenticated) {
            ctx.writeAndFlush(hello(s));
        }
    }

    private static WireMessage.Hello hello(MeshSettings s) {
        return new WireMessage.Hello(s.myPnn(), s.clusterId(), s.version());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WireMessage msg) {
        if (pnn >= 0) {
            mesh.received(pnn, msg);
            return;
        }
        Optional<String> refusal = checkHello(ctx, msg);
        if (refusal.isPresent()) {
            mesh.refused(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(), refusal.get());
            closeWithReason(ctx.channel(), DisconnectCause.HANDSHAKE, refusal.get());
            return;
        }
        pnn = ((WireMessage.Hello) msg).pnn();
        peerName = "node " + pnn + " (" + peerName + ")";
        handshakeTimer.cancel(false);
        if (outboundTo.isEmpty()) {
            ctx.writeAndFlush(hello(mesh.settings()));
        }
        mesh.registered(pnn, ctx.channel());
    }

    private Optional<String> checkHello(ChannelHandlerContext ctx, WireMessage msg) {
        MeshSettings s = mesh.settings();
        if (!(msg instanceof WireMessage.Hello)) {
            return Optional.of("first message was " + msg.getClass().getSimpleName() + ", not hello");
        }
        WireMessage.Hello h = (WireMessage.Hello) msg;
        Integer proved = ctx.channel().attr(AuthHandler.AUTHENTICATED_PNN).get();
        if (authenticated && (proved == null || proved != h.pnn())) {
            return Optional.of("its hello claims PNN " + h.pnn() + " but it authenticated as " + proved);
        }
        if (!h.clusterId().equals(s.clusterId())) {
            return Optional.of(
                    "it has a different nodes file (cluster id " + h.clusterId() + ", ours " + s.clusterId() + ")");
        }
        InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        InetAddress expected = s.peers().get(h.pnn());
        if (expected == null || h.pnn() == s.myPnn()) {
            return Optional.of("it claims PNN " + h.pnn() + ", which is not another live node here");
        }
        if (outboundTo.isPresent() && outboundTo.get() != h.pnn()) {
            return Optional.of("expected node " + outboundTo.get() + " but it claims PNN " + h.pnn());
        }
        if (outboundTo.isEmpty()) {
            if (!expected.equals(remote)) {
                return Optional.of("it claims PNN " + h.pnn() + " whose address is " + expected.getHostAddress());
            }
            if (h.pnn() > s.myPnn()) {
                return Optional.of("node " + h.pnn() + " connected to us, but the lower PNN connects");
            }
        }
        return Optional.empty();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        Closing closing = Optional.ofNullable(ctx.channel().attr(CLOSE_REASON).get())
                .orElse(new Closing(DisconnectCause.CLOSED, DisconnectCause.CLOSED.description()));
        if (pnn >= 0) {
            mesh.closed(pnn, ctx.channel(), closing);
        }
        outboundTo.ifPresent(mesh::scheduleReconnect);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String why;
        if (cause instanceof TooLongFrameException) {
            why = "sent an oversized frame (" + cause.getMessage() + ")";
        } else if (cause instanceof DecoderException && cause.getCause() instanceof BadMessageException) {
            why = "sent a bad message: " + cause.getCause().getMessage();
        } else {
            why = "connection error: " + cause.getMessage();
        }
        if (pnn < 0) {
            mesh.refused(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(), why);
        } else {
            log.warn("dropping connection to {}: {}", peerName, why);
        }
        closeWithReason(ctx.channel(), DisconnectCause.ERROR, why);
    }

    /** Keepalive timing ({@link Keepalives}): say something when silent, drop a peer that says nothing. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof AuthHandler.Authenticated) {
            if (outboundTo.isPresent()) {
                ctx.writeAndFlush(hello(mesh.settings()));
            }
        } else if (evt == Keepalives.MISSED) {
            if (pnn >= 0) {
                mesh.keepaliveMissed(pnn);
            }
        } else if (!(evt instanceof IdleStateEvent idle)) {
            super.userEventTriggered(ctx, evt);
        } else if (idle.state() == IdleState.READER_IDLE) {
            if (pnn >= 0) {
                mesh.keepaliveMissed(pnn); // the last miss: KeepaliveLimit intervals of silence
            }
            long limit = mesh.settings().silenceLimitMillis();
            closeWithReason(
                    ctx.channel(),
                    DisconnectCause.SILENT,
                    "sent nothing for " + limit + " ms (KeepaliveInterval x KeepaliveLimit)");
        } else if (idle.state() == IdleState.WRITER_IDLE && pnn >= 0) {
            mesh.keepaliveSent();
            ctx.writeAndFlush(new WireMessage.Keepalive());
        }
    }
}
