package org.jctdb.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.jctdb.protocol.ctdb.BadPacketException;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbCodec;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.jctdb.protocol.ctdb.CtdbWire;

/**
 * The benchmarks' client of a CTDB socket (JCTDB's or a real ctdbd's): one request, then its
 * reply, messages in between skipped. Deliberately bare, so both daemons are timed the same way.
 */
final class RawCtdbClient implements AutoCloseable {
    private static final CtdbCodec CODEC = new CtdbCodec();
    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 22).order(CtdbWire.ORDER);
    private int reqid = 1;

    RawCtdbClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        in.flip();
    }

    CtdbPacket.ReplyControl control(ControlOpcode op, byte[] data) throws IOException, BadPacketException {
        CtdbPacket.ReplyControl r = (CtdbPacket.ReplyControl)
                call(CtdbHeader.REQ_CONTROL, new CtdbPacket.ReqControl(op.code(), 0, 0, 0, Bytes.of(data)));
        if (r.status() < 0) {
            throw new IOException(op + " failed: " + r.errorMessage());
        }
        return r;
    }

    CtdbPacket call(int operation, CtdbPacket p) throws IOException, BadPacketException {
        int id = reqid++;
        ch.write(ByteBuffer.wrap(CODEC.encode(CtdbHeader.of(operation, 0, CtdbWire.CURRENT_NODE, 0, id), p)));
        while (true) {
            CtdbCodec.Frame f = next();
            if (f.header().reqid() == id && f.header().operation() != CtdbHeader.REQ_MESSAGE) {
                if (f.packet() instanceof CtdbPacket.ReplyError e) {
                    throw new IOException("call failed: " + e.msg().toUtf8());
                }
                return f.packet();
            }
        }
    }

    /** {@code n} timed round trips of one request after n/10 of warm-up, in nanoseconds. */
    long[] time(int operation, CtdbPacket p, int n) throws IOException, BadPacketException {
        for (int i = 0; i < n / 10; i++) {
            call(operation, p);
        }
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call(operation, p);
            t[i] = System.nanoTime() - t0;
        }
        return t;
    }

    private CtdbCodec.Frame next() throws IOException, BadPacketException {
        while (in.remaining() < 4 || in.remaining() < in.getInt(in.position())) {
            in.compact();
            if (ch.read(in) < 0) {
                throw new IOException("daemon closed the connection");
            }
            in.flip();
        }
        byte[] wire = new byte[in.getInt(in.position())];
        in.get(wire);
        return CODEC.decode(wire);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
