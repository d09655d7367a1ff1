package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.jctdb.lab.report.ReportWriter;
import org.jctdb.lab.report.RunData;
import org.jctdb.lab.report.RunReader;
import org.jctdb.lab.report.SyntheticRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `lab campaign` leaves behind: compressed samples the report reads as it reads plain ones. */
class LabCampaignFilesTest {
    private static final List<String> KINDS = List.of("crash", "pause", "linkcut", "freeze");

    @TempDir
    Path tmp;

    private Path run(String name, long seed) {
        return SyntheticRun.write(tmp.resolve(name), new SyntheticRun.Spec("jctdb", seed, 3 * 60_000, 3, 3, KINDS));
    }

    @Test
    void compressedSamplesReadBackAsThePlainOnes() throws Exception {
        Path plain = run("plain", 7);
        Path packed = run("packed", 7);
        LabCampaignCommand.compressSamples(packed);
        assertThat(packed.resolve("samples.jsonl")).doesNotExist();
        assertThat(Files.size(packed.resolve("samples.jsonl.gz")))
                .isLessThan(Files.size(plain.resolve("samples.jsonl")) / 5);
        RunData a = RunReader.read(plain);
        RunData b = RunReader.read(packed);
        assertThat(b.samples()).isEqualTo(a.samples());
        assertThat(b.faults()).isEqualTo(a.faults());
        assertThat(b.warnings()).isEmpty();
        LabCampaignCommand.compressSamples(packed); // nothing left to compress: no change, no error
        assertThat(RunReader.read(packed).samples()).isEqualTo(a.samples());
    }

    @Test
    void aCutOffCompressedLastLineIsAWarning() throws Exception {
        Path dir = run("cut", 8);
        String text = Files.readString(dir.resolve("samples.jsonl"));
        int samples = RunReader.read(dir).samples().size();
        Files.delete(dir.resolve("samples.jsonl"));
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("samples.jsonl.gz")))) {
            o.write((text + "{\"t\":99999999,\"nod").getBytes(StandardCharsets.UTF_8));
        }
        RunData r = RunReader.read(dir);
        assertThat(r.samples()).hasSize(samples);
        assertThat(r.warnings())
                .singleElement()
                .asString()
                .contains("samples.jsonl.gz")
                .contains("incomplete last line");
    }

    @Test
    void theReportSumsEverySystemsRuns() throws Exception {
        List<RunData> runs = List.of(RunReader.read(run("a", 1)), RunReader.read(run("b", 2)));
        int faults = runs.get(0).faults().size() + runs.get(1).faults().size();
        Path report = new ReportWriter(runs).write(tmp.resolve("report"));
        assertThat(Files.readString(report)).contains("- JCTDB in all: " + faults + " faults in 2 runs, 6.0 minutes");
    }
}
