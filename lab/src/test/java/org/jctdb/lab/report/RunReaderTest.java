package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jctdb.lab.report.RunData.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReaderTest {
    private static final String SAMPLE = "{\"t\":%d,\"nodes\":[{\"pnn\":0,\"reachable\":true,\"status\":\"OK\","
            + "\"leader\":0,\"dstate\":0,\"hungProbes\":0}],\"addrs\":{\"198.18.7.101\":[0]},\"lockHolders\":1,"
            + "\"client\":{\"198.18.7.101\":true}}\n";

    @TempDir
    Path dir;

    @BeforeEach
    void runJson() throws Exception {
        Files.writeString(
                dir.resolve("run.json"),
                "{\"system\":\"ctdb\",\"seed\":123,\"minutes\":10.0,\"nodes\":3,"
                        + "\"publicIps\":[\"198.18.7.101\",\"198.18.7.102\"],\"command\":\"jctdb lab run --seed 123\","
                        + "\"startedAt\":\"2026-11-26T04:10:00Z\",\"endedAt\":\"x\",\"sampleIntervalMs\":100,"
                        + "\"bounds\":{\"healMs\":30000},\"interrupted\":false}");
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text);
    }

    @Test
    void readsAllFilesAndPairsFaultStartsWithEnds() throws Exception {
        write("samples.jsonl", SAMPLE.formatted(0) + "\n" + SAMPLE.formatted(100));
        write("faults.jsonl", """
                {"t":50,"id":1,"phase":"start","kind":"crash","nodes":[1],"detail":"kill -9"}
                {"t":60,"id":2,"phase":"start","kind":"lockdelete","nodes":[],"detail":""}
                {"t":60,"id":2,"phase":"end","kind":"lockdelete","nodes":[],"detail":""}
                {"t":70,"id":3,"phase":"start","kind":"pause","nodes":[2]}
                {"t":90,"id":1,"phase":"end","kind":"crash","nodes":[1],"detail":"restarted"}
                """);
        write("violations.jsonl", "{\"t\":80,\"invariant\":\"two-lock-holders\",\"detail\":\"pids 1 and 2\"}\n");
        RunData r = RunReader.read(dir);
        assertThat(r.system()).isEqualTo("ctdb");
        assertThat(r.info().seed()).isEqualTo(123);
        assertThat(r.info().healBoundMs()).isEqualTo(30_000);
        assertThat(r.info().command()).isEqualTo("jctdb lab run --seed 123");
        assertThat(r.samples()).extracting(RunData.Sample::t).containsExactly(0L, 100L);
        assertThat(r.samples().get(1).hosts("198.18.7.101")).containsExactly(0);
        assertThat(r.faults())
                .containsExactly(
                        new Fault(1, "crash", java.util.List.of(1), 50, 90, true, "kill -9"),
                        new Fault(2, "lockdelete", java.util.List.of(), 60, 60, true, ""),
                        new Fault(3, "pause", java.util.List.of(2), 70, 100, false, "")); // never healed: until the end
        assertThat(r.violations()).hasSize(1);
        assertThat(r.addresses()).containsExactly("198.18.7.101", "198.18.7.102");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void aRunWithOnlyRunJsonIsAnEmptyRun() throws Exception {
        RunData r = RunReader.read(dir);
        assertThat(r.samples()).isEmpty();
        assertThat(r.faults()).isEmpty();
        assertThat(r.endT()).isZero();
    }

    @Test
    void aDirectoryWithoutRunJsonIsNotARun() throws Exception {
        Files.delete(dir.resolve("run.json"));
        assertThatThrownBy(() -> RunReader.read(dir))
                .isInstanceOf(LabFormatException.class)
                .hasMessage(dir + ": not a lab run directory (no run.json)");
    }

    @Test
    void badLinesAreErrorsNamingFileAndLine() throws Exception {
        String samples = dir.resolve("samples.jsonl").toString();
        write("samples.jsonl", SAMPLE.formatted(0) + "{\"t\":1,\n" + SAMPLE.formatted(200));
        assertThatThrownBy(() -> RunReader.read(dir)).hasMessageStartingWith(samples + ":2: not valid JSON");
        write("samples.jsonl", SAMPLE.formatted(0) + "{\"t\":\"soon\"}\n");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(samples + ":2: field \"t\" must be an integer, not \"soon\"");
        write("samples.jsonl", SAMPLE.formatted(100) + SAMPLE.formatted(0));
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(samples + ":2: sample time 0 is before the previous sample's 100");
        write("samples.jsonl", "{\"t\":0,\"addrs\":{\"a\":[\"x\"]}}\n");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(samples + ":1: address a must list node numbers, found \"x\"");
        write("samples.jsonl", "{\"t\":0,\"nodes\":[{\"pnn\":-1,\"status\":\"OK\"}]}\n");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(samples + ":1: pnn must be a node number from 0 to 255, not -1");
        write("samples.jsonl", "[1,2]\n");
        assertThatThrownBy(() -> RunReader.read(dir)).hasMessage(samples + ":1: expected a JSON object");
        write("samples.jsonl", "{\"t\":0,\"nodes\":[{\"pnn\":0}]}\n");
        assertThatThrownBy(() -> RunReader.read(dir)).hasMessage(samples + ":1: missing field \"status\"");
    }

    @Test
    void faultLinesMustPairUp() throws Exception {
        String faults = dir.resolve("faults.jsonl").toString();
        write("faults.jsonl", "{\"t\":5,\"id\":4,\"phase\":\"end\",\"kind\":\"crash\",\"nodes\":[1]}\n");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(faults + ":1: fault 4 ends but never started (or ended already)");
        write(
                "faults.jsonl",
                "{\"t\":5,\"id\":4,\"phase\":\"start\",\"kind\":\"crash\"}\n"
                        + "{\"t\":6,\"id\":4,\"phase\":\"start\",\"kind\":\"crash\"}\n");
        assertThatThrownBy(() -> RunReader.read(dir)).hasMessage(faults + ":2: fault 4 starts a second time");
        write("faults.jsonl", "{\"t\":5,\"id\":4,\"phase\":\"begin\",\"kind\":\"crash\"}\n");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(faults + ":1: phase must be \"start\" or \"end\", not \"begin\"");
        write(
                "faults.jsonl",
                "{\"t\":5,\"id\":4,\"phase\":\"start\",\"kind\":\"crash\"}\n"
                        + "{\"t\":4,\"id\":4,\"phase\":\"end\",\"kind\":\"crash\"}\n");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(faults + ":2: fault 4 ends at 4, before its start at 5");
    }

    @Test
    void anIncompleteLastLineOfACutOffRunIsIgnoredWithAWarning() throws Exception {
        write("samples.jsonl", SAMPLE.formatted(0) + SAMPLE.formatted(100) + "{\"t\":200,\"nod");
        RunData r = RunReader.read(dir);
        assertThat(r.samples()).hasSize(2);
        assertThat(r.warnings())
                .containsExactly(dir.resolve("samples.jsonl") + ":3: ignored an incomplete last line (run cut off?)");
    }

    @Test
    void badRunJsonNamesTheFile() throws Exception {
        write("run.json", "{\"system\":\"ctdb\",\"nodes\":\"three\"}");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(dir.resolve("run.json") + ": field \"nodes\" must be an integer, not \"three\"");
        write("run.json", "{\"system\":\"ctdb\",\"nodes\":3,\"sampleIntervalMs\":0}");
        assertThatThrownBy(() -> RunReader.read(dir))
                .hasMessage(dir.resolve("run.json") + ": sampleIntervalMs must be positive, not 0");
    }
}
