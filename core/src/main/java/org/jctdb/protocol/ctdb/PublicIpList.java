package org.jctdb.protocol.ctdb;

import java.util.ArrayList;
import java.util.List;

/**
 * GET_PUBLIC_IPS reply, ctdb_public_ip_list: u32 num, then per address u32 pnn (the node that
 * hosts it, or -1) and a 28-byte ctdb_sock_addr: 32 bytes each.
 */
public record PublicIpList(List<PublicIp> ips) {
    public record PublicIp(int pnn, SockAddr address) {
        static final int SIZE = 4 + SockAddr.SIZE;

        static PublicIp read(WireReader r) throws BadPacketException {
            return new PublicIp(r.u32("pnn"), SockAddr.read(r, "addr"));
        }

        void write(WireWriter w) {
            w.u32(pnn);
            address.write(w);
        }

        /** RELEASE_IP / TAKEOVER_IP request payload: one ctdb_public_ip. */
        public static PublicIp decode(byte[] data) throws BadPacketException {
            WireReader r = new WireReader(data, "ctdb_public_ip");
            PublicIp ip = read(r);
            r.end();
            return ip;
        }

        public byte[] encode() {
            WireWriter w = new WireWriter(SIZE);
            write(w);
            return w.toByteArray();
        }
    }

    public PublicIpList {
        ips = List.copyOf(ips);
    }

    public static PublicIpList decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_public_ip_list");
        int num = r.count("num", PublicIp.SIZE);
        List<PublicIp> ips = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            ips.add(PublicIp.read(r));
        }
        r.end();
        return new PublicIpList(ips);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(4 + ips.size() * PublicIp.SIZE);
        w.u32(ips.size());
        ips.forEach(ip -> ip.write(w));
        return w.toByteArray();
    }
}
