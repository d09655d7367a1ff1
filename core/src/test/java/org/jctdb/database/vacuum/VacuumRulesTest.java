package org.jctdb.database.vacuum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;
import org.junit.jupiter.api.Test;

class VacuumRulesTest {
    private static final byte[] NONE = new byte[0];

    private static Optional<LocalRecord> copy(long rsn, int dmaster, String data) {
        return Optional.of(new LocalRecord(new LtdbHeader(rsn, dmaster, 0), data.getBytes()));
    }

    @Test
    void onlyTheDataMasterActsOnItsEmptyRecords() {
        assertThat(VacuumRules.plan(1, 1, copy(4, 1, ""))).isEqualTo(VacuumRules.Plan.DELETE_HERE);
        assertThat(VacuumRules.plan(1, 2, copy(4, 1, ""))).isEqualTo(VacuumRules.Plan.HAND_TO_LMASTER);
        assertThat(VacuumRules.plan(1, 1, copy(4, 2, ""))).isEqualTo(VacuumRules.Plan.SKIP);
        assertThat(VacuumRules.plan(1, 1, copy(4, 1, "x"))).isEqualTo(VacuumRules.Plan.SKIP);
        assertThat(VacuumRules.plan(1, 1, Optional.empty())).isEqualTo(VacuumRules.Plan.SKIP);
    }

    @Test
    void anotherNodeKeepsACopyItMastersOrThatIsNewer() {
        assertThat(VacuumRules.mayDropCopy(2, 7, 7, 5, Optional.empty())).isTrue();
        assertThat(VacuumRules.mayDropCopy(2, 7, 7, 5, copy(5, 1, "stale"))).isTrue();
        assertThat(VacuumRules.mayDropCopy(2, 7, 7, 5, copy(6, 1, ""))).isFalse();
        assertThat(VacuumRules.mayDropCopy(2, 7, 7, 5, copy(3, 2, ""))).isFalse();
        // an offer from another generation: rsns do not compare (simulator seed 1796591838135)
        assertThat(VacuumRules.mayDropCopy(2, 8, 7, 5, copy(1, 1, "new"))).isFalse();
        assertThat(VacuumRules.mayDropCopy(2, 7, 8, 5, Optional.empty())).isFalse();
    }

    @Test
    void theLocationMasterDeletesOnlyTheUnchangedOfferedCopy() {
        assertThat(VacuumRules.mayDelete(1, 4, true, copy(4, 1, ""))).isTrue();
        assertThat(VacuumRules.mayDelete(1, 4, false, copy(4, 1, ""))).isFalse();
        assertThat(VacuumRules.mayDelete(1, 4, true, copy(5, 1, ""))).isFalse();
        assertThat(VacuumRules.mayDelete(1, 4, true, copy(5, 2, ""))).isFalse();
        assertThat(VacuumRules.mayDelete(1, 4, true, copy(4, 1, "x"))).isFalse();
        assertThat(VacuumRules.mayDelete(1, 4, true, Optional.empty())).isFalse();
    }

    @Test
    void theQueueIsBoundedAndTakenOnce() {
        DeleteQueue q = new DeleteQueue(2);
        DbId db = new DbId(7);
        assertThat(q.add(db, RecordKey.of("a"))).isTrue();
        assertThat(q.add(db, RecordKey.of("a"))).isTrue();
        assertThat(q.add(db, RecordKey.of("b"))).isTrue();
        assertThat(q.add(db, RecordKey.of("c"))).isFalse();
        assertThat(q.take(db)).containsExactly(RecordKey.of("a"), RecordKey.of("b"));
        assertThat(q.take(db)).isEmpty();
    }

    /** One node's copy in a generated cluster state (absent when rsn < 0). */
    record Copy(long rsn, int dmaster, boolean empty) {
        Optional<LocalRecord> local() {
            return rsn < 0
                    ? Optional.empty()
                    : Optional.of(new LocalRecord(new LtdbHeader(rsn, dmaster, 0), empty ? NONE : new byte[] {1}));
        }
    }

    @Provide
    Arbitrary<List<Copy>> cluster() {
        Arbitrary<Copy> c = Combinators.combine(
                        Arbitraries.longs().between(-1, 6),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of(true, false))
                .as(Copy::new);
        return c.list().ofSize(4);
    }

    /**
     * The whole exchange on node 0 (location master) against arbitrary, even inconsistent, copies on four
     * nodes, with an optional migration between the offer and the final check: whenever the record is
     * deleted, no node is left holding a copy with a higher rsn or claiming to be data master, and the
     * deleted copy was the empty one offered.
     */
    @Property(tries = 2000)
    void aDeletedRecordLeavesNoNewerOrMasterCopyBehind(
            @ForAll("cluster") List<Copy> start, @ForAll @IntRange(min = -1, max = 3) int migrateTo) {
        List<Optional<LocalRecord>> copies = new ArrayList<>();
        start.forEach(c -> copies.add(c.local()));
        int me = 0;
        if (VacuumRules.plan(me, me, copies.get(me)) != VacuumRules.Plan.DELETE_HERE) {
            return;
        }
        long offered = copies.get(me).get().header().rsn();
        boolean all = true;
        for (int n = 1; n < copies.size(); n++) {
            if (VacuumRules.mayDropCopy(n, 1, 1, offered, copies.get(n))) {
                copies.set(n, Optional.empty());
            } else {
                all = false;
            }
        }
        if (migrateTo > 0) {
            // a client on migrateTo fetched the record meanwhile: the dmaster hands it over with rsn + 1
            LocalRecord mine = copies.get(me).get();
            LtdbHeader moved = new LtdbHeader(mine.header().rsn() + 1, migrateTo, 0);
            copies.set(me, Optional.of(mine.withHeader(moved)));
            copies.set(migrateTo, Optional.of(mine.withHeader(moved)));
        }
        Optional<LocalRecord> before = copies.get(me);
        if (!VacuumRules.mayDelete(me, offered, all, before)) {
            return;
        }
        assertThat(migrateTo).isLessThanOrEqualTo(0);
        assertThat(before.get().isEmpty()).isTrue();
        for (int n = 1; n < copies.size(); n++) {
            copies.get(n).ifPresent(c -> {
                throw new AssertionError("a copy survived the deletion: " + c);
            });
        }
    }
}
