package org.jctdb.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of the peer handshake (docs/design/security.md): HMAC-SHA256 under the cluster
 * key over a transcript of both nonces, both PNNs, the nodes file's fingerprint and the key id; and
 * one frame-MAC key per direction, derived from the same transcript, so that every later frame
 * carries a tag over its sequence number and payload.
 */
final class PeerAuth {
    static final int NONCE_BYTES = 32;
    static final int TAG_BYTES = 32;
    static final byte[] MAGIC = {'J', 'C', 'T', 'A'};
    static final byte CHALLENGE = 1;
    static final byte RESPONSE = 2;
    static final byte PROOF = 3;
    /** Largest handshake frame a node accepts from a peer that has not authenticated. */
    static final int MAX_HANDSHAKE_FRAME = 512;

    private static final String ALGORITHM = "HmacSHA256";

    private PeerAuth() {}

    /** Everything both sides must agree on; each MAC covers all of it. */
    static byte[] transcript(
            int dialerPnn, int acceptorPnn, String clusterId, byte[] keyId, byte[] dialerNonce, byte[] acceptorNonce) {
        byte[] fp = clusterId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 2 + fp.length + keyId.length + 2 * NONCE_BYTES);
        b.put("jctdb-peer-auth1".getBytes(StandardCharsets.US_ASCII));
        b.putInt(dialerPnn).putInt(acceptorPnn);
        b.putShort((short) fp.length).put(fp);
        b.put(keyId).put(dialerNonce).put(acceptorNonce);
        return b.array();
    }

    static byte[] mac(byte[] key, String label, byte[] transcript) {
        Mac m = newMac(key);
        m.update(label.getBytes(StandardCharsets.US_ASCII));
        m.update((byte) 0);
        return m.doFinal(transcript);
    }

    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static Mac newMac(byte[] key) {
        try {
            Mac m = Mac.getInstance(ALGORITHM);
            m.init(new SecretKeySpec(key, ALGORITHM));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is always available", e);
        }
    }
}
