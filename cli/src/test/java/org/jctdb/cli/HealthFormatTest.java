package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.jctdb.control.LockReport;
import org.jctdb.control.NodeView;
import org.jctdb.health.HealthReport;
import org.jctdb.health.PathStatus;
import org.jctdb.health.ProbeState;
import org.jctdb.protocol.NodeFlags;
import org.jctdb.protocol.StorageSummary;
import org.junit.jupiter.api.Test;

class HealthFormatTest {
    private static final PathStatus HUNG = new PathStatus(
            Path.of("/clusterfs/.ctdb"), ProbeState.HUNG, 1_000, 3, 12, false, "no answer within 2000 ms");
    private static final PathStatus OK =
            new PathStatus(Path.of("/clusterfs/data"), ProbeState.OK, 5_000, 4, 0, true, "");
    private static final HealthReport REPORT = new HealthReport(
            13_500,
            false,
            "cluster filesystem /clusterfs/.ctdb HUNG",
            List.of(
                    new HealthReport.PathReport(
                            HUNG, true, 1, 1, List.of("pid 42 (stat) state D wchan request_wait_answer")),
                    new HealthReport.PathReport(OK, false, 0, 0, List.of())),
            300_000);

    private static final long NOW = 1_764_130_000_000L;

    private static NodeView node(int pnn, int flags, StorageSummary s) {
        return new NodeView(pnn, "10.0.0." + pnn, flags, s);
    }

    @Test
    void statusSaysNothingWhileEveryProbeAnswers() {
        assertThat(HealthFormat.statusLines(
                        List.of(node(0, 0, StorageSummary.OK), node(1, 0, new StorageSummary("OK", "", 0))),
                        NOW,
                        ZoneOffset.UTC))
                .isEmpty();
    }

    @Test
    void statusGetsOneLinePerNodeThatIsNotOk() {
        StorageSummary hung = new StorageSummary("HUNG", "/clusterfs/.ctdb", NOW - 12_400);
        assertThat(HealthFormat.statusLines(
                        List.of(node(0, 0, StorageSummary.OK), node(1, NodeFlags.UNHEALTHY, hung)),
                        NOW,
                        ZoneOffset.UTC))
                .isEqualTo("Cluster filesystem: HUNG for 12s on /clusterfs/.ctdb (node 1)\n");
    }

    @Test
    void hungEverywhereSaysSoOnceWithTheTimeTheLastNodeJoined() {
        StorageSummary early = new StorageSummary("HUNG", "/cfs/.ctdb", NOW - 40_000);
        StorageSummary late = new StorageSummary("HUNG", "/cfs/.ctdb", NOW - 35_000);
        // A disconnected node's stale report does not count either way.
        String lines = HealthFormat.statusLines(
                List.of(
                        node(0, NodeFlags.UNHEALTHY, early),
                        node(1, NodeFlags.UNHEALTHY, late),
                        node(2, NodeFlags.DISCONNECTED, StorageSummary.OK)),
                NOW,
                ZoneOffset.UTC);
        assertThat(lines)
                .startsWith(
                        "Cluster filesystem: unresponsive (HUNG) on all nodes since " + "2025-11-26 04:06:05 (35s)\n")
                .contains("HUNG for 40s on /cfs/.ctdb (node 0)\n", "HUNG for 35s on /cfs/.ctdb (node 1)\n")
                .doesNotContain("node 2");
        StorageSummary failed = new StorageSummary("FAILED", "/cfs/.ctdb", NOW - 5_000);
        assertThat(HealthFormat.statusLines(List.of(node(0, 0, failed), node(1, 0, late)), NOW, ZoneOffset.UTC))
                .startsWith("Cluster filesystem: failing on all nodes since");
        assertThat(HealthFormat.statusLines(
                        List.of(node(0, 0, late), node(1, 0, StorageSummary.OK)), NOW, ZoneOffset.UTC))
                .doesNotContain("all nodes");
    }

    @Test
    void textShowsStateDurationLatencyAndProcesses() {
        assertThat(HealthFormat.text(REPORT, 2))
                .isEqualTo("Storage health of node 2: UNHEALTHY (cluster filesystem /clusterfs/.ctdb HUNG)\n"
                        + "State        For   Latency Failures Hung Unkillable  Path\n"
                        + "HUNG         12s    0.003s       12    1          1  /clusterfs/.ctdb (cluster lock)\n"
                        + "        no answer within 2000 ms\n"
                        + "        unkillable: pid 42 (stat) state D wchan request_wait_answer\n"
                        + "OK            8s    0.004s        0    0          0  /clusterfs/data\n"
                        + "Hung storage action: shutdown after 300s hung\n");
    }

