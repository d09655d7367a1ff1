package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DbCheckerTest {
    private static final long HEAL = 30_000;

    private static DbEvent write(long t, int node, long value) {
        return new DbEvent(t - 10, t, node, DbEvent.PWRITE, "lab-0", true, value, -1, -1, -1, "");
    }

    private static DbEvent read(long t, int node, long value) {
        return new DbEvent(t - 10, t, node, DbEvent.PREAD, "lab-0", true, value, -1, -1, -1, "");
    }

    private static DbEvent fetch(long t, int node, long gen, long rsn, int dmaster) {
        return new DbEvent(t - 10, t, node, DbEvent.VFETCH, "vol-0", true, -1, gen, rsn, dmaster, "");
    }

    private static FaultEvent fault(long t, int id, String phase, FaultKind kind) {
        return new FaultEvent(t, id, phase, kind, List.of(1), "");
    }

    private static List<String> invariants(List<Violation> vs) {
        return vs.stream().map(Violation::invariant).toList();
    }

    /** Every node does every operation every second from {@code from} to {@code to}. */
    private static List<DbEvent> busy(long from, long to, int nodes) {
        List<DbEvent> out = new ArrayList<>();
        for (long t = from; t < to; t += 1000) {
            for (int k = 0; k < nodes; k++) {
                out.add(new DbEvent(t, t + 5, k, DbEvent.PWRITE, "lab-" + k, true, t, -1, -1, -1, ""));
                out.add(new DbEvent(t + 5, t + 6, k, DbEvent.PREAD, "lab-" + k, true, t, -1, -1, -1, ""));
                out.add(new DbEvent(t + 6, t + 7, k, DbEvent.VFETCH, "vol-" + k, true, -1, 7, t, k, ""));
            }
        }
        return out;
    }

    @Test
    void aBusyHealthyRunHasNoViolations() {
        assertThat(DbChecker.check(busy(0, 100_000, 3), List.of(), 3, HEAL, 100_000))
                .isEmpty();
    }

    @Test
    void calmStretchesLieBetweenEpisodes() {
        List<FaultEvent> faults = List.of(
                fault(10_000, 1, FaultEvent.START, FaultKind.PAUSE),
                fault(12_000, 2, FaultEvent.START, FaultKind.CRASH),
                fault(15_000, 1, FaultEvent.END, FaultKind.PAUSE),
                fault(20_000, 2, FaultEvent.END, FaultKind.CRASH),
                fault(50_000, 3, FaultEvent.START, FaultKind.LOCKDELETE));
        assertThat(DbChecker.calms(faults, 90_000))
                .containsExactly(
                        new DbChecker.Calm(0, 10_000),
                        new DbChecker.Calm(20_000, 50_000),
                        new DbChecker.Calm(50_000, 90_000));
    }

    @Test
    void aStaleReadAfterTheHealIsALostWrite() {
        List<FaultEvent> faults = List.of(
                fault(10_000, 1, FaultEvent.START, FaultKind.PARTITION),
                fault(20_000, 1, FaultEvent.END, FaultKind.PARTITION));
        List<DbEvent> events = List.of(write(15_000, 0, 5), read(60_000, 2, 4), read(61_000, 1, 5));
        List<Violation> vs = DbChecker.lostWrites(events, DbChecker.calms(faults, 100_000), HEAL);
        assertThat(invariants(vs)).containsExactly(Violation.DB_LOST_WRITE);
        assertThat(vs.get(0).detail()).contains("node 2 reads lab-0 = 4 but 5 was acknowledged by node 0");
    }

    @Test
    void staleReadsDuringAFaultOrBeforeTheBoundAreNotJudged() {
        List<FaultEvent> faults = List.of(
                fault(10_000, 1, FaultEvent.START, FaultKind.PARTITION),
                fault(20_000, 1, FaultEvent.END, FaultKind.PARTITION));
        List<DbEvent> events = List.of(write(12_000, 0, 5), read(18_000, 2, 4), read(40_000, 2, 4));
        assertThat(DbChecker.lostWrites(events, DbChecker.calms(faults, 100_000), HEAL))
                .isEmpty();
    }

    @Test
    void aCommitShowingLateOnAnotherNodeIsAStaleReadNotALostWrite() {
        List<DbEvent> events = List.of(write(40_000, 1, 42), read(40_200, 2, 41), read(41_000, 2, 42));
        assertThat(DbChecker.lostWrites(events, DbChecker.calms(List.of(), 100_000), HEAL))
                .isEmpty();
        assertThat(DbChecker.staleReads(events)).isEqualTo(1);
        // still behind a bound later: lost
        List<DbEvent> behind = List.of(write(40_000, 1, 42), read(70_200, 2, 41));
        assertThat(invariants(DbChecker.lostWrites(behind, DbChecker.calms(List.of(), 100_000), HEAL)))
                .containsExactly(Violation.DB_LOST_WRITE);
    }

    @Test
    void aHigherValueOrAnUnacknowledgedWriteIsFine() {
        List<DbEvent> events = List.of(
                write(1_000, 0, 5),
                DbEvent.failed(2_000, 2_500, 0, DbEvent.PWRITE, "lab-0", 6, "timed out"),
                read(40_000, 1, 6),
                read(41_000, 2, 5));
        assertThat(DbChecker.lostWrites(events, DbChecker.calms(List.of(), 100_000), HEAL))
                .isEmpty();
    }

    @Test
    void aWriteAcknowledgedAfterTheReadBeganIsNotExpected() {
        DbEvent slowWrite = new DbEvent(39_000, 45_000, 0, DbEvent.PWRITE, "lab-0", true, 9, -1, -1, -1, "");
        List<DbEvent> events = List.of(write(1_000, 0, 5), slowWrite, read(40_000, 1, 5));
        assertThat(DbChecker.lostWrites(events, DbChecker.calms(List.of(), 100_000), HEAL))
                .isEmpty();
    }

    @Test
    void twoMastersAtTheSameGenerationAndRsnAreAViolation() {
        List<DbEvent> events = List.of(fetch(1_000, 0, 7, 3, 0), fetch(2_000, 1, 7, 4, 1), fetch(3_000, 2, 7, 4, 2));
        List<Violation> vs = DbChecker.twoDataMasters(events);
        assertThat(invariants(vs)).containsExactly(Violation.DB_TWO_DATA_MASTERS);
        assertThat(vs.get(0).detail()).contains("vol-0 at generation 7 rsn 4: node 1 saw data master 1");
    }

    @Test
    void aFreshAnswerBetweenTwoEqualRsnsSaysTheRecordWasCreatedAgain() {
        // seed 4002: rsn 2 on node 2, then rsn 1 on node 1 (created afresh), then rsn 2 on node 0
        assertNoContradiction(
                fetch(634_500, 1, 32_769, 1, 1),
                fetch(634_931, 2, 32_769, 2, 2),
                fetch(636_040, 1, 32_769, 1, 1),
                fetch(636_571, 0, 32_769, 2, 0));
        assertThat(DbChecker.twoDataMasters(List.of(fetch(634_931, 2, 32_769, 2, 2), fetch(636_571, 0, 32_769, 2, 0))))
                .hasSize(1);
    }

    @Test
    void answersUnderNoGenerationAreNotCompared() {
        assertThat(DbChecker.twoDataMasters(List.of(
                        fetch(966_458, 1, DbChecker.NO_GENERATION, 2, 1),
                        fetch(2_862_981, 2, DbChecker.NO_GENERATION, 2, 2))))
                .isEmpty();
    }

    private static void assertNoContradiction(DbEvent... answers) {
        assertThat(DbChecker.twoDataMasters(List.of(answers))).isEmpty();
    }

    @Test
    void migrationsThatRaiseTheRsnOrChangeTheGenerationAreFine() {
        assertNoContradiction(
                fetch(1_000, 0, 7, 3, 0),
                fetch(2_000, 1, 7, 4, 1),
                fetch(3_000, 1, 7, 4, 1),
                // recovery: new generation, the same rsn elsewhere
                fetch(4_000, 2, 8, 4, 2),
                // generation changed during the call: not compared
                fetch(5_000, 0, -1, 4, 0));
    }

    @Test
    void aRecreatedRecordStartsTheComparisonAfresh() {
        assertNoContradiction(
                fetch(1_000, 0, 7, 5, 0),
                fetch(2_000, 1, 7, 6, 1),
                // vacuumed and created again: the rsn starts low again and climbs on other nodes
                fetch(3_000, 2, 7, 3, 2),
                fetch(4_000, 0, 7, 4, 0),
                fetch(5_000, 1, 7, 5, 1));
    }

    @Test
    void freshRecordsAreNotCompared() {
        // created on node 1, vacuumed at once, created again on node 0: both at rsn 1
        assertNoContradiction(fetch(1_000, 1, 7, 1, 1), fetch(2_000, 0, 7, 1, 0));
    }

    @Test
    void aNodeWithoutASuccessfulOperationWithinTheBoundIsNotRecovered() {
        List<FaultEvent> faults = List.of(
                fault(10_000, 1, FaultEvent.START, FaultKind.CRASH), fault(20_000, 1, FaultEvent.END, FaultKind.CRASH));
        List<DbEvent> events = new ArrayList<>(busy(0, 10_000, 2));
        // node 1 only comes back after 40 s
        events.addAll(busy(20_000, 100_000, 1));
        events.addAll(busy(60_000, 100_000, 2));
        List<Violation> vs = DbChecker.check(events, faults, 2, HEAL, 100_000);
        assertThat(invariants(vs)).containsExactly(Violation.DB_NOT_RECOVERED);
        assertThat(vs.get(0).t()).isEqualTo(50_000);
        assertThat(vs.get(0).detail()).contains("pwrite on node 1, pread on node 1, vfetch on node 1");
    }

    @Test
    void failuresDuringAFaultAndAStretchCutShortAreNotViolations() {
        List<FaultEvent> faults = List.of(
                fault(10_000, 1, FaultEvent.START, FaultKind.PAUSE),
                fault(20_000, 1, FaultEvent.END, FaultKind.PAUSE),
                fault(25_000, 2, FaultEvent.START, FaultKind.PAUSE),
                fault(30_000, 2, FaultEvent.END, FaultKind.PAUSE));
        List<DbEvent> events = new ArrayList<>(busy(0, 10_000, 2));
        events.add(DbEvent.failed(11_000, 14_000, 1, DbEvent.PWRITE, "lab-1", 99, "timed out"));
        events.addAll(busy(30_000, 100_000, 2));
        assertThat(DbChecker.check(events, faults, 2, HEAL, 100_000)).isEmpty();
    }
}
