package org.jctdb.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.jctdb.config.Installation;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault lab end to end, through bin/jctdb as an administrator runs it: a 2-minute JCTDB
 * campaign with a fixed seed must find no violation, write the files of
 * docs/design/lab-format.md, really inject faults of several kinds, and leave no namespace,
 * mount, directory or process behind. A 1-minute CTDB run checks that the CTDB driver works
 * (its violations are findings, not failures).
 */
class LabIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static void requireLab() {
        TestEnvironment.require(ClusterFs.unavailableReason());
        TestEnvironment.require(NetnsCluster.unavailableReason());
    }

    @Test
    void aTwoMinuteJctdbCampaignInjectsFaultsOfSeveralKindsAndFindsNoViolation() throws Exception {
        requireLab();
        Path out = tmp.resolve("run");
        Run r = lab(Duration.ofMinutes(5), "run", "--minutes", "2", "--seed", "42", "--out", out.toString());
        assertThat(r.exit()).as("exit of lab run; output:\n%s", r.output()).isZero();
        assertThat(Files.readAllLines(out.resolve("violations.jsonl")))
                .as(r.output())
                .isEmpty();

        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertThat(run.get("system").asText()).isEqualTo("jctdb");
        assertThat(run.get("seed").asLong()).isEqualTo(42);
        assertThat(run.get("minutes").asDouble()).isEqualTo(2.0);
        assertThat(run.get("nodes").asInt()).isEqualTo(3);
        assertThat(run.get("publicIps")).hasSize(6);
        assertThat(run.get("command").asText()).isEqualTo("jctdb lab run --minutes 2 --seed 42 --out " + out);
        assertThat(run.get("sampleIntervalMs").asInt()).isEqualTo(100);
        assertThat(run.at("/bounds/healMs").asLong()).isEqualTo(30_000);
        assertThat(run.get("interrupted").asBoolean()).isFalse();
        assertThat(run.get("endedAt").isTextual()).isTrue();

        List<JsonNode> faults = jsonl(out.resolve("faults.jsonl"));
        Map<Integer, List<String>> phases = new HashMap<>();
        Set<String> kinds = new HashSet<>();
        for (JsonNode f : faults) {
            phases.computeIfAbsent(f.get("id").asInt(), k -> new ArrayList<>())
                    .add(f.get("phase").asText());
            kinds.add(f.get("kind").asText());
            assertThat(f.get("detail").asText()).as("fault %s", f).doesNotStartWith("failed");
            assertThat(f.get("nodes").isArray()).isTrue();
        }
        assertThat(phases.values()).as("every fault starts and ends").allMatch(p -> p.equals(List.of("start", "end")));
        assertThat(kinds).as("kinds injected").hasSizeGreaterThanOrEqualTo(2);

        List<JsonNode> samples = jsonl(out.resolve("samples.jsonl"));
        // 2 minutes at 100 ms: allow for a loaded machine, but the sampler must keep up.
        assertThat(samples.size()).isBetween(900, 1300);
        JsonNode s = samples.get(samples.size() / 2);
        assertThat(s.get("nodes")).hasSize(3);
        for (String field : List.of("pnn", "reachable", "status", "leader", "dstate", "hungProbes")) {
            assertThat(s.get("nodes").get(0).has(field)).as(field).isTrue();
        }
        assertThat(s.get("addrs").size()).isEqualTo(6);
        assertThat(s.get("client").size()).isEqualTo(6);
        assertThat(s.get("lockHolders").asInt()).isEqualTo(1);
        assertThat(Files.readString(out.resolve("events.log"))).contains("campaign ended");
        assertDatabaseWorkload(out, run, 3);
        assertNothingLeft(r.pid());
    }

    /**
     * The database workload ran on every node (on by default): db.jsonl has successful persistent
     * writes, reads (of every node's key) and volatile fetches from each node, the fetches saw the
     * records move between nodes, and run.json counts them. No database violation: the caller
     * checks violations.jsonl is empty.
     */
    private static void assertDatabaseWorkload(Path out, JsonNode run, int nodes) throws IOException {
        assertThat(run.get("dbWorkload").asBoolean()).isTrue();
        List<JsonNode> db = jsonl(out.resolve("db.jsonl"));
        for (int k = 0; k < nodes; k++) {
            for (String op : List.of(DbEvent.PWRITE, DbEvent.PREAD, DbEvent.VFETCH)) {
                int node = k;
                assertThat(db)
                        .as("a successful %s on node %d", op, k)
                        .anyMatch(e -> e.get("node").asInt() == node
                                && e.get("op").asText().equals(op)
                                && e.get("ok").asBoolean());
            }
            String key = DbWorkload.key(k);
            assertThat(db)
                    .as("another node read %s's writes", key)
                    .anyMatch(e -> e.get("op").asText().equals(DbEvent.PREAD)
                            && e.get("key").asText().equals(key)
                            && e.get("node").asInt() != node(key)
                            && e.get("value").asLong() > 0);
        }
        Set<Integer> masters = new HashSet<>();
        db.stream()
                .filter(e -> e.get("op").asText().equals(DbEvent.VFETCH)
                        && e.get("ok").asBoolean())
                .forEach(e -> masters.add(e.get("dmaster").asInt()));
        assertThat(masters).as("volatile records migrated to every node").hasSize(nodes);
        for (String op : List.of(DbEvent.PWRITE, DbEvent.PREAD, DbEvent.VFETCH)) {
            assertThat(run.at("/db/" + op + "/ok").asLong()).as(op).isPositive();
        }
    }

    private static int node(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
    }

    /**
     * CTDB through the same lab, as a one-seed `lab campaign` whose faults all aim at the leader or
     * split the cluster 1+1+1: the campaign's files, its compressed samples and its report.
     */
    @Test
    void aShortCtdbCampaignDrivesCtdbThroughTheSameLab() throws Exception {
        requireLab();
        TestEnvironment.require(CtdbSystem.unavailableReason());
        Path dir = tmp.resolve("campaign");
        Run r = lab(
                Duration.ofMinutes(4),
                "campaign",
                "--system",
                "ctdb",
                "--minutes",
                "1",
                "--seeds",
                "1",
                "--first-seed",
                "42",
                "--faults",
                "pause,linkcut,split",
                "--leader-share",
                "1",
                "--out",
                dir.toString());
        assertThat(r.exit())
                .as("exit of lab campaign (3 = CTDB broke an invariant, a finding); output:\n%s", r.output())
                .isIn(0, LabRun.EXIT_VIOLATIONS);
        Path out = dir.resolve("ctdb-seed42");
        JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
        assertThat(run.get("system").asText()).isEqualTo("ctdb");
        assertThat(run.get("command").asText())
                .isEqualTo("jctdb lab run --system ctdb --minutes 1 --faults pause,linkcut,split --leader-share 1"
                        + " --seed 42 --out " + out);
        List<JsonNode> faults = jsonl(out.resolve("faults.jsonl"));
        assertThat(faults).isNotEmpty();
        for (JsonNode f : faults) {
            if (f.get("phase").asText().equals("start")
                    && !f.get("kind").asText().equals("split")) {
                assertThat(f.get("detail").asText()).as("fault %s", f).startsWith("the leader: ");
            }
        }
        // The database workload speaks the same client protocol to ctdbd (its failures are findings).
        assertThat(jsonl(out.resolve("db.jsonl")))
                .extracting(e -> e.get("op").asText())
                .contains(DbEvent.PWRITE, DbEvent.PREAD, DbEvent.VFETCH);
        assertThat(out.resolve("samples.jsonl")).doesNotExist();
        List<JsonNode> samples = jsonl(out.resolve("samples.jsonl.gz"));
        assertThat(samples.size()).isGreaterThan(450);
        // The driver reads CTDB's answers (CTDB's own state, even all nodes banned, is a finding).
        assertThat(samples)
                .anyMatch(s -> s.get("nodes").get(0).get("reachable").asBoolean()
                        && s.get("nodes")
                                .get(0)
                                .get("status")
                                .asText()
                                .matches("OK|UNHEALTHY|BANNED|DISABLED|STOPPED|INACTIVE"));
        assertThat(Files.readString(dir.resolve("report/report.md")))
                .contains("## Headline", "CTDB in all: " + (faults.size() / 2) + " faults in 1 run");
        assertNothingLeft(r.pid());
    }

    private record Run(int exit, String output, long pid) {}

    private Run lab(Duration limit, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(Installation.current().home().resolve("bin/jctdb").toString(), "lab"));
        cmd.addAll(List.of(args));
        Path log = tmp.resolve("lab-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            throw new AssertionError("lab run did not finish within " + limit + ":\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log), p.pid());
    }

    private static List<JsonNode> jsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        List<String> lines;
        if (file.toString().endsWith(".gz")) {
            try (var in = new GZIPInputStream(Files.newInputStream(file))) {
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .toList();
            }
        } else {
            lines = Files.readAllLines(file);
        }
        for (String line : lines) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    /** No namespace, mount, directory or process of the lab run with this pid remains. */
    private static void assertNothingLeft(long pid) throws IOException {
        String tag = "-" + pid + "-";
        String namespaces =
                Commands.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertThat(namespaces
                        .lines()
                        .filter(l -> l.startsWith(LabRun.PREFIX) && l.contains(tag))
                        .toList())
                .isEmpty();
        String base = "/tmp/" + LabRun.PREFIX + tag;
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(base));
        try (var dirs = Files.list(Path.of("/tmp"))) {
            assertThat(dirs.map(Path::toString).filter(d -> d.startsWith(base)).toList())
                    .isEmpty();
        }
        List<Long> left = new ArrayList<>();
        try (var procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try {
                    String env = new String(
                            Files.readAllBytes(proc.resolve("environ")), java.nio.charset.StandardCharsets.UTF_8);
                    String cmdline = new String(
                            Files.readAllBytes(proc.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                    if (env.contains(base) || cmdline.contains(base)) {
                        left.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
        assertThat(left).as("processes of the lab still running").isEmpty();
    }
}