    @Test
    void machineRowsAndJson() {
        assertThat(HealthFormat.machine(REPORT, new OutputStyle("|", false)))
                .isEqualTo("|Path|ClusterLock|State|Seconds|LatencyMs|Failures|HungProbes|Unkillable|Healthy|\n"
                        + "|/clusterfs/.ctdb|1|HUNG|12|3|12|1|1|0|\n"
                        + "|/clusterfs/data|0|OK|8|4|0|0|0|1|\n");
        String json = Json.pretty(HealthFormat.json(REPORT, 0));
        assertThat(json)
                .contains(
                        "\"state\" : \"HUNG\"",
                        "\"hung_probes\" : 1",
                        "\"after_seconds\" : 300",
                        "\"state_seconds\" : 12.5",
                        "\"unkillable_processes\" : 1");
    }

    @Test
    void theLockLineSaysWhichLockWhatIsWrongSinceWhenAndWhatWasDone() {
        LockReport r = new LockReport(
                "etcd:10.0.0.9:2379/jctdb/cluster-lock?ttl=5",
                "LOST",
                NOW - 12_000,
                "this node stepped down as leader of generation 3073",
                "");
        assertThat(HealthFormat.lockLine(r, NOW, ZoneOffset.UTC))
                .isEqualTo(
                        "Cluster lock etcd:10.0.0.9:2379/jctdb/cluster-lock?ttl=5: lost (LOST) since 2025-11-26 04:06:28"
                                + " (12s): this node stepped down as leader of generation 3073\n");
        assertThat(HealthFormat.lockLine(new LockReport("/cfs/lock", "UNAVAILABLE", NOW, "x", ""), NOW, ZoneOffset.UTC))
                .startsWith("Cluster lock /cfs/lock: cannot be taken (UNAVAILABLE) since");
        assertThat(HealthFormat.lockLine(
                        new LockReport("etcd:h", "UNAVAILABLE", NOW, "x", "etcd lock: failed: auth"),
                        NOW,
                        ZoneOffset.UTC))
                .endsWith("(0s): x\n    reason: etcd lock: failed: auth\n");
    }

    @Test
    void machineOutputHasTheLockTableAfterThePathsWithItsStateReasonAndSince() {
        OutputStyle x = new OutputStyle("|", false);
        LockReport r = new LockReport(
                "etcd:10.0.0.9:2379?ttl=5",
                "UNAVAILABLE",
                NOW - 21_000,
                "attempts to take it fail (ERROR)",
                "etcd lock: failed: io.grpc.StatusRuntimeException: INVALID_ARGUMENT: etcdserver: authentication"
                        + " failed | a|b\nsecond line");
        assertThat(HealthFormat.lockMachine(java.util.Optional.of(r), x, NOW))
                .isEqualTo("|Lock|LockState|Since|Seconds|Reason|Action|\n"
                        + "|etcd:10.0.0.9:2379?ttl=5|UNAVAILABLE|1764129979|21|etcd lock: failed:"
                        + " io.grpc.StatusRuntimeException: INVALID_ARGUMENT: etcdserver: authentication failed   a b"
                        + " second line|attempts to take it fail (ERROR)|\n");
        assertThat(HealthFormat.lockMachine(java.util.Optional.empty(), x, NOW))
                .isEqualTo("|Lock|LockState|Since|Seconds|Reason|Action|\n");
        com.fasterxml.jackson.databind.node.ObjectNode root =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        HealthFormat.lockJson(root, java.util.Optional.of(r));
        assertThat(root.get("cluster_lock").get("reason").asText()).startsWith("etcd lock: failed:");
        assertThat(root.get("cluster_lock").get("ok").asBoolean()).isFalse();
        // -Y: the separator is ':', which the lock value itself contains
        assertThat(HealthFormat.lockMachine(java.util.Optional.of(r), new OutputStyle(":", false), NOW))
                .startsWith(":Lock:LockState:Since:Seconds:Reason:Action:\n:etcd 10.0.0.9 2379?ttl=5:UNAVAILABLE:");
    }
}
