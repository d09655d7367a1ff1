package org.jctdb.protocol.ctdb;

import org.jctdb.protocol.ctdb.PublicIpList.PublicIp;

/**
 * GET_PUBLIC_IP_INFO (request: a 28-byte ctdb_sock_addr) reply: the ctdb_public_ip, u32 index of
 * the active interface in the list, then a ctdb_iface_list of the interfaces that can host it.
 */
public record PublicIpInfo(PublicIp ip, int activeIdx, IfaceList ifaces) {

    public static PublicIpInfo decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_public_ip_info");
        PublicIp ip = PublicIp.read(r);
        int active = r.u32("active_idx");
        IfaceList ifaces = IfaceList.read(r);
        r.end();
        return new PublicIpInfo(ip, active, ifaces);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter();
        ip.write(w);
        w.u32(activeIdx);
        ifaces.write(w);
        return w.toByteArray();
    }
}
