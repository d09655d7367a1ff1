package org.jctdb.protocol.ctdb;

import java.util.ArrayList;
import java.util.List;

/** GETVNNMAP reply: u32 generation, u32 size, then size u32 pnns (the lmaster of each hash slot). */
public record VnnMap(int generation, List<Integer> map) {
    public VnnMap {
        map = List.copyOf(map);
    }

    public static VnnMap decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_vnn_map");
        int generation = r.u32("generation");
        int size = r.count("size", 4);
        List<Integer> map = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            map.add(r.u32("map"));
        }
        r.end();
        return new VnnMap(generation, map);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(8 + 4 * map.size());
        w.u32(generation).u32(map.size());
        map.forEach(w::u32);
        return w.toByteArray();
    }
}
