package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jctdb.database.DbId;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.junit.jupiter.api.Test;

/** Per-database counters: hot keys as ctdbd keeps them, and struct ctdb_db_statistics' offsets. */
class DbCountersTest {
    private static final DbId DB = new DbId(0x1234);

    @Test
    void theTenKeysThatMigratedMostAreHotColdestFirst() {
        DbCounters c = new DbCounters();
        for (int k = 0; k < 12; k++) {
            for (int n = 0; n <= k; n++) {
                c.answered(DB, RecordKey.of("key" + k), 1);
            }
        }
        c.answered(DB, RecordKey.of("local"), 0); // no migration: a hop bucket, not a hot key
        DbCounters.Snapshot s = c.snapshot(DB);
        assertThat(s.hotKeys()).hasSize(DbCounters.MAX_HOT_KEYS);
        assertThat(s.hotKeys().get(0).count()).isEqualTo(3); // key0 and key1 (1 and 2 migrations) fell out
        assertThat(new String(s.hotKeys().get(9).key(), StandardCharsets.UTF_8)).isEqualTo("key11");
        assertThat(s.hopCountBuckets().get(0)).isEqualTo(1);
        assertThat(s.hopCountBuckets().get(1)).isEqualTo(78); // 1+2+...+12 calls after one hop
    }

    @Test
    void encodesCtdbsLayoutWithEveryHotKeySlot() {
        DbCounters c = new DbCounters();
        c.answered(DB, RecordKey.of("ab"), 2);
        c.lockWaitStarted(DB);
        c.lockWaitEnded(DB, 2_000_000_000L, false);
        byte[] wire = DbCounters.encode(c.snapshot(DB));
        ByteBuffer b = ByteBuffer.wrap(wire).order(CtdbWire.ORDER);
        // 16 lock counters, 32 latency, 64 buckets, 32 vacuum, 8 read-only, 64 hops, 8 count and padding
        assertThat(wire).hasSize(224 + 10 * 24 + 2);
        assertThat(b.getInt(0)).as("locks.num_calls").isEqualTo(1);
        assertThat(b.getInt(16)).as("locks.latency.num").isEqualTo(1);
        assertThat(b.getDouble(40)).as("locks.latency.total").isEqualTo(2.0);
        assertThat(b.getInt(152 + 4 * 2)).as("hop_count_bucket[2]").isEqualTo(1);
        assertThat(b.getInt(216)).as("num_hot_keys").isEqualTo(10);
        assertThat(b.getInt(224)).as("hot_keys[0].count").isEqualTo(1);
        assertThat(b.getLong(240)).as("hot_keys[0].key.dsize").isEqualTo(2);
        assertThat(b.getLong(224 + 24 + 16)).as("hot_keys[1].key.dsize").isZero();
        assertThat(new String(wire, 464, 2, StandardCharsets.UTF_8)).isEqualTo("ab");
    }
}
