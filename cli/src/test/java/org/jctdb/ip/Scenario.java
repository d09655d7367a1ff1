package org.jctdb.ip;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jctdb.cli.IpallocCommand;
import picocli.CommandLine;

/**
 * One run of "jctdb ipalloc" in-process: node states, environment, stdin, and the output
 * expected. {@code ctdbTest} names the CTDB unit test (ctdb/tests/UNIT/takeover) the case
 * reproduces, or says how the expectation was derived.
 */
record Scenario(String ctdbTest, String nodeStates, Map<String, String> env, String input, String expected) {

    static Scenario of(String ctdbTest, String algorithm, String nodeStates, String input, String expected) {
        return new Scenario(ctdbTest, nodeStates, Map.of("CTDB_IP_ALGORITHM", algorithm), input, expected);
    }

    Scenario withEnv(String key, String value) {
        Map<String, String> e = new HashMap<>(env);
        if (value == null) {
            e.remove(key);
        } else {
            e.put(key, value);
        }
        return new Scenario(ctdbTest, nodeStates, e, input, expected);
    }

    @Override
    public String toString() {
        return ctdbTest;
    }

    /** Runs the command; returns exit status, stdout and stderr. */
    static Result run(Map<String, String> env, String stdin, String... args) {
        IpallocCommand cmd = new IpallocCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Result(rc, out.toString(), err.toString());
    }

    Result run() {
        return input.contains("\n\n") && ctdbTest.contains("multi")
                ? run(env, input, nodeStates, "multi")
                : run(env, input, nodeStates);
    }

    record Result(int exitCode, String out, String err) {}
}
