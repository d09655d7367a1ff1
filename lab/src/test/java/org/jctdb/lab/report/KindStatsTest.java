package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jctdb.lab.report.FailoverAnalysis.Outcome;
import org.jctdb.lab.report.FailoverAnalysis.Result;
import org.junit.jupiter.api.Test;

class KindStatsTest {
    private static Result r(String kind, Outcome o, long ms) {
        return new Result(Samples.fault(1, kind, 0, 1, 0), o, ms, List.of("A"));
    }

    @Test
    void medianP90AndMaxOfAnOddCount() {
        KindStats k = new KindStats("jctdb", "crash", new long[] {900, 100, 500, 300, 700}, 0, 0);
        assertThat(k.median()).isEqualTo(500);
        assertThat(k.p90()).isEqualTo(900); // nearest rank: ceil(0.9 * 5) = 5th
        assertThat(k.min()).isEqualTo(100);
        assertThat(k.max()).isEqualTo(900);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        long[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        KindStats k = new KindStats("ctdb", "pause", ten, 0, 0);
        assertThat(k.median()).isEqualTo(5.5);
        assertThat(k.p90()).isEqualTo(9); // ceil(0.9 * 10) = 9th
        assertThat(new KindStats("ctdb", "pause", new long[] {400}, 0, 0).p90()).isEqualTo(400);
    }

    @Test
    void groupsByKindAndCountsFaultsThatNeverFailedOver() {
        List<KindStats> ks = KindStats.byKind(
                "jctdb",
                List.of(
                        r("pause", Outcome.FAILED_OVER, 2_000),
                        r("crash", Outcome.FAILED_OVER, 300),
                        r("crash", Outcome.NO_FAILOVER, -1),
                        r("crash", Outcome.NOTHING_HOSTED, -1),
                        r("crash", Outcome.FAILED_OVER, 500)));
        assertThat(ks).extracting(KindStats::kind).containsExactly("crash", "pause");
        KindStats crash = ks.get(0);
        assertThat(crash.count()).isEqualTo(2);
        assertThat(crash.millis()).containsExactly(300, 500);
        assertThat(crash.median()).isEqualTo(400);
        assertThat(crash.noFailover()).isEqualTo(1);
        assertThat(crash.nothingHosted()).isEqualTo(1);
    }

    @Test
    void noMeasurementsGiveMinusOne() {
        KindStats none = KindStats.byKind("ctdb", List.of(r("freeze", Outcome.NO_FAILOVER, -1)))
                .get(0);
        assertThat(none.count()).isZero();
        assertThat(none.median()).isEqualTo(-1);
        assertThat(none.p90()).isEqualTo(-1);
        assertThat(none.max()).isEqualTo(-1);
        assertThat(none.noFailover()).isEqualTo(1);
    }
}
