package org.jctdb.database.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;

class RecordMergeProperties {

    /** copies: node -> (key index -> rsn); the data names rsn and node, dmaster alternates. */
    private static TreeMap<Integer, Map<RecordKey, LocalRecord>> copies(List<List<@IntRange(max = 5) Integer>> rsns) {
        TreeMap<Integer, Map<RecordKey, LocalRecord>> out = new TreeMap<>();
        for (int node = 0; node < rsns.size(); node++) {
            Map<RecordKey, LocalRecord> recs = new TreeMap<>();
            List<Integer> perKey = rsns.get(node);
            for (int k = 0; k < perKey.size(); k++) {
                int rsn = perKey.get(k);
                recs.put(
                        RecordKey.of("k" + k),
                        new LocalRecord(new LtdbHeader(rsn, (node + k) % 3, 0), ("r" + rsn).getBytes()));
            }
            out.put(node, recs);
        }
        return out;
    }

    @Property
    void mergeKeepsTheHighestRsnOfEveryKey(
            @ForAll @Size(min = 1, max = 5) List<@Size(max = 4) List<@IntRange(max = 5) Integer>> rsns) {
        var in = copies(rsns);
        RecordMerge.Merged m = RecordMerge.mergeVolatile(in);
        for (Map<RecordKey, LocalRecord> node : in.values()) {
            node.forEach((k, r) -> assertThat(m.records().get(k).header().rsn())
                    .isGreaterThanOrEqualTo(r.header().rsn()));
        }
        assertThat(m.conflicts()).isZero(); // equal rsn, equal data here
    }

    @Property
    void pushedRecordsHaveDataAndTheLeaderAsDmaster(
            @ForAll @Size(min = 1, max = 5) List<@Size(max = 4) List<@IntRange(max = 5) Integer>> rsns,
            @ForAll @IntRange(max = 4) int leader) {
        var in = copies(rsns);
        in.get(0).put(RecordKey.of("empty"), new LocalRecord(new LtdbHeader(9, 0, 0), new byte[0]));
        var pushed = RecordMerge.volatilePush(RecordMerge.mergeVolatile(in).records(), leader);
        assertThat(pushed).doesNotContainKey(RecordKey.of("empty"));
        pushed.values().forEach(r -> {
            assertThat(r.header().dmaster()).isEqualTo(leader);
            assertThat(r.header().has(LtdbHeader.FLAG_MIGRATED_WITH_DATA)).isTrue();
            assertThat(RecordMerge.storedAt(r, leader).header().rsn())
                    .isEqualTo(r.header().rsn() + 1);
            assertThat(RecordMerge.storedAt(r, leader + 1)).isEqualTo(r);
        });
    }

    @Property
    void persistentCopyWithTheHighestSeqnumWinsLowestNodeOnTies(
            @ForAll @Size(min = 1, max = 5) List<@IntRange(max = 3) Integer> seqnums) {
        TreeMap<Integer, DatabaseContent> copies = new TreeMap<>();
        for (int i = 0; i < seqnums.size(); i++) {
            copies.put(
                    i,
                    DatabaseContent.of(
                            org.jctdb.database.DbId.of("p.tdb"),
                            org.jctdb.database.DatabaseKind.PERSISTENT,
                            Map.of(
                                    RecordMerge.SEQNUM_KEY,
                                    new LocalRecord(new LtdbHeader(1, 0, 0), RecordMerge.seqnumData(seqnums.get(i))))));
        }
        int max = Collections.max(seqnums);
        assertThat(RecordMerge.highestSeqnum(copies)).isEqualTo(seqnums.indexOf(max));
    }
}
