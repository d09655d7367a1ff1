package org.jctdb.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jctdb.config.ClusterKeys;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;
import org.jctdb.node.DisconnectCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection between every pair of nodes: the node with the lower PNN connects, the
 * higher one accepts. Frames carry a 4-byte length and at most {@link WireCodec#MAX_FRAME_BYTES}.
 * A peer is connected once both sides have exchanged a valid {@link WireMessage.Hello}; it is
 * disconnected when its connection closes or it stays silent past the keepalive limit.
 * All link state is touched only on the single I/O thread.
 */
public final class NodeMesh implements AutoCloseable, AuthHost {
    private static final Logger log = LoggerFactory.getLogger("jctdb.transport");
    private static final long MAX_BACKOFF_MILLIS = 1000;

    private volatile MeshSettings settings;
    private final PeerListener listener;
    private final WireCodec codec = new WireCodec();
    private static final FramePrefix FRAME_PREFIX = new FramePrefix();
    private final FrameCodec frameCodec;
    private final ByteBufAllocator buffers;
    private final TcpRetransmission retransmission = new TcpRetransmission();
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final boolean ownGroup;
    private final Map<Integer, Link> links = new HashMap<>();
    private final Map<Integer, Long> backoff = new HashMap<>();
    private final Set<Integer> connected = ConcurrentHashMap.newKeySet();
    private final MeshCounters counters = new MeshCounters();
    private final List<Keepalives> keepalives = new ArrayList<>(); // live connections' timing, I/O thread only
    private volatile GridTimer keepaliveCheck; // armed on the I/O thread
    private final RefusalLog refusals = new RefusalLog(log, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    /** Dialer nonces of recent challenges: one seen again is a replay. */
    private final Map<ByteBuffer, Boolean> nonces = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > 4096; // about 600 KB at most
        }
    };

    private volatile boolean closed;
    private Channel server;

    /** A handshaken connection to one peer. */
    record Link(Channel channel) {}

    /** A mesh on an I/O thread of its own. */
    public NodeMesh(MeshSettings settings, PeerListener listener) {
        this(settings, listener, new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()), true);
    }

    /** A mesh on {@code io}, one epoll event loop its creator shuts down (the daemon's {@link IoThread}). */
    public NodeMesh(MeshSettings settings, PeerListener listener, EventLoopGroup io) {
        this(settings, listener, io, false);
    }

    private NodeMesh(MeshSettings settings, PeerListener listener, EventLoopGroup group, boolean ownGroup) {
        this.settings = settings;
        this.listener = listener;
        this.frameCodec = new FrameCodec(codec);
        this.buffers = TransportBuffers.create();
        this.group = group;
        this.loop = group.next();
        this.ownGroup = ownGroup;
    }

    /** Starts listening and connecting; fails with a clear message if the address cannot be bound. */
    public void start() throws IOException {
        InetSocketAddress local = new InetSocketAddress(settings.myAddress(), settings.port());
        ServerBootstrap sb = new ServerBootstrap()
                .group(loop)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(Optional.empty()));
        ChannelFuture bound = sb.bind(local).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            if (ownGroup) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw new IOException(
                    "cannot listen on " + local.getAddress().getHostAddress() + ":" + settings.port() + ": "
                            + bound.cause().getMessage(),
                    bound.cause());
        }
        server = bound.channel();
        keepaliveCheck = GridTimer.on(loop, Keepalives.checkMillis(settings.keepaliveMillis()), this::checkKeepalives);
        loop.execute(this::armKeepalives); // connections accepted before this line
        for (int pnn : settings.peers().keySet()) {
            if (pnn > settings.myPnn()) {
                loop.execute(() -> connect(pnn));
            }
        }
    }

    /** Sends to one peer if it is connected; returns false (and drops the message) if it is not. */
    public boolean send(int pnn, WireMessage message) {
        if (!connected.contains(pnn)) {
            return false;
        }
        counters.sent.increment();
        if (loop.inEventLoop()) {
            write(pnn, message); // the database work shares this thread: no hand-off
        } else {
            loop.execute(() -> write(pnn, message));
        }
        return true;
    }

    private void write(int pnn, WireMessage message) {
        Link link = links.get(pnn);
        if (link != null) {
            link.channel().writeAndFlush(message);
        }
    }

    public void broadcast(WireMessage message) {
        for (int pnn : connected) {
            send(pnn, message);
        }
    }

    /**
     * reloadnodes: from now on the mesh works with {@code next} (peers, cluster id). New peers
     * this node dials are connected; connections of peers no longer listed are closed.
     */
    public void updatePeers(MeshSettings next) {
        loop.execute(() -> {
            MeshSettings old = settings;
            settings = next;
            for (int pnn : next.peers().keySet()) {
                if (!old.peers().containsKey(pnn) && pnn > next.myPnn()) {
                    connect(pnn);
                }
            }
            for (int pnn : old.peers().keySet()) {
                Link link = links.get(pnn);
                if (!next.peers().containsKey(pnn) && link != null) {
                    PeerHandler.closeWithReason(
                            link.channel(), DisconnectCause.DELETED, DisconnectCause.DELETED.description());
                }
            }
        });
    }

    /** The peers currently connected and handshaken. */
    public Set<Integer> connectedPeers() {
        return Set.copyOf(connected);
    }

    private ChannelInitializer<SocketChannel> initializer(Optional<Integer> outboundTo) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                MeshSettings s = settings;
                boolean auth = s.keys().enabled();
                // Until a peer proves the cluster key it may send only small handshake frames.
                FrameDecoder frames = new FrameDecoder(auth ? PeerAuth.MAX_HANDSHAKE_FRAME : WireCodec.MAX_FRAME_BYTES);
                ch.config().setAllocator(buffers);
                retransmission.shorten(ch);
                // Silence past the limit drops the peer; a writer idle for an interval sends a keepalive.
                ch.pipeline()
                        .addLast(new Keepalives(
                                s.keepaliveMillis(), s.silenceLimitMillis(), keepalives, NodeMesh.this::armKeepalives))
                        .addLast(frames)
                        .addLast(FRAME_PREFIX);
                if (auth) {
                    ch.pipeline().addLast(new AuthHandler(NodeMesh.this, outboundTo, frames));
                }
                ch.pipeline().addLast(frameCodec).addLast(new PeerHandler(NodeMesh.this, outboundTo, auth));
            }
        };
    }

    private void connect(int pnn) {
        if (closed || links.containsKey(pnn)) {
            return;
        }
        InetAddress remote = settings.peers().get(pnn);
        if (remote == null) {
            return; // deleted by reloadnodes
        }
        new Bootstrap()
                .group(loop)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1000, settings.silenceLimitMillis()))
                .handler(initializer(Optional.of(pnn)))
                // Bind to our node address so the peer sees the address it has in its nodes file.
                .connect(new InetSocketAddress(remote, settings.port()), new InetSocketAddress(settings.myAddress(), 0))
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        log.debug(
                                "connect to node {} ({}) failed: {}",
                                pnn,
                                remote.getHostAddress(),
                                f.cause().getMessage());
                        scheduleReconnect(pnn);
                    }
                });
    }

    void scheduleReconnect(int pnn) {
        if (closed || pnn < settings.myPnn()) {
            return;
        }
        long delay = backoff.merge(pnn, 100L, (old, d) -> Math.min(MAX_BACKOFF_MILLIS, old * 2));
        loop.schedule(() -> connect(pnn), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * A re-read cluster key file (SIGHUP): new connections use it, established ones stay as they
     * are (they proved the key they had). Switching authentication on or off needs a restart.
     */
    public void updateKeys(ClusterKeys keys) {
        loop.execute(() -> settings = settings.withKeys(keys));
    }

    // ---- called by PeerHandler and AuthHandler on the I/O thread ----

    @Override
    public MeshSettings settings() {
        return settings;
    }

    @Override
    public boolean firstUseOfNonce(byte[] nonce) {
        return nonces.put(ByteBuffer.wrap(nonce.clone()), Boolean.TRUE) == null;
    }

    @Override
    public void refused(InetAddress remote, String why) {
        refusals.refused(remote, why);
    }

    void registered(int pnn, Channel channel) {
        Link old = links.put(pnn, new Link(channel));
        backoff.remove(pnn);
        if (old != null) {
            log.info("node {} reconnected; closing its previous connection", pnn);
            PeerHandler.closeWithReason(
                    old.channel(), DisconnectCause.REPLACED, DisconnectCause.REPLACED.description());
            listener.peerDisconnected(pnn, DisconnectCause.REPLACED, "reconnected");
        }
        connected.add(pnn);
        log.info("node {} ({}) connected", pnn, addressOf(pnn));
        listener.peerConnected(pnn);
    }

    void received(int pnn, WireMessage message) {
        if (message instanceof WireMessage.Keepalive) {
            counters.keepalivesReceived.increment();
        } else {
            counters.received.increment();
            listener.messageReceived(pnn, message);
        }
    }

    private void checkKeepalives() {
        long now = System.nanoTime();
        try {
            // Backwards: an event may close a connection, which then leaves the list.
            for (int i = keepalives.size() - 1; i >= 0; i--) {
                if (i < keepalives.size()) {
                    keepalives.get(i).check(now);
                }
            }
        } finally {
            armKeepalives();
        }
    }

    /**
     * The next check when the earliest connection has something due, later as well as earlier (a read or
     * write after a pause of a check period puts its connection's due time off): idle links wake nobody
     * meanwhile, and a quiet link that reads and writes in time never has the thread woken for a check
     * that finds nothing to do (a busy one at most once a keepalive interval: its frames do not re-arm).
     */
    private void armKeepalives() {
        GridTimer t = keepaliveCheck;
        if (t == null) {
            return; // start() arms it
        }
        long next = Long.MAX_VALUE;
        for (int i = 0; i < keepalives.size(); i++) {
            next = Math.min(next, keepalives.get(i).nextCheckAt());
        }
        t.moveToNanos(next);
    }

    void keepaliveSent() {
        counters.keepalivesSent.increment();
    }

    void keepaliveMissed(int pnn) {
        listener.keepaliveMissed(pnn);
    }

    /** Messages and keepalives each way, for `jctdb statistics`. */
    public MeshCounters counters() {
        return counters;
    }

    void closed(int pnn, Channel channel, PeerHandler.Closing reason) {
        Link link = links.get(pnn);
        if (link == null || link.channel() != channel) {
            return;
        }
        links.remove(pnn);
        connected.remove(pnn);
        log.warn("node {} ({}) disconnected: {}", pnn, addressOf(pnn), reason.detail());
        listener.peerDisconnected(pnn, reason.cause(), reason.detail());
    }

    private String addressOf(int pnn) {
        InetAddress a = settings.peers().get(pnn);
        return a == null ? "deleted" : a.getHostAddress();
    }

    @Override
    public void close() {
        closed = true;
        if (keepaliveCheck != null) {
            keepaliveCheck.cancel();
        }
        if (ownGroup) {
            if (server != null) {
                server.close();
            }
            group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            return;
        }
        // A shared loop outlives the mesh: close the listener and every connection on it.
        loop.execute(() -> {
            if (server != null) {
                server.close();
            }
            for (Link l : links.values()) {
                l.channel().close();
            }
        });
    }
}
