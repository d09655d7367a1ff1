package org.jctdb.cli.ctdb;

import java.io.Closeable;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReplyError;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqCall;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqControl;
import org.jctdb.protocol.ctdb.CtdbPacket.ReqMessage;
import org.jctdb.protocol.ctdb.CtdbWire;

/**
 * A small client of CTDB's client protocol, as the ctdb tool uses it: one Unix stream connection to
 * a node's CTDB client socket, requests matched to replies by reqid, each with a deadline, and
 * REQ_MESSAGEs (traverse records) kept until asked for. One thread; no Netty.
 */
public final class CtdbClient implements Closeable {
    /** The socket cannot be reached: CTDB's "Failed to connect to CTDB daemon (PATH)". */
    public static final class NotConnectedException extends IOException {
        private static final long serialVersionUID = 1L;

        NotConnectedException(Path socket, Throwable cause) {
            super("Failed to connect to CTDB daemon (" + socket + ")", cause);
        }
    }

    /** A control or call that got no answer in time, or a broken connection. */
    public static final class TimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String what, long millis) {
            super(what + " timed out after " + millis + " ms");
        }
    }

    private final CtdbCodec codec = new CtdbCodec();
    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMillis;
    private final Deque<ReqMessage> messages = new ArrayDeque<>();
    private ByteBuffer in = ByteBuffer.allocate(64 * 1024).order(CtdbWire.ORDER);
    private int nextReqid = 1;
    private int pnn = CtdbWire.UNKNOWN_PNN;

    private CtdbClient(Path socket, SocketChannel channel, Selector selector, long timeoutMillis) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.timeoutMillis = timeoutMillis;
    }

    /** Connects and asks the node's pnn (GET_PNN), as every ctdb command starts. */
    public static CtdbClient connect(Path socket, long timeoutMillis) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            throw new NotConnectedException(socket, e);
        }
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            CtdbClient c = new CtdbClient(socket, ch, sel, timeoutMillis);
            c.pnn = c.control(CtdbWire.CURRENT_NODE, ControlOpcode.GET_PNN, 0, 0, new byte[0])
                    .status();
            return c;
        } catch (IOException | RuntimeException e) {
            if (sel != null) {
                sel.close();
            }
            ch.close();
            throw e;
        }
    }

    public Path socket() {
        return socket;
    }

    /** The pnn of the node this client is connected to. */
    public int pnn() {
        return pnn;
    }

    /** Sends one control and waits for its reply (whatever its status). */
    public ReplyControl control(int destnode, ControlOpcode opcode, long srvid, int flags, byte[] data)
            throws IOException {
        int reqid =
                send(CtdbHeader.REQ_CONTROL, destnode, new ReqControl(opcode.code(), srvid, 0, flags, Bytes.of(data)));
        CtdbPacket p = awaitReply(reqid, opcode.name());
        if (p instanceof ReplyControl r) {
            return r;
        }
        throw new IOException(opcode.name() + ": unexpected " + p.getClass().getSimpleName());
    }

    /** Sends a control that gets no reply (CTDB's NOREPLY flag is set). */
    public void controlNoReply(int destnode, ControlOpcode opcode, long srvid, int flags, byte[] data)
            throws IOException {
        send(
                CtdbHeader.REQ_CONTROL,
                destnode,
                new ReqControl(opcode.code(), srvid, 0, flags | CtdbWire.CTRL_FLAG_NOREPLY, Bytes.of(data)));
    }

    /** A REQ_CALL; a REPLY_ERROR becomes an IOException with its message. */
    public ReplyCall call(ReqCall call) throws IOException {
        int reqid = send(CtdbHeader.REQ_CALL, CtdbWire.CURRENT_NODE, call);
        CtdbPacket p = awaitReply(reqid, "REQ_CALL");
        if (p instanceof ReplyCall r) {
            return r;
        }
        if (p instanceof ReplyError e) {
            throw new IOException("call failed: " + e.msg().toUtf8());
        }
        throw new IOException("REQ_CALL: unexpected " + p.getClass().getSimpleName());
    }

    /** The next message for {@code srvid}, waiting at most the timeout; other srvids' messages are dropped. */
    public ReqMessage nextMessage(long srvid) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            for (Iterator<ReqMessage> it = messages.iterator(); it.hasNext(); ) {
                ReqMessage m = it.next();
                it.remove();
                if (m.srvid() == srvid) {
                    return m;
                }
            }
            CtdbCodec.Frame f = readFrame(deadline, "message for srvid 0x" + Long.toHexString(srvid));
            if (f.packet() instanceof ReqMessage m && m.srvid() == srvid) {
                return m;
            }
        }
    }

    private int send(int operation, int destnode, CtdbPacket packet) throws IOException {
        int reqid = nextReqid++;
        byte[] wire = codec.encode(CtdbHeader.of(operation, 0, destnode, pnn, reqid), packet);
        ByteBuffer b = ByteBuffer.wrap(wire);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (b.hasRemaining()) {
            if (channel.write(b) == 0) {
                // The daemon is not reading: wait for room, bounded.
                selector.selectNow();
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("sending " + CtdbHeader.operationName(operation), timeoutMillis);
                }
                Thread.onSpinWait();
            }
        }
        return reqid;
    }

    private CtdbPacket awaitReply(int reqid, String what) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            CtdbCodec.Frame f = readFrame(deadline, what);
            if (f.packet() instanceof ReqMessage m) {
                messages.add(m);
            } else if (f.header().reqid() == reqid) {
                return f.packet();
            }
            // A reply to an earlier request that timed out: dropped.
        }
    }

    private CtdbCodec.Frame readFrame(long deadline, String what) throws IOException {
        while (true) {
            in.flip();
            try {
                long len = codec.peekLength(in);
                if (len >= 0 && in.remaining() >= len) {
                    byte[] wire = new byte[(int) len];
                    in.get(wire);
                    in.compact();
                    return codec.decode(wire);
                }
                if (len > in.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocate((int) len).order(CtdbWire.ORDER);
                    bigger.put(in);
                    in = bigger;
                } else {
                    in.compact();
                }
            } catch (BadPacketException e) {
                throw new IOException("bad packet from the daemon: " + e.getMessage(), e);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new TimeoutException(what, timeoutMillis);
            }
            selector.select(left);
            selector.selectedKeys().clear();
            if (channel.read(in) < 0) {
                throw new IOException("the daemon closed the connection (" + socket + ") waiting for " + what);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
