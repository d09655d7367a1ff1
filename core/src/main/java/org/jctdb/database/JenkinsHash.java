package org.jctdb.database;

/**
 * Bob Jenkins' lookup3 "hashlittle" with an initial value of 0: libtdb's tdb_jenkins_hash,
 * the hash of TDB_INCOMPATIBLE_HASH files and CTDB's ctdb_hash (database ids, lmaster).
 * Pure Java so that ids are known without libtdb; checked against libtdb in the tests.
 */
public final class JenkinsHash {
    private JenkinsHash() {}

    /** The 32-bit hash of {@code key}, as an unsigned value in an int. */
    public static int hash(byte[] key) {
        int length = key.length;
        int a = 0xdeadbeef + length;
        int b = a;
        int c = a;
        int off = 0;
        int left = length;
        while (left > 12) {
            a += word(key, off);
            b += word(key, off + 4);
            c += word(key, off + 8);
            // mix
            a -= c;
            a ^= Integer.rotateLeft(c, 4);
            c += b;
            b -= a;
            b ^= Integer.rotateLeft(a, 6);
            a += c;
            c -= b;
            c ^= Integer.rotateLeft(b, 8);
            b += a;
            a -= c;
            a ^= Integer.rotateLeft(c, 16);
            c += b;
            b -= a;
            b ^= Integer.rotateLeft(a, 19);
            a += c;
            c -= b;
            c ^= Integer.rotateLeft(b, 4);
            b += a;
            off += 12;
            left -= 12;
        }
        if (left == 0) {
            return c;
        }
        // The last 1..12 bytes, little-endian within each of a, b, c; missing bytes count as 0.
        a += tail(key, off, Math.min(left, 4));
        if (left > 4) {
            b += tail(key, off + 4, Math.min(left - 4, 4));
        }
        if (left > 8) {
            c += tail(key, off + 8, left - 8);
        }
        // final
        c ^= b;
        c -= Integer.rotateLeft(b, 14);
        a ^= c;
        a -= Integer.rotateLeft(c, 11);
        b ^= a;
        b -= Integer.rotateLeft(a, 25);
        c ^= b;
        c -= Integer.rotateLeft(b, 16);
        a ^= c;
        a -= Integer.rotateLeft(c, 4);
        b ^= a;
        b -= Integer.rotateLeft(a, 14);
        c ^= b;
        c -= Integer.rotateLeft(b, 24);
        return c;
    }

    private static int word(byte[] k, int off) {
        return tail(k, off, 4);
    }

    private static int tail(byte[] k, int off, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v |= (k[off + i] & 0xff) << (8 * i);
        }
        return v;
    }
}
