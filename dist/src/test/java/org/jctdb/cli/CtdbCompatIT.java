package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * The ctdb compatibility corpus (src/test/resources/ctdb-compat): each command of commands.txt, in
 * its scenario, run through bin/jctdb on node 0 of a 2-node JCTDB cluster must print what real CTDB
 * 4.17 printed in the same scenario (expected.txt, written by bench/ctdb/compat-record) and exit
 * with the same code. Node addresses are compared as NODE0/NODE1.
 */
class CtdbCompatIT {
    private static final Pattern PADDED_NODE = Pattern.compile("(NODE\\d) +");
    /** A generation is random in both systems, and which node wins the election may differ. */
    private static final Pattern GENERATION = Pattern.compile("Generation:\\d+");

    private static final Pattern LEADER = Pattern.compile("Leader:\\d+");

    /**
     * Deliberate differences (README, "Deliberate differences"), applied to what ctdb printed: a
     * timed-out monitor event counts as a failure at once, so MonitorTimeoutCount defaults to 1.
     */
    private static final Map<String, String> DELIBERATE =
            Map.of("MonitorTimeoutCount        = 20\n", "MonitorTimeoutCount        = 1\n");

    /** One command of the corpus: what CTDB did, and whether only its exit code counts. */
    record Case(String scenario, String command, boolean exitOnly, int exit, String stdout, String stderr) {}

    @Test
    void everyCommandOfTheCorpusAnswersAsCtdbDoes() throws Exception {
        List<Case> cases = corpus();
        assertThat(cases).hasSizeGreaterThan(20);
        SoftAssertions soft = new SoftAssertions();
        try (LocalClusterHarness c = LocalClusterHarness.up(2)) {
            String scenario = "";
            for (Case k : cases) {
                if (!k.scenario().equals(scenario)) {
                    scenario = k.scenario();
                    enter(c, scenario);
                }
                Result r = c.jctdb(0, k.command().split(" "));
                String what = k.scenario() + ": ctdb " + k.command();
                soft.assertThat(r.exitCode()).as(what + " exit code").isEqualTo(k.exit());
                if (!k.exitOnly()) {
                    soft.assertThat(normalise(r.stdout(), c))
                            .as(what + " stdout")
                            .isEqualTo(k.stdout());
                    soft.assertThat(normalise(r.stderr(), c))
                            .as(what + " stderr")
                            .isEqualTo(k.stderr());
                }
            }
        }
        soft.assertAll();
    }

    private static void enter(LocalClusterHarness c, String scenario) throws Exception {
        switch (scenario) {
            case "healthy" -> {}
            case "node1-banned" ->
                assertThat(c.jctdb(0, "-n", "1", "ban", "300").exitCode()).isZero();
            case "node1-stopped" -> {
                assertThat(c.jctdb(0, "-n", "1", "unban").exitCode()).isZero();
                assertThat(c.jctdb(0, "-n", "1", "stop").exitCode()).isZero();
            }
            case "node1-down" -> {
                LocalClusterHarness.signal(c.pid(1), "KILL");
                await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(c.flag(0, 1, "Disconnected")));
            }
            case "no-leader" -> {
                assertThat(c.startNode(1).exitCode()).isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> "0".equals(c.flag(0, 1, "Disconnected")));
                assertThat(c.jctdb(0, "setleaderrole", "off").exitCode()).isZero();
                assertThat(c.jctdb(1, "setleaderrole", "off").exitCode()).isZero();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> c.jctdb(0, "leader").stdout().equals("UNKNOWN\n"));
            }
            default -> throw new IllegalStateException("unknown scenario " + scenario);
        }
    }

    private static String normalise(String text, LocalClusterHarness c) {
        return padded(text.replace(c.address(0), "NODE0").replace(c.address(1), "NODE1"));
    }

    static List<Case> corpus() throws IOException {
        List<String> commands = lines("commands.txt");
        List<String> expected = lines("expected.txt");
        List<Case> out = new ArrayList<>();
        String scenario = "";
        int e = 0;
        for (String line : commands) {
            if (line.startsWith("### ")) {
                scenario = line.substring(4).strip();
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int mark = line.indexOf(" #?");
            String command = (mark < 0 ? line : line.substring(0, mark)).strip();
            while (e < expected.size() && !expected.get(e).startsWith("$ ")) {
                e++;
            }
            assertThat(e).as("expected.txt has no entry for %s", command).isLessThan(expected.size());
            assertThat(expected.get(e))
                    .as("expected.txt out of step with commands.txt")
                    .isEqualTo("$ " + command);
            int exit = Integer.parseInt(expected.get(e + 1).substring(2).strip());
            StringBuilder stdout = new StringBuilder();
            StringBuilder stderr = new StringBuilder();
            for (e += 2;
                    e < expected.size()
                            && !expected.get(e).startsWith("$ ")
                            && !expected.get(e).startsWith("### ");
                    e++) {
                String l = expected.get(e);
                (l.startsWith(">") ? stdout : stderr)
                        .append(l.length() > 2 ? l.substring(2) : "")
                        .append('\n');
            }
            String expectedOut = stdout.toString();
            for (Map.Entry<String, String> d : DELIBERATE.entrySet()) {
                expectedOut = expectedOut.replace(d.getKey(), d.getValue());
            }
            out.add(new Case(scenario, command, mark >= 0, exit, padded(expectedOut), padded(stderr.toString())));
        }
        return out;
    }

    private static String padded(String text) {
        String t =
                GENERATION.matcher(PADDED_NODE.matcher(text).replaceAll("$1 ")).replaceAll("Generation:G");
        return LEADER.matcher(t).replaceAll("Leader:L");
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = CtdbCompatIT.class.getResourceAsStream("/ctdb-compat/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
