package org.jctdb.protocol.ctdb;

/**
 * ctdb_connection (TCP_CLIENT, TCP_ADD, TCP_REMOVE): two 28-byte ctdb_sock_addr, the server
 * side (a public address and port) first, then the client: 56 bytes.
 */
public record TcpConnection(SockAddr server, SockAddr client) {
    public static final int SIZE = 2 * SockAddr.SIZE;

    public static TcpConnection decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_connection");
        TcpConnection c = new TcpConnection(SockAddr.read(r, "server"), SockAddr.read(r, "client"));
        r.end();
        return c;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(SIZE);
        server.write(w);
        client.write(w);
        return w.toByteArray();
    }
}
