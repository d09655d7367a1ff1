package org.jctdb.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * Encodes and decodes one frame's payload. Framing (the length prefix and its limit) is the
 * transport's job; this class sees whole payloads only. Record migration and relayed CTDB packets
 * travel in {@link BinaryWire}'s compact form (first byte a tag), the small periodic messages
 * (keepalives, node states, leader and IP failover messages) in {@link CompactWire}'s, everything
 * else as JSON (first byte {@code '{'}). Every form is accepted from every peer.
 */
public final class WireCodec {
    /** Largest payload a node accepts; a peer sending more is dropped. */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public WireCodec() {
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(MAX_FRAME_BYTES)
                        .build());
    }

    public byte[] encode(WireMessage message) {
        Optional<byte[]> binary = BinaryWire.encode(message);
        if (binary.isPresent()) {
            return binary.get();
        }
        Optional<byte[]> compact = CompactWire.encode(message);
        if (compact.isPresent()) {
            return compact.get();
        }
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    /** Decodes a payload, or throws {@link BadMessageException} saying what is wrong with it. */
    public WireMessage decode(byte[] payload) throws BadMessageException {
        if (payload.length > 0 && BinaryWire.isBinary(payload[0])) {
            return BinaryWire.decode(payload);
        }
        if (payload.length > 0 && payload[0] == CompactWire.TAG) {
            return CompactWire.decode(payload);
        }
        try {
            WireMessage m = mapper.readValue(payload, WireMessage.class);
            if (m == null) {
                throw new BadMessageException("empty message");
            }
            return m;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new BadMessageException(
                    "undecodable message: " + why.lines().findFirst().orElse(why));
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
