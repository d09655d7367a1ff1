package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IpallocCommandTest {

    record Run(int rc, String out, String err) {}

    static Run run(Map<String, String> env, String stdin, String... args) {
        IpallocCommand cmd = new IpallocCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    static final String IN = "10.0.0.1 0\n10.0.0.2 0\n10.0.0.3 0\n10.0.0.4 0\n";

    @Test
    void algorithmOptionOverridesEnvironment() {
        Run det = run(Map.of("CTDB_IP_ALGORITHM", "lcp2"), IN, "--algorithm", "deterministic", "0,0");
        assertThat(det.rc()).isZero();
        assertThat(det.out()).isEqualTo("10.0.0.4 0\n10.0.0.3 1\n10.0.0.2 0\n10.0.0.1 1\n");
        Run noFailback = run(Map.of("CTDB_SET_NoIPFailback", "1"), IN, "--algorithm", "lcp2", "0,0");
        assertThat(noFailback.out()).isEqualTo("10.0.0.4 0\n10.0.0.3 0\n10.0.0.2 0\n10.0.0.1 0\n");
    }

    @Test
    void badInputLineGivesClearErrorAndNonZeroStatus() {
        Run r = run(Map.of(), "10.0.0.1 0\nnot-an-ip 1\n", "0,0");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("ipalloc: line 2: bad address 'not-an-ip'\n");
    }

    @Test
    void badEnvironmentAndArgumentsAreReportedWithoutStackTraces() {
        Run runstate = run(Map.of("CTDB_TEST_RUNSTATE", "5,5"), IN, "0,0,0");
        assertThat(runstate.rc()).isEqualTo(1);
        assertThat(runstate.err()).contains("Wrong number of values in CTDB_TEST_RUNSTATE");
        Run alg = run(Map.of("CTDB_IP_ALGORITHM", "fancy"), IN, "0,0");
        assertThat(alg.rc()).isEqualTo(1);
        assertThat(alg.err()).contains("unknown IP algorithm 'fancy'");
        Run flags = run(Map.of(), IN, "0,zz");
        assertThat(flags.rc()).isEqualTo(1);
        assertThat(flags.err()).contains("NODESTATES: bad number 'zz'");
        Run opt = run(Map.of(), IN, "--algorithm", "random", "0,0");
        assertThat(opt.rc()).isEqualTo(2);
        assertThat(opt.err()).contains("unknown algorithm 'random'");
        for (Run r : new Run[] {runstate, alg, flags, opt}) {
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void runStateOneMeansEveryNodeInInit() {
        Run r = run(Map.of("CTDB_TEST_RUNSTATE", "1"), IN, "0,0");
        assertThat(r.out()).isEqualTo("10.0.0.4 -1\n10.0.0.3 -1\n10.0.0.2 -1\n10.0.0.1 -1\n");
    }

    @Test
    void hexAndOctalNodeStatesAsStrtolReadsThem() {
        // 0x20 is STOPPED; 010 (octal 8) is BANNED: only node 2 may host.
        Run r = run(Map.of(), IN, "0x20,010,0");
        assertThat(r.out()).isEqualTo("10.0.0.4 2\n10.0.0.3 2\n10.0.0.2 2\n10.0.0.1 2\n");
    }
}
