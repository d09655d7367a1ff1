package org.jctdb.mesh;

import java.util.Optional;

/**
 * Encodes and decodes one frame's payload. Framing (the length prefix and its limit) is the
 * transport's job; this class sees whole payloads only. Record migration and relayed CTDB packets
 * travel in {@link BinaryWire}'s form, every other message in {@link CompactWire}'s; the first byte
 * tells which. The mesh carries no JSON: nodes of one build talk to each other, and an idle daemon
 * loads no JSON library (bench/README.md, "Daemon memory").
 */
public final class WireCodec {
    /** Largest payload a node accepts; a peer sending more is dropped. */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;

    public byte[] encode(WireMessage message) {
        Optional<byte[]> binary = BinaryWire.encode(message);
        if (binary.isPresent()) {
            return binary.get();
        }
        return CompactWire.encode(message)
                .orElseThrow(() -> new IllegalStateException("no wire form for " + message.getClass()));
    }

    /** Decodes a payload, or throws {@link BadMessageException} saying what is wrong with it. */
    public WireMessage decode(byte[] payload) throws BadMessageException {
        if (payload.length == 0) {
            throw new BadMessageException("empty message");
        }
        if (BinaryWire.isBinary(payload[0])) {
            return BinaryWire.decode(payload);
        }
        if (payload[0] == CompactWire.TAG) {
            return CompactWire.decode(payload);
        }
        throw new BadMessageException(String.format(
                "unknown message tag 0x%02x%s",
                payload[0] & 0xff, payload[0] == '{' ? " (JSON, from a node of another build?)" : ""));
    }
}
