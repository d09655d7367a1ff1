package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jctdb.lab.report.Samples.at;
import static org.jctdb.lab.report.Samples.fault;
import static org.jctdb.lab.report.Samples.run;

import java.util.List;
import org.jctdb.lab.report.FailoverAnalysis.Outcome;
import org.jctdb.lab.report.FailoverAnalysis.Result;
import org.junit.jupiter.api.Test;

class FailoverAnalysisTest {
    @Test
    void failoverTimeIsTheFirstSampleWithEveryAddressOnOneUnaffectedNodeAndReached() {
        RunData r = run(
                List.of(fault(1, "crash", 1_050, 9_000, 1)),
                at(1_000, "A:1", "B:1", "C:0"),
                at(1_100, "A:1x", "B:1x", "C:0"),
                at(1_200, "A:-", "B:1x", "C:0"),
                at(1_300, "A:2", "B:-", "C:0"), // A moved, B not yet
                at(1_400, "A:2", "B:0x", "C:0"), // B configured but the client has not reached it
                at(1_500, "A:2", "B:0", "C:0"),
                at(1_600, "A:2", "B:0", "C:0"));
        Result res = FailoverAnalysis.analyse(r).get(0);
        assertThat(res.outcome()).isEqualTo(Outcome.FAILED_OVER);
        assertThat(res.millis()).isEqualTo(450);
        assertThat(res.addresses()).containsExactly("A", "B");
    }

    @Test
    void noFailoverWhenTheAddressesHaveNotMovedBeforeTheFaultEnds() {
        RunData r = run(
                List.of(fault(1, "pause", 150, 400, 1)),
                at(100, "A:1"),
                at(200, "A:1x"),
                at(300, "A:1x"),
                at(400, "A:1x"),
                at(500, "A:2"));
        Result res = FailoverAnalysis.analyse(r).get(0);
        assertThat(res.outcome()).isEqualTo(Outcome.NO_FAILOVER);
        assertThat(res.millis()).isEqualTo(-1);
    }

    @Test
    void aSampleAtTheFaultsEndStillCounts() {
        RunData r = run(List.of(fault(1, "pause", 150, 400, 1)), at(100, "A:1"), at(200, "A:1x"), at(400, "A:0"));
        assertThat(FailoverAnalysis.analyse(r).get(0).millis()).isEqualTo(250);
    }

    @Test
    void anAddressOnTwoNodesOrOnAnotherAffectedNodeHasNotFailedOver() {
        RunData r = run(
                List.of(fault(1, "partition", 1_000, 5_000, 0, 1)),
                at(900, "A:0"),
                at(1_100, "A:1"), // still inside the minority
                at(1_200, "A:1+2x"), // on both sides
                at(1_300, "A:2"));
        assertThat(FailoverAnalysis.analyse(r).get(0).millis()).isEqualTo(300);
    }

    @Test
    void theLastSampleStrictlyBeforeTheStartDecidesWhichAddressesMove() {
        RunData r = run(
                List.of(fault(1, "linkcut", 1_000, 5_000, 1)),
                at(900, "A:1", "B:2"),
                at(1_000, "A:2", "B:1"),
                at(1_100, "A:2", "B:1"));
        Result res = FailoverAnalysis.analyse(r).get(0);
        assertThat(res.addresses()).containsExactly("A");
        assertThat(res.millis()).isEqualTo(100); // the sample at the start time itself is not after it
    }

    @Test
    void aFaultAtTheVeryStartHasNoSampleBeforeItAndNothingToMove() {
        RunData r = run(List.of(fault(1, "crash", 0, 5_000, 1)), at(0, "A:1"), at(100, "A:2"));
        Result res = FailoverAnalysis.analyse(r).get(0);
        assertThat(res.outcome()).isEqualTo(Outcome.NOTHING_HOSTED);
        assertThat(res.addresses()).isEmpty();
    }

    @Test
    void nodesHostingNothingOrAnAddressNowhereHaveNothingToMove() {
        RunData r = run(List.of(fault(1, "freeze", 1_000, 2_000, 2)), at(900, "A:1", "B:-"), at(1_100, "A:1"));
        assertThat(FailoverAnalysis.analyse(r).get(0).outcome()).isEqualTo(Outcome.NOTHING_HOSTED);
    }

    @Test
    void overlappingFaultsAreMeasuredEachAgainstItsOwnNodes() {
        RunData r = run(
                List.of(fault(1, "crash", 1_000, 9_000, 0), fault(2, "hungmonitor", 1_150, 1_500, 1)),
                at(900, "A:0", "B:1"),
                at(1_100, "A:-", "B:1"),
                at(1_200, "A:1x", "B:1x"), // A onto node 1, which the second fault hits: the client fails
                at(1_300, "A:1", "B:2"),
                at(1_400, "A:1", "B:2"));
        List<Result> res = FailoverAnalysis.analyse(r);
        assertThat(res).extracting(Result::millis).containsExactly(300L, 150L);
        assertThat(res.get(1).addresses()).containsExactly("B");
    }

    @Test
    void storageWideAndLockFaultsAreNotFailovers() {
        RunData r = run(
                List.of(fault(1, "freezeall", 1_000, 2_000, 0, 1, 2), fault(2, "lockdelete", 1_500, 1_500)),
                at(900, "A:0"),
                at(1_100, "A:0"));
        assertThat(FailoverAnalysis.analyse(r)).isEmpty();
    }

    @Test
    void anEmptyRunHasNoResultsAndFaultsWithoutSamplesHaveNothingHosted() {
        assertThat(FailoverAnalysis.analyse(run(List.of()))).isEmpty();
        assertThat(FailoverAnalysis.analyse(run(List.of(fault(1, "crash", 10, 20, 0)))))
                .extracting(Result::outcome)
                .containsExactly(Outcome.NOTHING_HOSTED);
    }
}
