package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * When a node's IP tick is next due: every point of the grid unless the node is quiet; a quiet node's
 * tick only for its idle report (no longer also at every one-second point), and not at all without a
 * leader (a new leader changes the view, which wakes it).
 */
class IpTickTest {
    @Test
    void aQuietNodeTicksOnlyForItsIdleReportAndWithoutALeaderNotAtAll() {
        assertThat(IpTakeoverDriver.nextTickAt(false, 1, 9_000)).isEqualTo(Long.MIN_VALUE); // the next point
        assertThat(IpTakeoverDriver.nextTickAt(true, 1, 9_000)).isEqualTo(9_000_000_000L); // the report, 5 s apart
        assertThat(IpTakeoverDriver.nextTickAt(true, 1, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE); // a report due now
        assertThat(IpTakeoverDriver.nextTickAt(true, -1, 9_000)).isEqualTo(Long.MAX_VALUE); // nothing to do
    }
}
