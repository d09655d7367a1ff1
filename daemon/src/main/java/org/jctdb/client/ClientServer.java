package org.jctdb.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.transport.GridTimer;
import org.jctdb.transport.TransportBuffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CTDB's client socket: a Unix stream socket (epoll, for SO_PEERCRED's pid) served by one event
 * loop thread that never blocks; in the daemon that thread also does the database work
 * (org.jctdb.transport.IoThread).
 */
public final class ClientServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");
    static final AttributeKey<ClientConnection> CONNECTION = AttributeKey.valueOf("jctdb.client");

    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final Path path;
    private final Channel server;
    private final GridTimer tick;

    /** Binds {@code path} (mode 0600, replacing a stale socket) and serves {@code service} on a thread of its own. */
    public ClientServer(Path path, CtdbService service) throws IOException {
        this(path, service, new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()), true);
    }

    /** The same on {@code group}, an epoll event loop its creator shuts down (the daemon's I/O thread). */
    public ClientServer(Path path, CtdbService service, EventLoopGroup group) throws IOException {
        this(path, service, group, false);
    }

    private ClientServer(Path path, CtdbService service, EventLoopGroup group, boolean ownGroup) throws IOException {
        this.group = group;
        this.ownGroup = ownGroup;
        this.path = path;
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        AtomicLong numbers = new AtomicLong();
        ByteBufAllocator buffers = TransportBuffers.create();
        ServerBootstrap sb = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.config().setAllocator(buffers);
                        install(ch, service, numbers.incrementAndGet(), ClientServer::peerPid);
                    }
                });
        ChannelFuture bound = sb.bind(new DomainSocketAddress(path.toString())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            if (ownGroup) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw new IOException(
                    "cannot listen on the CTDB client socket " + path + ": "
                            + bound.cause().getMessage(),
                    bound.cause());
        }
        server = bound.channel();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        tick = GridTimer.on(group.next(), 1000, () -> {
            try {
                service.tick();
            } catch (RuntimeException e) {
                log.warn("client protocol tick failed", e);
            }
        });
        service.leaderTimer(tick::armSoon); // before the first run: a view published since is seen by it
        tick.armSoon();
        log.info("CTDB client socket listening on {}", path);
    }

    private static int peerPid(Channel ch) {
        if (ch instanceof EpollDomainSocketChannel d) {
            try {
                return d.peerCredentials().pid();
            } catch (IOException e) {
                return 0;
            }
        }
        return 0;
    }

    /** The pipeline of one client connection (also used by tests with an EmbeddedChannel). */
    static void install(Channel ch, CtdbService service, long number, ToIntFunction<Channel> pidOf) {
        ch.pipeline()
                .addLast(
                        "frames",
                        new ClientFrameDecoder(
                                service.codec(),
                                ctx -> String.valueOf(
                                        ctx.channel().attr(CONNECTION).get())));
        ch.pipeline().addLast("service", new SimpleChannelInboundHandler<CtdbCodec.Frame>() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ClientConnection c = new ClientConnection(
                        ctx.channel(), pidOf.applyAsInt(ctx.channel()), number, service.counters().sent);
                ctx.channel().attr(CONNECTION).set(c);
                service.connected(c);
                ctx.fireChannelActive();
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, CtdbCodec.Frame frame) {
                service.received(ctx.channel().attr(CONNECTION).get(), frame);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                ClientConnection c = ctx.channel().attr(CONNECTION).get();
                if (c != null) {
                    service.disconnected(c);
                }
                ctx.fireChannelInactive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                log.warn(
                        "{}: {}; closing its connection",
                        ctx.channel().attr(CONNECTION).get(),
                        cause.toString());
                ctx.close();
            }
        });
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        tick.cancel();
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", path, e.toString());
        }
    }
}
