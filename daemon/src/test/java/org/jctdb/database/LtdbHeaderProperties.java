package org.jctdb.database;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class LtdbHeaderProperties {

    @Property
    void headerAndDataRoundTrip(@ForAll long rsn, @ForAll int dmaster, @ForAll int flags, @ForAll byte[] data) {
        LtdbHeader h = new LtdbHeader(rsn, dmaster, flags);
        byte[] stored = h.encode(data);
        assertThat(stored).hasSize(LtdbHeader.SIZE + data.length);
        assertThat(LtdbHeader.decode(stored)).isEqualTo(h);
        assertThat(LtdbHeader.dataOf(stored)).isEqualTo(data);
        assertThat(LtdbRecord.parse(new byte[] {1}, stored).stored()).isEqualTo(stored);
    }

    @Property(tries = 300)
    void javaJenkinsHashIsLibtdbs(@ForAll byte[] key) {
        TdbLibrary lib = Libtdb.require();
        TdbLibrary.TdbData d = new TdbLibrary.TdbData();
        com.sun.jna.Memory m = key.length == 0 ? null : new com.sun.jna.Memory(key.length);
        if (m != null) {
            m.write(0, key, 0, key.length);
        }
        d.dptr = m;
        d.dsize = new TdbLibrary.SizeT(key.length);
        assertThat(JenkinsHash.hash(key)).isEqualTo(lib.tdb_jenkins_hash(d));
    }
}
