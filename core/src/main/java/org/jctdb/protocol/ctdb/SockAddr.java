package org.jctdb.protocol.ctdb;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * ctdb_sock_addr: CTDB copies the C union of sockaddr, sockaddr_in and sockaddr_in6 onto the
 * wire as is, so it is always 28 bytes (the size of sockaddr_in6 on Linux): u16 family in host
 * order, u16 port in network order, then for IPv4 the address (network order) and 20 unused
 * bytes, for IPv6 u32 flowinfo, the 16-byte address and u32 scope id. Kept as the raw 28 bytes
 * so unused bytes round-trip.
 */
public record SockAddr(Bytes raw) {
    public static final int SIZE = 28;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public SockAddr {
        if (raw.length() != SIZE) {
            throw new IllegalArgumentException("a ctdb_sock_addr has " + SIZE + " bytes, not " + raw.length());
        }
    }

    public static SockAddr of(InetAddress address, int port) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        if (address instanceof Inet4Address) {
            b.order(CtdbWire.ORDER).putShort((short) AF_INET);
            b.order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(address.getAddress());
        } else {
            b.order(CtdbWire.ORDER).putShort((short) AF_INET6);
            b.order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(0).put(address.getAddress());
            b.order(CtdbWire.ORDER).putInt(((Inet6Address) address).getScopeId());
        }
        return new SockAddr(Bytes.wrap(b.array()));
    }

    static SockAddr read(WireReader r, String field) throws BadPacketException {
        return new SockAddr(Bytes.wrap(r.bytes(SIZE, field)));
    }

    void write(WireWriter w) {
        w.bytes(raw);
    }

    public static SockAddr decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_sock_addr");
        SockAddr a = read(r, "address");
        r.end();
        return a;
    }

    public byte[] encode() {
        return raw.toArray();
    }

    public int family() {
        return ByteBuffer.wrap(raw.array()).order(CtdbWire.ORDER).getShort(0) & 0xffff;
    }

    public int port() {
        return ByteBuffer.wrap(raw.array()).order(ByteOrder.BIG_ENDIAN).getShort(2) & 0xffff;
    }

    /** The IPv4 or IPv6 address, or null for any other family. */
    public InetAddress address() {
        byte[] b = raw.array();
        try {
            if (family() == AF_INET) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 4, 8));
            }
            if (family() == AF_INET6) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 8, 24));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for a wrong array length
        }
        return null;
    }

    @Override
    public String toString() {
        InetAddress a = address();
        return a == null ? "SockAddr[family " + family() + "]" : a.getHostAddress() + ":" + port();
    }
}
