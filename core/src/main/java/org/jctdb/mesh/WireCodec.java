package org.jctdb.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Encodes and decodes one frame's payload. Framing (the length prefix and its limit) is the
 * transport's job; this class sees whole payloads only.
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
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    /** Decodes a payload, or throws {@link BadMessageException} saying what is wrong with it. */
    public WireMessage decode(byte[] payload) throws BadMessageException {
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
