package org.jctdb.protocol.ctdb;

/**
 * ctdb_connection (TCP_CLIENT, TCP_ADD, TCP_REMOVE): two 28-byte ctdb_sock_addr, src then dst:
 * 56 bytes. CTDB's header also names them server and client, but smbd's TCP_CLIENT puts the SMB
 * client in src and its own (public) address in dst, and ctdbd files the connection under dst.
 */
public record TcpConnection(SockAddr src, SockAddr dst) {
    public static final int SIZE = 2 * SockAddr.SIZE;

    public static TcpConnection decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_connection");
        TcpConnection c = new TcpConnection(SockAddr.read(r, "src"), SockAddr.read(r, "dst"));
        r.end();
        return c;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(SIZE);
        src.write(w);
        dst.write(w);
        return w.toByteArray();
    }
}
