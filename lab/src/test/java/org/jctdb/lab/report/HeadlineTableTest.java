package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jctdb.lab.report.RunData.NodeSample;
import org.jctdb.lab.report.RunData.RunInfo;
import org.jctdb.lab.report.RunData.Sample;
import org.junit.jupiter.api.Test;

class HeadlineTableTest {
    private static Sample sample(long t, String status1, int leader, String hostOfA) {
        return new Sample(
                t,
                List.of(
                        new NodeSample(0, true, "OK", leader, 0, 0),
                        new NodeSample(1, true, status1, leader, 0, 0),
                        new NodeSample(2, true, "OK", leader, 0, 0)),
                Map.of("A", List.of(Integer.parseInt(hostOfA))),
                1,
                Map.of("A", true));
    }

    private static RunData run(String system, List<RunData.Fault> faults, Sample... samples) {
        RunInfo info =
                new RunInfo(system, 1, 1, 3, List.of("A"), "", "", "", 100, 30_000, false, RunData.DbCounts.NONE);
        return new RunData(Path.of("/runs/" + system), info, faults, List.of(samples), List.of(), List.of());
    }

    @Test
    void detectionIsTheFirstSampleWithinTheFaultInWhichTheFaultedNodeSaysUnhealthy() {
        RunData r = run(
                "jctdb",
                List.of(
                        Samples.fault(1, "freeze", 1_000, 9_000, 1),
                        Samples.fault(2, "hungmonitor", 20_000, 22_000, 1)),
                sample(900, "OK", 0, "1"),
                sample(1_100, "OK", 0, "1"),
                sample(3_500, "UNHEALTHY", 0, "1"),
                sample(4_000, "UNHEALTHY", 0, "0"),
                sample(19_900, "OK", 0, "0"),
                sample(23_000, "UNHEALTHY", 0, "0"));
        assertThat(HeadlineTable.detection(r, "freeze", true)).containsExactly(2_500L);
        assertThat(HeadlineTable.detection(r, "hungmonitor", true))
                .as("UNHEALTHY only after the fault ended does not count")
                .containsExactly(-1L);
        assertThat(HeadlineTable.cell(List.of(2_500L, -1L, 1_500L))).isEqualTo("2.00 / 2.50, 2 / 3");
        assertThat(HeadlineTable.cell(List.of(-1L))).isEqualTo("never, 0 / 1");
    }

    @Test
    void aCutOffLeaderIsALinkCutOfTheNodeMostNodesNamedLeader() {
        RunData r = run(
                "jctdb",
                List.of(Samples.fault(1, "linkcut", 1_000, 9_000, 1), Samples.fault(2, "linkcut", 10_000, 12_000, 2)),
                sample(900, "OK", 1, "1"),
                sample(9_900, "OK", 1, "1"));
        assertThat(HeadlineTable.wasLeader(r, r.faults().get(0))).isTrue();
        assertThat(HeadlineTable.wasLeader(r, r.faults().get(1))).isFalse();
        StringBuilder b = new StringBuilder();
        HeadlineTable.write(b, List.of("jctdb"), List.of(r), Map.of(r, FailoverAnalysis.analyse(r)));
        assertThat(b.toString()).contains("## Headline", "cut-off leader", "no such fault", "longest address overlap");
    }

    private static Sample nowhere(long t) {
        Sample s = sample(t, "OK", 0, "0");
        return new Sample(t, s.nodes(), Map.of("A", List.of()), 1, Map.of("A", false));
    }

    @Test
    void everyAddressDownAtOnceIsCountedFromItsFirstSampleToTheFirstWithAnAddressAgain() {
        RunData r = run(
                "jctdb",
                List.of(),
                sample(0, "OK", 0, "0"),
                nowhere(1_000),
                nowhere(1_100),
                sample(4_000, "OK", 1, "1"),
                nowhere(9_000),
                sample(10_000, "OK", 1, "1"),
                nowhere(12_000));
        assertThat(SampleRuns.blackouts(r)).containsExactly(3_000L, 1_000L, 100L);
        assertThat(HeadlineTable.blackouts(SampleRuns.blackouts(r))).isEqualTo("3 times, 1.00 / 3.00 s, 4.10 s in all");
        assertThat(HeadlineTable.blackouts(List.of())).isEqualTo("never");
        StringBuilder b = new StringBuilder();
        HeadlineTable.write(b, List.of("jctdb"), List.of(r), Map.of(r, FailoverAnalysis.analyse(r)));
        assertThat(b.toString()).contains("every address down at once", "3 times, 1.00 / 3.00 s, 4.10 s in all");
    }
}
