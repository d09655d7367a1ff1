package org.jctdb.daemon;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jctdb.mesh.BadMessageException;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;
import org.jctdb.transport.NodeMesh;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries database recovery messages larger than one mesh frame ({@link WireCodec#MAX_FRAME_BYTES}):
 * the sender encodes the message once and sends it in {@link WireMessage.Fragment}s of at most
 * {@link #PART_BYTES}; the receiver joins the parts of one id in order and decodes the whole. Per link
 * the mesh keeps order, so parts arrive in order; a disconnect drops half-received messages.
 */
final class MeshFragments {
    private static final Logger log = LoggerFactory.getLogger("jctdb.daemon");
    /** Raw bytes per part: base64 in JSON makes ~683 KiB of a 1 MiB frame. */
    static final int PART_BYTES = 512 * 1024;
    /** Largest message joined: bounds what a peer can make us buffer. */
    static final long MAX_MESSAGE_BYTES = 1L << 30;

    private final WireCodec codec = new WireCodec();
    private final AtomicLong nextId = new AtomicLong();
    private final Map<Integer, Partial> partial = new HashMap<>();

    private record Partial(long id, int count, ByteArrayOutputStream bytes, int[] next) {}

    /** Sends {@code m}, in parts when it is a recovery message too large for one frame. */
    boolean send(NodeMesh mesh, int pnn, WireMessage m) {
        if (!(m instanceof WireMessage.DbRecoveryRequest || m instanceof WireMessage.DbRecoveryReply)) {
            return mesh.send(pnn, m);
        }
        byte[] whole = codec.encode(m);
        if (whole.length <= PART_BYTES) {
            return mesh.send(pnn, m);
        }
        long id = nextId.incrementAndGet();
        int count = (whole.length + PART_BYTES - 1) / PART_BYTES;
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(whole, i * PART_BYTES, Math.min(whole.length, (i + 1) * PART_BYTES));
            if (!mesh.send(pnn, new WireMessage.Fragment(id, i, count, part))) {
                return false;
            }
        }
        return true;
    }

    /** One part from {@code pnn}; the whole message once its last part arrived. Mesh thread. */
    synchronized Optional<WireMessage> received(int pnn, WireMessage.Fragment f) {
        Partial p = partial.get(pnn);
        if (f.index() == 0) {
            p = new Partial(f.id(), f.count(), new ByteArrayOutputStream(), new int[] {0});
            partial.put(pnn, p);
        }
        if (p == null
                || p.id() != f.id()
                || p.next()[0] != f.index()
                || f.count() != p.count()
                || p.bytes().size() + (long) f.part().length > MAX_MESSAGE_BYTES) {
            log.warn(
                    "node {} sent fragment {}/{} of message {} out of order; dropped",
                    pnn,
                    f.index(),
                    f.count(),
                    f.id());
            partial.remove(pnn);
            return Optional.empty();
        }
        p.bytes().writeBytes(f.part());
        p.next()[0]++;
        if (p.next()[0] < p.count()) {
            return Optional.empty();
        }
        partial.remove(pnn);
        try {
            WireMessage whole = codec.decode(p.bytes().toByteArray());
            if (whole instanceof WireMessage.Fragment) {
                log.warn("node {} sent a fragment inside fragments; dropped", pnn);
                return Optional.empty();
            }
            return Optional.of(whole);
        } catch (BadMessageException e) {
            log.warn("node {} sent a bad fragmented message: {}", pnn, e.getMessage());
            return Optional.empty();
        }
    }

    synchronized void forget(int pnn) {
        partial.remove(pnn);
    }
}
