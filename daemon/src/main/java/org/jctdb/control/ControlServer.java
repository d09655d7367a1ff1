package org.jctdb.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's end of the control socket (mode 0600). Each connection carries one request and
 * one reply, handled on a small bounded pool so that a slow command never blocks the accept
 * loop, and a flood of clients is refused rather than queued without limit.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.control");
    private static final int MAX_CONCURRENT = 32;

    private final Path socket;
    private final Function<List<String>, ControlReply> handler;
    private final ServerSocketChannel server;
    private final ExecutorService workers;
    private final Thread acceptor;
    private final AtomicInteger clients = new AtomicInteger();
    private volatile boolean closed;

    public ControlServer(Path socket, Function<List<String>, ControlReply> handler) throws IOException {
        this.socket = socket;
        this.handler = handler;
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, MAX_CONCURRENT, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "jctdb-control-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "jctdb-control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Clients connected right now (CTDB's ping reports this). */
    public int clients() {
        return clients.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                try {
                    workers.execute(() -> serve(ch));
                } catch (RejectedExecutionException e) {
                    log.warn("refusing a control client: {} commands already running", MAX_CONCURRENT);
                    ch.close();
                }
            } catch (IOException e) {
                if (!closed) {
                    log.error("control socket accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel ch) {
        clients.incrementAndGet();
        try (ch) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
            List<String> argv = ControlFrames.readRequest(in);
            ControlReply reply;
            try {
                reply = handler.apply(argv);
            } catch (RuntimeException e) {
                log.error("command {} failed", argv, e);
                reply = ControlReply.error(1, "internal error: " + e);
            }
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
            ControlFrames.writeReply(out, reply);
        } catch (IOException e) {
            log.debug("control client went away: {}", e.getMessage());
        } finally {
            clients.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("closing control socket: {}", e.getMessage());
        }
        workers.shutdownNow();
    }
}
