package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jctdb.health.HealthReport;
import org.jctdb.health.PathStatus;
import org.jctdb.health.ProbeState;
import org.junit.jupiter.api.Test;

class HealthFormatTest {
    private static final PathStatus HUNG = new PathStatus(Path.of("/clusterfs/.ctdb"), ProbeState.HUNG, 1_000, 3, 12,
            false, "no answer within 2000 ms");
    private static final PathStatus OK = new PathStatus(Path.of("/clusterfs/data"), ProbeState.OK, 5_000, 4, 0, true, "");
    private static final HealthReport REPORT = new HealthReport(13_500, false, "cluster filesystem /clusterfs/.ctdb HUNG",
            List.of(new HealthReport.PathReport(HUNG, true, 1, 1, List.of("pid 42 (stat) state D wchan request_wait_answer")),
                    new HealthReport.PathReport(OK, false, 0, 0, List.of())), 300_000);

    @Test
    void statusGetsOneLinePerPathThatIsNotOk() {
        assertThat(HealthFormat.statusLines(REPORT, 0))
                .isEqualTo("Cluster filesystem: HUNG for 12s on /clusterfs/.ctdb (node 0)\n");
        HealthReport allOk = new HealthReport(13_500, true, "", List.of(new HealthReport.PathReport(OK, false, 0, 0,
                List.of())), -1);
        assertThat(HealthFormat.statusLines(allOk, 0)).isEmpty();
    }

    @Test
    void textShowsStateDurationLatencyAndProcesses() {
        assertThat(HealthFormat.text(REPORT, 2)).isEqualTo(
                "Storage health of node 2: UNHEALTHY (cluster filesystem /clusterfs/.ctdb HUNG)\n"
                + "State        For   Latency Failures Hung Unkillable  Path\n"
                + "HUNG         12s    0.003s       12    1          1  /clusterfs/.ctdb (cluster lock)\n"
                + "        no answer within 2000 ms\n"
                + "        unkillable: pid 42 (stat) state D wchan request_wait_answer\n"
                + "OK            8s    0.004s        0    0          0  /clusterfs/data\n"
                + "Hung storage action: shutdown after 300s hung\n");
    }

    @Test
    void machineRowsAndJson() {
        assertThat(HealthFormat.machine(REPORT, new OutputStyle("|", false))).isEqualTo(
                "|Path|ClusterLock|State|Seconds|LatencyMs|Failures|HungProbes|Unkillable|Healthy|\n"
                + "|/clusterfs/.ctdb|1|HUNG|12|3|12|1|1|0|\n"
                + "|/clusterfs/data|0|OK|8|4|0|0|0|1|\n");
        String json = Json.pretty(HealthFormat.json(REPORT, 0));
        assertThat(json).contains("\"state\" : \"HUNG\"", "\"hung_probes\" : 1", "\"after_seconds\" : 300",
                "\"state_seconds\" : 12.5", "\"unkillable_processes\" : 1");
    }
}
