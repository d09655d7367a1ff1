package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jctdb.lab.report.Samples.at;
import static org.jctdb.lab.report.Samples.run;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportSectionsTest {
    @Test
    void theLongestOutageNamesItsRunStartAndAddresses() {
        RunData r = run(
                List.of(),
                at(0, "A:0", "B:1"),
                at(100, "A:-", "B:-"),
                at(200, "A:0x", "B:1"),
                at(300, "A:0", "B:0+1"),
                at(400, "A:0", "B:1"));
        StringBuilder b = new StringBuilder();
        ReportSections.overlapsAndOutages(b, List.of("jctdb"), List.of(r), Map.of(r, "run-1"));
        assertThat(b.toString())
                .contains("| JCTDB | 0.10 | run-1 from 0.30 s, 1 samples, B | 1 | 0.30 | run-1 from 0.10 s, 3 samples, "
                        + "all 2 addresses | 3 |");
    }

    @Test
    void theDatabaseSectionCountsOperationsAndDatabaseViolationsPerRun() {
        RunData plain = run(List.of(), at(0, "A:0"));
        RunData r = new RunData(
                plain.dir(),
                new RunData.RunInfo(
                        "ctdb",
                        1,
                        1,
                        3,
                        List.of("A"),
                        "",
                        "",
                        "",
                        100,
                        30_000,
                        false,
                        new RunData.DbCounts(40, 2, 120, 6, 39, 3, 4)),
                plain.faults(),
                plain.samples(),
                List.of(
                        new RunData.Violation(5000, "db-lost-write", "node 2 reads lab-0 = 4 but 5 was acknowledged"),
                        new RunData.Violation(6000, "two-lock-holders", "2 processes")),
                List.of());
        StringBuilder b = new StringBuilder();
        ReportSections.database(b, List.of(r), Map.of(r, "run-1"));
        assertThat(b.toString())
                .contains("## Database workload", "| run-1 | CTDB | 40 | 2 | 120 | 6 | 4 | 39 | 3 | 1 |");

        StringBuilder none = new StringBuilder();
        ReportSections.database(none, List.of(plain), Map.of(plain, "run-1"));
        assertThat(none.toString()).contains("Not run");
    }
}
