package org.jctdb.ip.tickle;

import java.util.Comparator;

/**
 * A client's TCP connection to a public address, as CTDB's ctdb_connection files it: {@code src}
 * is the client, {@code dst} the public address (server side). smbd's TCP_CLIENT, ctdb's
 * addtickle and gettickles all use this order.
 */
public record TickleConnection(TcpEndpoint src, TcpEndpoint dst) implements Comparable<TickleConnection> {
    private static final Comparator<TickleConnection> ORDER =
            Comparator.comparing(TickleConnection::dst).thenComparing(TickleConnection::src);

    public TickleConnection {
        if (src.ipv6() != dst.ipv6()) {
            throw new IllegalArgumentException("mixed address families: " + src + " " + dst);
        }
    }

    /** "SRC DST" as the stock scripts pipe into addtickle and deltickle. */
    public static TickleConnection parse(String line) {
        String[] w = line.strip().split("\\s+");
        if (w.length != 2) {
            throw new IllegalArgumentException("expected \"SRC-IP:PORT DST-IP:PORT\": " + line.strip());
        }
        return new TickleConnection(TcpEndpoint.parse(w[0]), TcpEndpoint.parse(w[1]));
    }

    @Override
    public int compareTo(TickleConnection o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return src + " " + dst;
    }
}
