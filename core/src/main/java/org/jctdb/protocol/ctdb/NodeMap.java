package org.jctdb.protocol.ctdb;

import java.util.ArrayList;
import java.util.List;

/**
 * GET_NODEMAP (and GET_NODES_FILE) reply, ctdb_node_map: u32 num, then per node u32 pnn,
 * u32 flags (NODE_FLAGS_*), 28-byte ctdb_sock_addr: 36 bytes each.
 */
public record NodeMap(List<Node> nodes) {
    public record Node(int pnn, int flags, SockAddr address) {
        static final int SIZE = 8 + SockAddr.SIZE;
    }

    public NodeMap {
        nodes = List.copyOf(nodes);
    }

    public static NodeMap decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_node_map");
        int num = r.count("num", Node.SIZE);
        List<Node> nodes = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            nodes.add(new Node(r.u32("pnn"), r.u32("flags"), SockAddr.read(r, "addr")));
        }
        r.end();
        return new NodeMap(nodes);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(4 + nodes.size() * Node.SIZE);
        w.u32(nodes.size());
        for (Node n : nodes) {
            w.u32(n.pnn()).u32(n.flags());
            n.address().write(w);
        }
        return w.toByteArray();
    }
}
