package org.jctdb.ip.tickle;

import org.jctdb.ip.IpAddress;

/** One end of a TCP connection: an address as inet_ntop prints it, and a port. */
public record TcpEndpoint(String ip, int port) implements Comparable<TcpEndpoint> {
    public TcpEndpoint {
        ip = IpAddress.parse(ip).toString(); // canonical form, so equal endpoints compare equal
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0-65535");
        }
    }

    /**
     * Parses CTDB's IP:PORT: the port follows the last colon, so an IPv6 address may come bare
     * (fe80::1:445, as the stock scripts print it once ss's brackets are removed) or in brackets.
     */
    public static TcpEndpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not IP:PORT: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = text.substring(colon + 1);
        if (!port.chars().allMatch(Character::isDigit) || port.length() > 5) {
            throw new IllegalArgumentException("bad port in " + text);
        }
        return new TcpEndpoint(host, Integer.parseInt(port));
    }

    public boolean ipv6() {
        return ip.indexOf(':') >= 0;
    }

    /** IP:PORT, IPv6 in brackets (how ctdb prints an address with its port). */
    @Override
    public String toString() {
        return (ipv6() ? "[" + ip + "]" : ip) + ":" + port;
    }

    @Override
    public int compareTo(TcpEndpoint o) {
        int c = IpAddress.parse(ip).compareTo(IpAddress.parse(o.ip));
        return c != 0 ? c : Integer.compare(port, o.port);
    }
}
