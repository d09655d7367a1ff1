package org.jctdb.protocol.ctdb;

import java.util.ArrayList;
import java.util.List;

/**
 * GET_DBMAP reply, ctdb_dbid_map: u32 num, then per database u32 db_id, u8 flags (DB_FLAGS_*)
 * and 3 bytes of padding: 8 bytes each.
 */
public record DbidMap(List<Dbid> dbs) {
    public record Dbid(int dbId, int flags) {
        static final int SIZE = 8;

        public Dbid {
            if (flags < 0 || flags > 0xff) {
                throw new IllegalArgumentException("database flags are one byte: " + flags);
            }
        }
    }

    public DbidMap {
        dbs = List.copyOf(dbs);
    }

    public static DbidMap decode(byte[] data) throws BadPacketException {
        WireReader r = new WireReader(data, "ctdb_dbid_map");
        int num = r.count("num", Dbid.SIZE);
        List<Dbid> dbs = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            int dbId = r.u32("db_id");
            int flags = r.u8("flags");
            r.skip(3, "padding");
            dbs.add(new Dbid(dbId, flags));
        }
        r.end();
        return new DbidMap(dbs);
    }

    public byte[] encode() {
        WireWriter w = new WireWriter(4 + dbs.size() * Dbid.SIZE);
        w.u32(dbs.size());
        for (Dbid d : dbs) {
            w.u32(d.dbId()).u8(d.flags()).zeros(3);
        }
        return w.toByteArray();
    }
}
