package org.jctdb.client;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.jctdb.ip.tickle.TcpEndpoint;
import org.jctdb.ip.tickle.TickleConnection;
import org.jctdb.protocol.ctdb.SockAddr;
import org.jctdb.protocol.ctdb.TcpConnection;

/** CTDB's ctdb_connection (smbd's TCP_CLIENT) into the daemon's tickle lists. */
final class TcpTickles {
    private TcpTickles() {}

    static void register(CtdbService.Host host, TcpConnection conn) {
        toTickle(conn).ifPresent(c -> host.tickles().ifPresent(t -> t.add(List.of(c))));
    }

    /** Empty for a family other than IPv4 and IPv6, or mixed families. */
    static Optional<TickleConnection> toTickle(TcpConnection conn) {
        Optional<TcpEndpoint> src = endpoint(conn.src());
        Optional<TcpEndpoint> dst = endpoint(conn.dst());
        if (src.isEmpty() || dst.isEmpty() || src.get().ipv6() != dst.get().ipv6()) {
            return Optional.empty();
        }
        return Optional.of(new TickleConnection(src.get(), dst.get()));
    }

    private static Optional<TcpEndpoint> endpoint(SockAddr a) {
        InetAddress ip = a.address();
        return ip == null ? Optional.empty() : Optional.of(new TcpEndpoint(ip.getHostAddress(), a.port()));
    }
}
