package org.jctdb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) of one direction's frames, the same tag as {@code Mac("HmacSHA256")} gives, at a fraction
 * of its cost for a small frame. The JDK's Mac hashes the key's inner and outer pad blocks again for every tag; here
 * both are hashed once, when the key is set, and every tag starts from those two saved states. SHA-256 (FIPS 180-4)
 * is written out here rather than cloned from {@code MessageDigest} per tag: the clones (a digest object, its state,
 * buffer and schedule arrays, twice per tag) were a fifth of what the daemon's I/O thread allocated during record
 * migration, and without a SHA intrinsic in the daemon's JIT the JDK's code is plain Java too. One instance per
 * connection direction, used by one thread.
 */
final class FrameMac {
    private static final int BLOCK = 64;
    private static final int DIGEST = 32;
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    };
    private static final int[] INITIAL = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };

    /** The hash states after the key's inner and outer pad block. */
    private final int[] innerKeyed = new int[8];

    private final int[] outerKeyed = new int[8];
    // working state of the tag in progress
    private final int[] h = new int[8];
    private final int[] w = new int[64];
    private final byte[] block = new byte[BLOCK];
    private final byte[] digest = new byte[DIGEST];
    private int filled;
    private long length;

    /** {@code key}: at most one block (the derived frame keys are 32 bytes). */
    FrameMac(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("a frame key of " + key.length + " bytes is longer than a block");
        }
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        System.arraycopy(INITIAL, 0, h, 0, 8);
        compress(ipad, 0);
        System.arraycopy(h, 0, innerKeyed, 0, 8);
        System.arraycopy(INITIAL, 0, h, 0, 8);
        compress(opad, 0);
        System.arraycopy(h, 0, outerKeyed, 0, 8);
    }

    /** HMAC(key, sequence number as 8 bytes big-endian | payload); {@code payload}'s position is kept. */
    byte[] tag(long sequence, ByteBuffer payload) {
        over(sequence, Unpooled.wrappedBuffer(payload.duplicate()), 0, payload.remaining());
        return digest.clone();
    }

    /**
     * Appends the tag of the {@code payload}'s readable bytes behind them (the caller made room): the frame keeps
     * its one buffer and no array is allocated for the tag.
     */
    void appendTag(long sequence, ByteBuf payload) {
        over(sequence, payload, payload.readerIndex(), payload.readableBytes());
        payload.writeBytes(digest);
    }

    /**
     * Whether the {@link PeerAuth#TAG_BYTES} bytes at {@code index + length} of {@code frame} are the tag of the
     * {@code length} bytes at {@code index}: compared in constant time, read in place.
     */
    boolean verify(long sequence, ByteBuf frame, int index, int length) {
        over(sequence, frame, index, length);
        int diff = 0;
        for (int i = 0; i < DIGEST; i++) {
            diff |= digest[i] ^ frame.getByte(index + length + i);
        }
        return diff == 0;
    }

    private void over(long sequence, ByteBuf buf, int index, int length) {
        begin(sequence);
        int at = index;
        int left = length;
        while (left > 0) {
            int n = Math.min(left, BLOCK - filled);
            buf.getBytes(at, block, filled, n);
            at += n;
            left -= n;
            absorbed(n);
        }
        end();
    }

    /** The inner hash, keyed, with the sequence number in its first bytes. */
    private void begin(long sequence) {
        start(innerKeyed);
        for (int i = 0; i < 8; i++) {
            block[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        filled = 8;
        length = BLOCK + 8;
    }

    /** {@code n} more bytes were copied into {@link #block}. */
    private void absorbed(int n) {
        filled += n;
        length += n;
        if (filled == BLOCK) {
            compress(block, 0);
            filled = 0;
        }
    }

    /** Finishes the inner hash and the outer one over it; the tag is then in {@link #digest}. */
    private void end() {
        finish(digest);
        start(outerKeyed);
        System.arraycopy(digest, 0, block, 0, DIGEST);
        filled = DIGEST;
        length = BLOCK + DIGEST;
        finish(digest); // the outer digest replaces the inner one, already consumed
    }

    /** A message whose first block (a pad block) is already hashed into {@code keyed}. */
    private void start(int[] keyed) {
        System.arraycopy(keyed, 0, h, 0, 8);
        filled = 0;
    }

    /** Pads, hashes the last block(s) and writes the digest, big-endian. */
    private void finish(byte[] out) {
        long bits = length * 8;
        block[filled++] = (byte) 0x80;
        if (filled > BLOCK - 8) {
            Arrays.fill(block, filled, BLOCK, (byte) 0);
            compress(block, 0);
            filled = 0;
        }
        Arrays.fill(block, filled, BLOCK - 8, (byte) 0);
        for (int i = 0; i < 8; i++) {
            block[BLOCK - 8 + i] = (byte) (bits >>> (56 - 8 * i));
        }
        compress(block, 0);
        for (int i = 0; i < 8; i++) {
            int v = h[i];
            out[4 * i] = (byte) (v >>> 24);
            out[4 * i + 1] = (byte) (v >>> 16);
            out[4 * i + 2] = (byte) (v >>> 8);
            out[4 * i + 3] = (byte) v;
        }
    }

    /** One SHA-256 compression of the 64 bytes at {@code off} into {@link #h}. */
    private void compress(byte[] in, int off) {
        for (int t = 0; t < 16; t++) {
            int i = off + 4 * t;
            w[t] = (in[i] << 24) | ((in[i + 1] & 0xff) << 16) | ((in[i + 2] & 0xff) << 8) | (in[i + 3] & 0xff);
        }
        for (int t = 16; t < 64; t++) {
            int x = w[t - 15];
            int y = w[t - 2];
            int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
            int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int a = h[0];
        int b = h[1];
        int c = h[2];
        int d = h[3];
        int e = h[4];
        int f = h[5];
        int g = h[6];
        int hh = h[7];
        for (int t = 0; t < 64; t++) {
            int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            int ch = (e & f) ^ (~e & g);
            int t1 = hh + s1 + ch + K[t] + w[t];
            int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            int maj = (a & b) ^ (a & c) ^ (b & c);
            int t2 = s0 + maj;
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}
