package org.jctdb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jctdb.ip.Allocation;
import org.jctdb.ip.AllocationInput;
import org.jctdb.ip.Assignment;
import org.jctdb.ip.IpAllocAlgorithm;
import org.jctdb.ip.IpAllocTunables;
import org.jctdb.ip.IpAllocator;
import org.jctdb.ip.IpallocInputException;
import org.jctdb.ip.KnownIpsReader;
import org.jctdb.ip.NodeState;
import org.jctdb.ip.PublicAddress;
import org.jctdb.ip.RunState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctdb ipalloc}: runs IP allocation offline on CTDB's test input, like CTDB's
 * {@code ctdb_takeover_tests ipalloc}, and prints "IP PNN" lines in CTDB's order.
 */
@Command(
        name = "ipalloc",
        mixinStandardHelpOptions = true,
        description = {
            "Compute a public IP allocation offline, as CTDB's ctdb_takeover_tests ipalloc does.",
            "Reads 'IP CURRENT_PNN [ALLOWED_PNN,...]' lines on standard input and prints 'IP PNN'.",
            "Environment: CTDB_IP_ALGORITHM=lcp2|nondet|det, CTDB_SET_IPAllocAlgorithm=0|1|2,",
            "CTDB_SET_NoIPFailback, CTDB_SET_NoIPTakeover, CTDB_TEST_RUNSTATE=S,S,... (5 = RUNNING)."
        })
public final class IpallocCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--algorithm",
            paramLabel = "ALGORITHM",
            description = "deterministic, nondeterministic or lcp2 (overrides the environment)")
    String algorithm;

    @Parameters(
            index = "0",
            paramLabel = "NODESTATES",
            description = "Comma-separated CTDB node flag values, one per node (e.g. 0,0x2,0)")
    String nodeStates;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "multi",
            description = "'multi': stdin holds one blank-line-separated block per node")
    String multi;

    private final InputStream stdin;
    private final Map<String, String> env;

    public IpallocCommand() {
        this(System.in, System.getenv());
    }

    public IpallocCommand(InputStream stdin, Map<String, String> env) {
        this.stdin = stdin;
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new IpallocCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (multi != null && !multi.equals("multi")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "expected 'multi' after NODESTATES, got '" + multi + "'");
        }
        try {
            List<Integer> flags = parseNodeStates(nodeStates);
            int numNodes = flags.size();
            List<RunState> runStates = parseRunStates(numNodes);
            List<NodeState> nodes = new ArrayList<>();
            for (int i = 0; i < numNodes; i++) {
                nodes.add(new NodeState(flags.get(i), runStates.get(i)));
            }
            IpAllocTunables tunables = new IpAllocTunables(
                    chooseAlgorithm(), envFlag("CTDB_SET_NoIPFailback"), envFlag("CTDB_SET_NoIPTakeover"));
            List<PublicAddress> addresses = KnownIpsReader.read(readStdin(), numNodes, multi != null);
            Allocation result = IpAllocator.allocate(new AllocationInput(nodes, addresses, tunables));
            for (Assignment a : result.assignments()) {
                out.println(a);
            }
            out.flush();
            return 0;
        } catch (IpallocInputException e) {
            err.println("ipalloc: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private List<String> readStdin() throws IpallocInputException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new IpallocInputException("reading standard input: " + e.getMessage());
        }
        return lines;
    }

    private static List<Integer> parseNodeStates(String s) throws IpallocInputException {
        List<Integer> flags = new ArrayList<>();
        for (String tok : s.split(",", -1)) {
            long v = parseCNumber(tok.trim(), "NODESTATES");
            if (v < 0 || v > 0xffffffffL) {
                throw new IpallocInputException("NODESTATES: bad node flags '" + tok + "'");
            }
            flags.add((int) v);
        }
        return flags;
    }

    /** Like CTDB's test tool: "1" means every node; otherwise exactly one value per node. */
    private List<RunState> parseRunStates(int numNodes) throws IpallocInputException {
        String v = env.get("CTDB_TEST_RUNSTATE");
        List<RunState> states = new ArrayList<>();
        if (v == null || v.equals("1")) {
            RunState all = v == null ? RunState.RUNNING : RunState.INIT;
            for (int i = 0; i < numNodes; i++) {
                states.add(all);
            }
            return states;
        }
        String[] toks = v.split(",", -1);
        if (toks.length != numNodes) {
            throw new IpallocInputException("Wrong number of values in CTDB_TEST_RUNSTATE: " + toks.length
                    + " values for " + numNodes + " nodes");
        }
        for (String t : toks) {
            states.add(RunState.fromCode(parseCNumber(t.trim(), "CTDB_TEST_RUNSTATE")));
        }
        return states;
    }

    private IpAllocAlgorithm chooseAlgorithm() throws IpallocInputException {
        if (algorithm != null) {
            IpAllocAlgorithm a = algorithmByName(algorithm);
            if (a == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "unknown algorithm '" + algorithm + "' (expected deterministic, nondeterministic or lcp2)");
            }
            return a;
        }
        String name = env.get("CTDB_IP_ALGORITHM");
        if (name != null) {
            IpAllocAlgorithm a = algorithmByName(name);
            if (a == null) {
                throw new IpallocInputException("CTDB_IP_ALGORITHM: unknown IP algorithm '" + name + "'");
            }
            return a;
        }
        String tunable = env.get("CTDB_SET_IPAllocAlgorithm");
        if (tunable != null) {
            return IpAllocAlgorithm.fromTunable(parseCNumber(tunable.trim(), "CTDB_SET_IPAllocAlgorithm"));
        }
        return IpAllocAlgorithm.LCP2;
    }

    private static IpAllocAlgorithm algorithmByName(String name) {
        switch (name) {
            case "lcp2":
                return IpAllocAlgorithm.LCP2;
            case "nondet":
            case "nondeterministic":
                return IpAllocAlgorithm.NONDETERMINISTIC;
            case "det":
            case "deterministic":
                return IpAllocAlgorithm.DETERMINISTIC;
            default:
                return null;
        }
    }

    /** A tunable is on when non-zero; CTDB reads only the leading number ("0,1,1" is 0). */
    private boolean envFlag(String name) throws IpallocInputException {
        String v = env.get(name);
        if (v == null) {
            return false;
        }
        String first = v.split(",", -1)[0].trim();
        return parseCNumber(first, name) != 0;
    }

    /** Decimal, 0x hex or leading-0 octal, as strtol(..., 0) reads them. */
    private static long parseCNumber(String s, String what) throws IpallocInputException {
        try {
            if (s.startsWith("-") || s.startsWith("+") || s.startsWith("#")) {
                throw new NumberFormatException();
            }
            return Long.decode(s);
        } catch (NumberFormatException e) {
            throw new IpallocInputException(what + ": bad number '" + s + "'");
        }
    }
}
