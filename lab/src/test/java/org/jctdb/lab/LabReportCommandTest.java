package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jctdb.lab.report.SyntheticRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command end to end on synthetic runs of both systems. */
class LabReportCommandTest {
    private static final List<String> KINDS = List.of("crash", "pause", "linkcut", "freeze", "lockdelete");

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new LabReportCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path campaign() {
        for (String system : List.of("jctdb", "ctdb")) {
            SyntheticRun.write(
                    tmp.resolve("runs/" + system + "-seed42"),
                    new SyntheticRun.Spec(system, 42, 5 * 60_000, 3, 3, KINDS));
        }
        return tmp.resolve("runs");
    }

    @Test
    void writesAReportWithChartsForBothSystems() throws Exception {
        Path runs = campaign();
        // Under target/ so a person can look at the charts after the test; emptied first so nothing stale passes.
        Path reportDir = Path.of("target/lab-report-preview");
        if (Files.exists(reportDir)) {
            try (var old = Files.walk(reportDir)) {
                old.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        int code = run(
                runs.resolve("jctdb-seed42").toString(),
                runs.resolve("ctdb-seed42").toString(),
                "--out",
                reportDir.toString());
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Wrote " + reportDir.resolve("report.md") + " (2 runs)");

        String md = Files.readString(reportDir.resolve("report.md"));
        assertThat(md)
                .contains(
                        "# Fault campaign report",
                        "## Runs",
                        "## Failover time per fault kind",
                        "## Address overlaps and client outages",
                        "## Invariant violations",
                        "## Time lines",
                        "jctdb lab run --system jctdb --minutes 5.0 --seed 42 --nodes 3",
                        "jctdb lab run --system ctdb --minutes 5.0 --seed 42 --nodes 3",
                        "| jctdb-seed42 | JCTDB | 42 | 3 | 3 | 5.0 | 3001 |",
                        "![Failover time per fault kind](failover.png)",
                        "![Time line of ctdb-seed42](timeline-ctdb-seed42.png)",
                        "| JCTDB | crash | 4 | 2.25 | 2.44 | 2.44 | 0 | 0 |",
                        "| CTDB | crash | 3 | 11.48 | 12.62 | 12.62 | 1 | 0 |",
                        "| ctdb-seed42 | 1 | crash | [0] | 5.00 | 17.25 | 198.18.7.101 |");
        // The synthetic CTDB keeps a cut node's address for 3 s after taking it over: an overlap of 30 samples.
        assertThat(md)
                .containsPattern(
                        "\\| CTDB \\| 3\\.00 \\| ctdb-seed42 from [0-9.]+ s, 30 samples, 198\\.18\\.7\\.10[1-3]");
        assertThat(md).containsPattern("\\| JCTDB \\| 0.00 \\| none \\| 0 \\|");
        assertThat(md).containsPattern("\\| address-in-two-places \\| 0 \\| [1-9][0-9]* \\|");
        assertThat(md).contains("### CTDB: ");

        BufferedImage failover = ImageIO.read(reportDir.resolve("failover.png").toFile());
        assertThat(failover.getWidth()).isBetween(700, 1600);
        assertThat(failover.getHeight()).isBetween(300, 700);
        for (String name : List.of("jctdb-seed42", "ctdb-seed42")) {
            BufferedImage timeline =
                    ImageIO.read(reportDir.resolve("timeline-" + name + ".png").toFile());
            assertThat(timeline.getWidth()).isEqualTo(1600);
            assertThat(timeline.getHeight()).isBetween(250, 700);
        }
    }

    @Test
    void defaultOutputIsAReportDirectoryNextToTheRuns() throws Exception {
        Path runs = campaign();
        assertThat(run(runs.resolve("ctdb-seed42").toString())).isZero();
        assertThat(runs.resolve("report/report.md")).isRegularFile();
        assertThat(runs.resolve("report/timeline-ctdb-seed42.png")).isRegularFile();
    }

    @Test
    void aMalformedLineIsReportedWithFileAndLineAndExitCode1() throws Exception {
        Path dir = SyntheticRun.write(tmp.resolve("bad"), new SyntheticRun.Spec("jctdb", 1, 60_000, 3, 2, KINDS));
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("samples.jsonl")));
        lines.set(6, "{\"t\": 600, \"nodes\": oops}");
        Files.write(dir.resolve("samples.jsonl"), lines);
        assertThat(run(dir.toString(), "--out", tmp.resolve("r").toString())).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("jctdb lab report: " + dir.resolve("samples.jsonl") + ":7: not valid JSON");
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void anEmptyRunStillGetsAReport() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(
                dir.resolve("run.json"), "{\"system\":\"jctdb\",\"nodes\":3,\"publicIps\":[\"198.18.7.101\"]}");
        assertThat(run(dir.toString(), "--out", tmp.resolve("r").toString())).isZero();
        String md = Files.readString(tmp.resolve("r/report.md"));
        assertThat(md)
                .contains(
                        "no samples",
                        "None: no invariant was violated in any run.",
                        "No fault of a kind that stops a node serving");
        assertThat(ImageIO.read(tmp.resolve("r/timeline-empty.png").toFile())).isNotNull();
        assertThat(ImageIO.read(tmp.resolve("r/failover.png").toFile())).isNotNull();
    }

    @Test
    void withoutRunDirectoriesItPrintsUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter", "RUNDIR");
    }
}
