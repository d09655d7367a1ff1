package org.jctdb.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** CTDB's culprit accounting: N credits per failed run, banned at 2N, forgiven after the grace period. */
class BanCreditsTest {
    static final long GRACE = 120_000;

    @Test
    void theCulpritIsTheNodeWithMostFailedStepsLowestPnnOnATie() {
        assertThat(BanCredits.culprit(Map.of())).isEmpty();
        assertThat(BanCredits.culprit(Map.of(2, 1, 1, 3, 0, 1))).contains(1);
        assertThat(BanCredits.culprit(Map.of(2, 2, 1, 2))).contains(1);
    }

    @Test
    void theSecondFailedRunWithinTheGracePeriodBans() {
        BanCredits b = new BanCredits();
        assertThat(b.charge(1, 3, 0, GRACE)).isEqualTo(3);
        assertThat(b.charge(1, 3, GRACE, GRACE)).as("banned").isZero();
        assertThat(b.credits(1)).as("reset after the ban").isZero();
        assertThat(b.charge(1, 3, GRACE + 1, GRACE)).isEqualTo(3);
    }

    @Test
    void creditsOlderThanTheGracePeriodAreForgiven() {
        BanCredits b = new BanCredits();
        b.charge(1, 3, 0, GRACE);
        assertThat(b.charge(1, 3, GRACE + 1, GRACE)).isEqualTo(3);
        assertThat(b.charge(2, 3, GRACE + 2, GRACE))
                .as("another node's credits are its own")
                .isEqualTo(3);
    }
}
