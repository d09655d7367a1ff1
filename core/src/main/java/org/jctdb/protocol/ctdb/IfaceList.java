package org.jctdb.protocol.ctdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GET_IFACES reply, ctdb_iface_list: u32 num, then per interface an 18-byte NUL-padded name
 * (IFNAMSIZ + 2), u16 link_state (1 up, 0 down), u32 references: 24 bytes each.
 */
public record IfaceList(List<Iface> ifaces) {
    public record Iface(String name, int linkState, int references) {
        static final int NAME_SIZE = 18;
        static final int SIZE = NAME_SIZE + 2 + 4;

        public Iface {
            if (name.getBytes(StandardCharsets.UTF_8).length >= NAME_SIZE) {
                throw new IllegalArgumentException("interface name longer than " + (NAME_SIZE - 1) + " bytes: " + name);
            }
            if (linkState < 0 || linkState > 0xffff) {
                throw new IllegalArgumentException("link state is a u16: " + linkState);
            }
        }

        static Iface read(WireReader r) throws BadPacketException {
            byte[] raw = r.bytes(NAME_SIZE, "name");
            int n = 0;
            while (n < NAME_SIZE - 1 && raw[n] != 0) { // CTDB forces the last byte to NUL too
                n++;
            }
            String name = new String(raw, 0, n, StandardCharsets.UTF_8);
            if (name.getBytes(StandardCharsets.UTF_8).length != n) {
                throw new BadPacketException("ctdb_iface: name is not UTF-8");
            }
            return new Iface(name, r.u16("link_state"), r.u32("references"));
        }

        void write(WireWriter w) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            w.bytes(b).zeros(NAME_SIZE - b.length).u16(linkState).u32(references);
        }
    }

    public IfaceList {
        ifaces = List.copyOf(ifaces);
    }

    static IfaceList read(WireReader r) throws BadPacketException {
        int num = r.count("num", Iface.SIZE);
        List<Iface> list = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            list.add(Iface.read(r));
        }
        return new IfaceList(list);
    }

    void write(WireWriter w) {
        w.u32(ifaces.size());
        ifaces.forEach(i -> i.write(w));
    }

    public static IfaceList decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_iface_list");
        IfaceList l = read(r);
        r.end();
        return l;
    }

    public byte[] encode() {
        WireWriter w = new WireWriter();
        write(w);
        return w.toByteArray();
    }
}
