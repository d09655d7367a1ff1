package org.jctdb.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LtdbHeaderTest {

    @Test
    void layoutIsLittleEndianRsnDmasterReservedFlagsPadding() {
        byte[] b = new LtdbHeader(0x0102030405060708L, 7, LtdbHeader.FLAG_AUTOMATIC).encode(new byte[] {(byte) 0xaa});
        assertThat(HexFormat.of().formatHex(b))
                .isEqualTo("0807060504030201" + "07000000" + "00000000" + "00000400" + "00000000" + "aa");
    }

    @Test
    void shortValueIsNotARecord() {
        assertThatThrownBy(() -> LtdbHeader.decode(new byte[23])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tdbFlagsPerKindAreCtdbs() {
        // ctdb_db_tdb_flags: persistent TDB_DEFAULT; others NOSYNC|CLEAR_IF_FIRST|INCOMPATIBLE_HASH
        // (+ MUTEX_LOCKING for volatile); all DISALLOW_NESTING.
        assertThat(DatabaseKind.PERSISTENT.tdbFlags(true)).isEqualTo(1024);
        assertThat(DatabaseKind.REPLICATED.tdbFlags(true)).isEqualTo(64 | 1 | 2048 | 1024);
        assertThat(DatabaseKind.VOLATILE.tdbFlags(false)).isEqualTo(64 | 1 | 2048 | 1024);
        assertThat(DatabaseKind.VOLATILE.tdbFlags(true)).isEqualTo(64 | 1 | 2048 | 1024 | 4096);
        assertThat(DatabaseKind.fromDbFlags(DatabaseFlags.PERSISTENT)).isEqualTo(DatabaseKind.PERSISTENT);
        assertThat(DatabaseKind.fromDbFlags(DatabaseFlags.REPLICATED)).isEqualTo(DatabaseKind.REPLICATED);
        assertThat(DatabaseKind.fromDbFlags(DatabaseFlags.READONLY)).isEqualTo(DatabaseKind.VOLATILE);
    }
}
