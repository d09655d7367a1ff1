package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.PeerMessage;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.migration.VnnMap;
import org.jctdb.database.recovery.DatabaseContent;
import org.jctdb.database.recovery.RecoveryReply;
import org.jctdb.database.recovery.RecoveryRequest;
import org.junit.jupiter.api.Test;

/** Migration and recovery messages survive the mesh encoding (byte arrays, record keys as sorted map keys). */
class DbWireMessagesTest {
    private final WireCodec codec = new WireCodec();

    private static DatabaseContent content() {
        TreeMap<RecordKey, LocalRecord> recs = new TreeMap<>();
        recs.put(
                new RecordKey(new byte[] {0, 1, (byte) 0xff}),
                new LocalRecord(new LtdbHeader(7, 2, 0x10000), new byte[] {1, 2, 3}));
        recs.put(RecordKey.of("k"), new LocalRecord(new LtdbHeader(1, 0, 0), new byte[0]));
        return new DatabaseContent(DbId.of("locking.tdb"), DatabaseKind.VOLATILE, recs);
    }

    private static void sameContent(DatabaseContent a, DatabaseContent b) {
        assertThat(b.db()).isEqualTo(a.db());
        assertThat(b.kind()).isEqualTo(a.kind());
        assertThat(b.records()).isEqualTo(a.records());
    }

    @Test
    void migrationMessagesRoundTrip() throws Exception {
        DbId db = DbId.of("g_lock.tdb");
        RecordKey key = new RecordKey(new byte[] {9, 0, 8});
        List<WireMessage> all = List.of(
                new WireMessage.Migration(new PeerMessage.ReqCall(1, 5121, db, key, 1, 44, 2)),
                new WireMessage.Migration(new PeerMessage.ReplyError(0, 5121, 44, PeerMessage.Reason.HOP_LIMIT)),
                new WireMessage.RecoveryWanted(2, "why"));
        for (WireMessage m : all) {
            assertThat(codec.decode(codec.encode(m))).isEqualTo(m);
        }
        WireMessage.Fragment f =
                (WireMessage.Fragment) codec.decode(codec.encode(new WireMessage.Fragment(3, 0, 2, new byte[] {1, 2})));
        assertThat(f.part()).containsExactly(1, 2);
        assertThat(f.count()).isEqualTo(2);
        PeerMessage.ReqDmaster rd = new PeerMessage.ReqDmaster(0, 9, db, key, 2, 4, 11, 0x10000, new byte[] {5}, 3);
        PeerMessage.ReqDmaster back = (PeerMessage.ReqDmaster)
                ((WireMessage.Migration) codec.decode(codec.encode(new WireMessage.Migration(rd)))).message();
        assertThat(back.key()).isEqualTo(key);
        assertThat(back.data()).containsExactly(5);
        assertThat(back.rsn()).isEqualTo(11);
    }

    /** A push larger than a frame (the daemon sends it in fragments) keeps every record. */
    @Test
    void aLargePushRoundTrips() throws Exception {
        TreeMap<RecordKey, LocalRecord> recs = new TreeMap<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[100];
            data[i % 100] = (byte) i;
            recs.put(RecordKey.of("key-" + i), new LocalRecord(new LtdbHeader(i, i % 3, 0), data));
        }
        DatabaseContent big = new DatabaseContent(DbId.of("big.tdb"), DatabaseKind.PERSISTENT, recs);
        WireMessage push = new WireMessage.DbRecoveryRequest(new RecoveryRequest.Push(0, 9, List.of(big)), Map.of());
        byte[] bytes = codec.encode(push);
        assertThat(bytes.length).isGreaterThan(WireCodec.MAX_FRAME_BYTES);
        assertThat(codec.decode(bytes)).isEqualTo(push);
    }

    @Test
    void recoveryMessagesRoundTrip() throws Exception {
        WireMessage push = new WireMessage.DbRecoveryRequest(
                new RecoveryRequest.Push(0, 2048, List.of(content())), Map.of("7a19d84d", "locking.tdb"));
        WireMessage.DbRecoveryRequest got = (WireMessage.DbRecoveryRequest) codec.decode(codec.encode(push));
        assertThat(got.dbNames()).containsEntry("7a19d84d", "locking.tdb");
        sameContent(
                content(), ((RecoveryRequest.Push) got.request()).databases().get(0));

        WireMessage thaw = new WireMessage.DbRecoveryRequest(
                new RecoveryRequest.Thaw(0, 2048, new VnnMap(2048, List.of(0, 1))), Map.of());
        assertThat(codec.decode(codec.encode(thaw))).isEqualTo(thaw);

        WireMessage collected = new WireMessage.DbRecoveryReply(
                new RecoveryReply.Collected(1, 2048, 1024, 1024, List.of(content())), Map.of());
        RecoveryReply.Collected c =
                (RecoveryReply.Collected) ((WireMessage.DbRecoveryReply) codec.decode(codec.encode(collected))).reply();
        assertThat(c.contentGeneration()).isEqualTo(1024);
        sameContent(content(), c.databases().get(0));
        WireMessage refused = new WireMessage.DbRecoveryReply(new RecoveryReply.Refused(1, 5, 9), Map.of());
        assertThat(codec.decode(codec.encode(refused))).isEqualTo(refused);
    }
}
