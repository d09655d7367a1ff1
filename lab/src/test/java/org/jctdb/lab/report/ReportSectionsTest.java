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
}
