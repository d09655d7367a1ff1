package org.jctdb.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TraverseRuleTest {

    @Test
    void volatileNodesSendOnlyTheRecordsTheyAreDataMasterOf() {
        LtdbHeader mine = new LtdbHeader(3, 1, 0);
        LtdbHeader other = new LtdbHeader(9, 2, 0);
        assertThat(TraverseRule.sends(DatabaseKind.VOLATILE, false, 1, mine, 4)).isTrue();
        assertThat(TraverseRule.sends(DatabaseKind.VOLATILE, false, 1, other, 4))
                .isFalse();
        // empty records only when the client asked for them (TRAVERSE_START_EXT withemptyrecords)
        assertThat(TraverseRule.sends(DatabaseKind.VOLATILE, false, 1, mine, 0)).isFalse();
        assertThat(TraverseRule.sends(DatabaseKind.VOLATILE, true, 1, mine, 0)).isTrue();
        assertThat(TraverseRule.sends(DatabaseKind.VOLATILE, true, 1, other, 0)).isFalse();
    }

    @Test
    void persistentAndReplicatedAreTraversedOnOneNodeWithEveryRecord() {
        LtdbHeader other = new LtdbHeader(9, 2, 0);
        for (DatabaseKind k : List.of(DatabaseKind.PERSISTENT, DatabaseKind.REPLICATED)) {
            assertThat(TraverseRule.clusterWide(k)).isFalse();
            assertThat(TraverseRule.sends(k, false, 1, other, 0)).isTrue();
        }
        assertThat(TraverseRule.clusterWide(DatabaseKind.VOLATILE)).isTrue();
    }

    @Property
    void batchesKeepOrderAndStayWithinTheBound(
            @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 300) Integer> sizes,
            @ForAll @IntRange(min = 1, max = 1000) int max) {
        List<Integer> batches = TraverseRule.batches(sizes, max);
        int at = 0;
        for (int n : batches) {
            assertThat(n).isPositive();
            long bytes = sizes.subList(at, at + n).stream()
                    .mapToLong(Integer::longValue)
                    .sum();
            assertThat(n == 1 || bytes <= max).isTrue();
            if (at + n < sizes.size()) {
                // a batch is cut only when the next record would not fit
                assertThat(bytes + sizes.get(at + n)).isGreaterThan(max);
            }
            at += n;
        }
        assertThat(at).isEqualTo(sizes.size());
    }
}
