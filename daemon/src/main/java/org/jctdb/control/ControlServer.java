package org.jctdb.control;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
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
 * The daemon's end of the control socket (mode 0600), bounded against clients that misbehave.
 * One selector thread accepts connections and reads their requests without blocking, so a
 * client that connects and says nothing costs a buffer, not a thread: it is closed when its
 * request has not arrived within {@link #REQUEST_DEADLINE_MS}, or earlier when
 * {@link #MAX_PENDING} connections are waiting (the oldest goes). A request is refused with an
 * error reply as soon as its declared size passes {@link #MAX_REQUEST_BYTES}, before anything of
 * that size is allocated. Complete requests run on a pool of {@link #MAX_RUNNING} threads; when
 * all are busy the client gets a "busy" reply at once instead of waiting.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jctdb.control");
    /** Commands running at once. */
    static final int MAX_RUNNING = 32;
    /** Connections still sending their request; beyond this the oldest is closed. */
    static final int MAX_PENDING = 256;
    /** The whole request must arrive within this time of the connection. */
    static final long REQUEST_DEADLINE_MS = 3000;
    /** A reply the client does not read within this time is dropped with its connection. */
    static final long REPLY_DEADLINE_MS = 10_000;
    /** Largest request (all arguments together): far below the daemon's heap. */
    static final int MAX_REQUEST_BYTES = 256 * 1024;

    private final Path socket;
    private final Function<List<String>, ControlReply> handler;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final ExecutorService workers;
    private final Thread loop;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicInteger clients = new AtomicInteger();
    private long refusedQuietly;
    private long lastRefusalLog = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
    private volatile boolean closed;

    /** A connection whose request is still arriving. */
    private static final class Pending {
        final SocketChannel channel;
        final long deadline;
        ByteBuffer buffer = ByteBuffer.allocate(512);
        SelectionKey key;

        Pending(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    /** A request that cannot be served; the client gets {@code message} as its error. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    public ControlServer(Path socket, Function<List<String>, ControlReply> handler) throws IOException {
        this.socket = socket;
        this.handler = handler;
        Files.createDirectories(socket.getParent());
        if (Files.deleteIfExists(socket)) {
            // jctdbd checked that nothing answers on it: a crashed daemon's socket.
            log.warn("replaced the stale control socket {}", socket);
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 512);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(0, MAX_RUNNING, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "jctdb-control-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        loop = new Thread(this::selectLoop, "jctdb-control-accept");
        loop.setDaemon(true);
        loop.start();
    }

    /** Clients connected right now (CTDB's ping reports this). */
    public int clients() {
        return clients.get();
    }

    private void selectLoop() {
        while (!closed) {
            try {
                // Deadlines need a look every 250 ms only while a client is waiting; an idle
                // daemon's loop sleeps until a connection (or close()'s wakeup) arrives.
                selector.select(pending.isEmpty() ? 0 : 250);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        acceptAll();
                    } else if (k.isReadable()) {
                        read((Pending) k.attachment());
                    }
                }
                expire();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.error("control socket: {}", e.toString());
                }
            } catch (OutOfMemoryError e) {
                // Never expected with the limits above; if it happens, drop every waiting client, keep serving.
                pending.forEach(p -> closeQuietly(p));
                pending.clear();
                log.error("control socket: out of memory; dropped the clients that were sending requests");
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            Pending p = new Pending(ch, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_DEADLINE_MS));
            p.key = ch.register(selector, SelectionKey.OP_READ, p);
            pending.addLast(p);
            clients.incrementAndGet();
            if (pending.size() > MAX_PENDING) {
                Pending oldest = pending.pollFirst();
                refusal("closed a control client that sent no request while " + MAX_PENDING + " others were waiting");
                closeQuietly(oldest);
            }
        }
    }

    private void read(Pending p) {
        try {
            if (!p.buffer.hasRemaining()) {
                p.buffer = grow(p.buffer);
            }
            int r = p.channel.read(p.buffer);
            List<String> argv = parse(p.buffer);
            if (argv == null) {
                if (r < 0) {
                    pending.remove(p);
                    closeQuietly(p);
                } else if (!p.buffer.hasRemaining()) {
                    p.buffer = grow(p.buffer);
                }
                return;
            }
            pending.remove(p);
            p.key.cancel();
            dispatch(p, argv);
        } catch (BadRequest e) {
            pending.remove(p);
            refusal("refused a control request: " + e.getMessage());
            replyAndClose(p, ControlReply.error(1, "jctdb: the daemon refused the request: " + e.getMessage() + "\n"));
        } catch (IOException e) {
            pending.remove(p);
            closeQuietly(p);
        }
    }

    private void dispatch(Pending p, List<String> argv) {
        try {
            workers.execute(() -> serve(p.channel, argv));
        } catch (RejectedExecutionException e) {
            refusal("control socket busy: " + MAX_RUNNING + " commands already running");
            replyAndClose(
                    p,
                    ControlReply.error(
                            1, "jctdb: the daemon is busy (" + MAX_RUNNING + " commands running); try again\n"));
        }
    }

    private void serve(SocketChannel ch, List<String> argv) {
        ControlReply reply;
        try {
            reply = handler.apply(argv);
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("command {} failed", argv, e);
            reply = ControlReply.error(1, "internal error: " + e + "\n");
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ControlFrames.writeReply(new DataOutputStream(bytes), reply);
            // The channel stays non-blocking (the selector may still hold its cancelled key): write in
            // a loop, and give up on a client that does not read its reply in time.
            ByteBuffer out = ByteBuffer.wrap(bytes.toByteArray());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLY_DEADLINE_MS);
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    if (System.nanoTime() - deadline >= 0) {
                        log.debug("control client did not read its reply within {} ms", REPLY_DEADLINE_MS);
                        break;
                    }
                    Thread.sleep(2);
                }
            }
        } catch (IOException e) {
            log.debug("control client went away: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(ch);
            clients.decrementAndGet();
        }
    }

    /** A short error reply from the selector thread (it fits any socket buffer), then close. */
    private void replyAndClose(Pending p, ControlReply reply) {
        try {
            p.key.cancel();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ControlFrames.writeReply(new DataOutputStream(bytes), reply);
            p.channel.write(ByteBuffer.wrap(bytes.toByteArray()));
        } catch (IOException e) {
            log.debug("control client went away: {}", e.getMessage());
        }
        closeQuietly(p);
    }

    private void expire() {
        long now = System.nanoTime();
        while (!pending.isEmpty() && now - pending.peekFirst().deadline >= 0) {
            Pending p = pending.pollFirst();
            refusal("closed a control client that sent no complete request within " + REQUEST_DEADLINE_MS + " ms");
            closeQuietly(p);
        }
    }

    /**
     * The request in {@code buf} (position = bytes so far): the arguments once complete, null while
     * more is to come. Every length is checked against the limits as soon as it is seen.
     */
    static List<String> parse(ByteBuffer buf) throws BadRequest {
        ByteBuffer b = buf.duplicate().flip();
        if (b.remaining() < 8) {
            if (b.remaining() >= 4 && b.getInt(0) != ControlFrames.MAGIC) {
                throw new BadRequest("not a jctdb control request");
            }
            return null;
        }
        if (b.getInt() != ControlFrames.MAGIC) {
            throw new BadRequest("not a jctdb control request");
        }
        int n = b.getInt();
        if (n < 0 || n > ControlFrames.MAX_ARGS) {
            throw new BadRequest("too many arguments (" + n + ", at most " + ControlFrames.MAX_ARGS + ")");
        }
        List<String> argv = new ArrayList<>(Math.min(n, 64));
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (b.remaining() < 4) {
                return null;
            }
            int len = b.getInt();
            total += Math.max(0, len) + 4L;
            if (len < 0 || len > ControlFrames.MAX_ARG_BYTES || total > MAX_REQUEST_BYTES) {
                throw new BadRequest("request larger than " + MAX_REQUEST_BYTES + " bytes");
            }
            if (b.remaining() < len) {
                return null;
            }
            byte[] s = new byte[len];
            b.get(s);
            argv.add(new String(s, StandardCharsets.UTF_8));
        }
        if (b.hasRemaining()) {
            throw new BadRequest("bytes after the request");
        }
        return argv;
    }

    private static ByteBuffer grow(ByteBuffer b) throws BadRequest {
        int next = b.capacity() * 2;
        if (b.capacity() >= MAX_REQUEST_BYTES + 8 + 4 * ControlFrames.MAX_ARGS) {
            throw new BadRequest("request larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        ByteBuffer g = ByteBuffer.allocate(Math.min(next, MAX_REQUEST_BYTES + 8 + 4 * ControlFrames.MAX_ARGS));
        b.flip();
        g.put(b);
        return g;
    }

    /** Logs a refused or dropped client at most once per 10 s, with how many were not logged. */
    private void refusal(String what) {
        long now = System.nanoTime();
        if (now - lastRefusalLog >= TimeUnit.SECONDS.toNanos(10)) {
            lastRefusalLog = now;
            if (refusedQuietly > 0) {
                log.warn("{} (and {} similar since the last such line)", what, refusedQuietly);
            } else {
                log.warn("{}", what);
            }
            refusedQuietly = 0;
        } else {
            refusedQuietly++;
        }
    }

    private void closeQuietly(Pending p) {
        if (p.key != null) {
            p.key.cancel();
        }
        closeQuietly(p.channel);
        clients.decrementAndGet();
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.wakeup();
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("closing control socket: {}", e.getMessage());
        }
        workers.shutdownNow();
    }
}
