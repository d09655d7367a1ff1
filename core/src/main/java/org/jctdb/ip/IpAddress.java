package org.jctdb.ip;

import java.util.Comparator;

/**
 * An IPv4 or IPv6 address held as CTDB's 128-bit allocation key: four 32-bit words, most
 * significant first, with IPv4 addresses in the last word (the first three are zero).
 *
 * <p>The natural order is ascending by key (unsigned). CTDB's merged address list, and so
 * every allocation and every line of {@code ipalloc} output, runs in the reverse order:
 * {@link #CTDB_ORDER}.
 */
public record IpAddress(int w0, int w1, int w2, int w3, boolean ipv6) implements Comparable<IpAddress> {

    /** Descending by key: the order of CTDB's merged public address list. */
    public static final Comparator<IpAddress> CTDB_ORDER = Comparator.reverseOrder();

    public IpAddress {
        if (!ipv6 && (w0 != 0 || w1 != 0 || w2 != 0)) {
            throw new IllegalArgumentException("IPv4 address with non-zero high words");
        }
    }

    public static IpAddress ipv4(int address) {
        return new IpAddress(0, 0, 0, address, false);
    }

    /** Parses a numeric IPv4 or IPv6 address (no host names, no ports, no prefixes). */
    public static IpAddress parse(String text) {
        return IpAddressText.parse(text);
    }

    /** The key word {@code i} (0..3), as CTDB's ip_key() lays it out. */
    public int word(int i) {
        switch (i) {
            case 0:
                return w0;
            case 1:
                return w1;
            case 2:
                return w2;
            case 3:
                return w3;
            default:
                throw new IndexOutOfBoundsException(i);
        }
    }

    @Override
    public int compareTo(IpAddress o) {
        for (int i = 0; i < 4; i++) {
            int c = Integer.compareUnsigned(word(i), o.word(i));
            if (c != 0) {
                return c;
            }
        }
        // Same key (e.g. 1.2.3.4 and ::1.2.3.4): keep the order total.
        return Boolean.compare(ipv6, o.ipv6);
    }

    /** The address as inet_ntop() prints it, which is how CTDB prints it. */
    @Override
    public String toString() {
        return IpAddressText.format(this);
    }
}
