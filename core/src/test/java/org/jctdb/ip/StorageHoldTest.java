package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;
import org.junit.jupiter.api.Test;

class StorageHoldTest {
    private static final long SETTLE = 3_000;
    private static final int U = NodeFlags.UNHEALTHY;
    private static final StorageSummary OK = StorageSummary.OK;
    private static final StorageSummary HUNG = new StorageSummary("HUNG", "/cfs/.ctdb", 1);

    private final StorageHold hold = new StorageHold();

    private List<Integer> at(long now, List<Integer> flags, List<StorageSummary> storage) {
        return hold.flagsForAllocation(flags, storage, now, SETTLE);
    }

    @Test
    void oneNodesHangHoldsItsAddressesOnlyForTheSettleTime() {
        assertThat(at(0, List.of(0, 0, 0), List.of(OK, HUNG, OK))).containsExactly(0, 0, 0);
        assertThat(at(1_500, List.of(0, U, 0), List.of(OK, HUNG, OK))).containsExactly(0, 0, 0);
        assertThat(hold.held()).containsExactly(1);
        assertThat(at(3_000, List.of(0, U, 0), List.of(OK, HUNG, OK))).containsExactly(0, U, 0);
        assertThat(hold.held()).isEmpty();
    }

    @Test
    void aHangOnEveryNodeHoldsAllAddressesForAsLongAsItLastsAndThroughAStaggeredThaw() {
        at(0, List.of(0, 0, 0), List.of(HUNG, OK, OK));
        at(1_400, List.of(U, 0, 0), List.of(HUNG, HUNG, OK));
        for (long t = 2_000; t < 120_000; t += 250) {
            assertThat(at(t, List.of(U, U, U), List.of(HUNG, HUNG, HUNG)))
                    .as("t=%d", t)
                    .containsExactly(0, 0, 0);
            assertThat(hold.clusterWide(t, SETTLE)).isTrue();
        }
        // Node 0 thaws first; the others get the settle time to follow before they count as unhealthy.
        assertThat(at(120_000, List.of(0, U, U), List.of(OK, HUNG, HUNG))).containsExactly(0, 0, 0);
        assertThat(at(122_000, List.of(0, 0, U), List.of(OK, OK, HUNG))).containsExactly(0, 0, 0);
        assertThat(at(123_000, List.of(0, 0, U), List.of(OK, OK, HUNG))).containsExactly(0, 0, U);
    }

    @Test
    void disconnectedNodesDoNotCountAndAMonitorFailureIsNeverHeld() {
        // Node 2 is gone: the hang on 0 and 1 is everywhere that can still be asked.
        for (long t = 0; t < 10_000; t += 500) {
            assertThat(at(t, List.of(U, U, NodeFlags.DISCONNECTED), List.of(HUNG, HUNG, OK)))
                    .containsExactly(0, 0, NodeFlags.DISCONNECTED);
        }
        StorageHold fresh = new StorageHold();
        assertThat(fresh.flagsForAllocation(List.of(U, 0), List.of(OK, OK), 0, SETTLE))
                .containsExactly(U, 0);
    }
}
