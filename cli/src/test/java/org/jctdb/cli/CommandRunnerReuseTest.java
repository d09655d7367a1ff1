package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jctdb.config.LogLevel;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.PublicAddress;
import org.jctdb.config.Tunables;
import org.jctdb.control.ClusterView;
import org.jctdb.control.ControlReply;
import org.jctdb.control.DaemonApi;
import org.jctdb.control.IpControl;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.NodeView;
import org.jctdb.control.Statistics;
import org.jctdb.event.Event;
import org.jctdb.event.EventControl;
import org.jctdb.event.EventReply;
import org.jctdb.event.EventRequest;
import org.jctdb.event.EventScripts;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.IpMessage;
import org.jctdb.ip.RunState;
import org.jctdb.protocol.NodeFlags;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The daemon reuses its command lines across requests (CommandRunner): each answer must be the
 * answer a command line built for that request alone gives, whatever ran before it.
 */
class CommandRunnerReuseTest {
    /**
     * Global options before and after the word, errors, help, -n to this node, others and all, and
     * a command that throws (statistics, through the execution exception handler).
     */
    private static final List<List<String>> REQUESTS = List.of(
            List.of("-X", "status"),
            List.of("status"),
            List.of("--json", "status"),
            List.of("-Y", "-x", ":", "status"),
            List.of("status", "-X"),
            List.of("pnn"),
            List.of("-n", "0", "pnn"),
            List.of("-n", "1", "-X", "status"),
            List.of("-n", "all", "pnn"),
            List.of("-n", "0,1", "-X", "nodestatus"),
            List.of("-n", "9", "pnn"),
            List.of("-n", "x", "pnn"),
            List.of("-n", "1", "version"),
            List.of("nodestatus", "1"),
            List.of("nodestatus"),
            List.of("-X", "nodestatus", "all"),
            List.of("nodestatus", "1,2"),
            List.of("ip", "all", "-v"),
            List.of("ip"),
            List.of("-X", "ip"),
            List.of("--json", "ip", "all"),
            List.of("ipinfo", "10.0.0.1"),
            List.of("-X", "ifaces"),
            List.of("getvar", "MonitorInterval"),
            List.of("getvar", "NoSuchTunable"),
            List.of("getvar"),
            List.of("-X", "listvars"),
            List.of("bogus"),
            List.of("statsu"),
            List.of("pnn", "extra"),
            List.of("status", "--help"),
            List.of("-h"),
            List.of("-X"),
            List.of("event"),
            List.of("event", "run", "5", "legacy", "monitor", "a", "b"),
            List.of("event", "run", "5", "legacy", "monitor"),
            List.of("event", "run", "x", "legacy", "monitor"),
            List.of("scriptstatus"),
            List.of("runstate", "SETUP", "RUNNING"),
            List.of("runstate", "STARTUP"),
            List.of("runstate"),
            List.of("-t", "3", "leader"),
            List.of("--json", "leader"),
            List.of("leader"),
            List.of("-d", "DEBUG", "getcapabilities"),
            List.of("getdebug"),
            List.of("setdebug", "nonsense"),
            List.of("getpid"),
            List.of("version"),
            List.of("process-exists", "123"),
            List.of("process-exists", "123", "77"),
            List.of("ban", "-1"),
            List.of("statistics"),
            List.of("-X", "statistics"),
            List.of("pnn"));

    private final Fixed api = new Fixed();

    @Test
    void aReusedCommandLineAnswersAsAFreshOneWhateverRanBefore() {
        CommandRunner reused = new CommandRunner(api);
        List<List<String>> order = new ArrayList<>(REQUESTS);
        order.addAll(reversed(REQUESTS));
        for (List<String> argv : order) {
            ControlReply expected = new CommandRunner(api).apply(argv);
            assertThat(reused.apply(argv)).as("reply to %s", argv).isEqualTo(expected);
        }
    }

    @Test
    void requestsAtOnceNeverShareACommandLine() throws Exception {
        Map<List<String>, ControlReply> expected = new HashMap<>();
        for (List<String> argv : REQUESTS) {
            expected.put(argv, new CommandRunner(api).apply(argv));
        }
        CommandRunner shared = new CommandRunner(api);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> wrong = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 7;
                wrong.add(pool.submit(() -> {
                    List<String> w = new ArrayList<>();
                    for (int i = 0; i < 3 * REQUESTS.size(); i++) {
                        List<String> argv = REQUESTS.get((offset + i) % REQUESTS.size());
                        if (!shared.apply(argv).equals(expected.get(argv))) {
                            w.add(String.join(" ", argv));
                        }
                    }
                    return w;
                }));
            }
            for (Future<List<String>> f : wrong) {
                assertThat(f.get(60, TimeUnit.SECONDS))
                        .as("requests answered wrongly")
                        .isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theRequestsReachTheirCommands() {
        // Otherwise the comparison above would compare two identical refusals.
        CommandRunner r = new CommandRunner(api);
        assertThat(r.apply(List.of("-X", "status")).stdout()).startsWith("|Node|IP|");
        assertThat(r.apply(List.of("-n", "1", "pnn")).stdout()).isEqualTo("forwarded to 1: [pnn]\n");
        assertThat(r.apply(List.of("event", "run", "5", "legacy", "monitor", "a", "b"))
                        .stdout())
                .contains("args [a, b]");
        assertThat(r.apply(List.of("event", "run", "5", "legacy", "monitor")).stdout())
                .contains("args []");
        assertThat(r.apply(List.of("ip", "all")).stdout()).contains("10.0.0.1");
        assertThat(r.apply(List.of("status", "--help")).stdout()).contains("Usage:");
        assertThat(r.apply(List.of("statistics")).stderr()).isEqualTo("Error: no statistics in this test\n");
    }

    /**
     * What makes reuse safe: a parse resets every option and positional parameter, so no command
     * may keep state in any other field. A new field must be one of these (or reuse re-checked).
     */
    @Test
    void commandsHoldStateOnlyInFieldsPicocliResets() {
        List<String> others = new ArrayList<>();
        collect(CommandRunner.commandLine(api), others);
        assertThat(others).as("mutable fields picocli does not reset").isEmpty();
    }

    private static void collect(CommandLine cl, List<String> others) {
        for (Class<?> c = cl.getCommand().getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                boolean reset = f.isAnnotationPresent(Option.class)
                        || f.isAnnotationPresent(Parameters.class)
                        || f.isAnnotationPresent(Spec.class);
                if (!reset && !Modifier.isStatic(m) && !Modifier.isFinal(m) && !f.isSynthetic()) {
                    others.add(c.getName() + "." + f.getName());
                }
            }
        }
        assertThat(cl.getCommandSpec().mixins())
                .as("mixins of %s", cl.getCommandName())
                .isEmpty();
        assertThat(cl.getCommandSpec().argGroups())
                .as("groups of %s", cl.getCommandName())
                .isEmpty();
        cl.getSubcommands().values().forEach(sub -> collect(sub, others));
    }

    private static <T> List<T> reversed(List<T> l) {
        List<T> r = new ArrayList<>(l);
        Collections.reverse(r);
        return r;
    }

    /** A daemon with fixed answers: three nodes, this is node 0, node 2 disconnected. */
    private static final class Fixed implements DaemonApi {
        private final ClusterView view = new ClusterView(
                0,
                List.of(
                        new NodeView(0, "10.1.0.1", 0),
                        new NodeView(1, "10.1.0.2", NodeFlags.DISABLED),
                        new NodeView(2, "10.1.0.3", NodeFlags.DISCONNECTED)),
                7,
                List.of(0, 1),
                0,
                1,
                1_000,
                2_000,
                3_000,
                Optional.of("/shared/lock"));

        private final IpSnapshot ips = new IpSnapshot(
                0,
                List.of(
                        new IpMessage.Listed("10.0.0.1", 24, List.of("eth0")),
                        new IpMessage.Listed("10.0.0.2", 24, List.of("eth0", "eth1"))),
                List.of(new HostedAddress("10.0.0.1", 24, "eth0")),
                Map.of("10.0.0.1", 0, "10.0.0.2", 1),
                Set.of("eth1"),
                false);

        @Override
        public ClusterView view() {
            return view;
        }

        @Override
        public NodeConfig config() {
            throw new UnsupportedOperationException("no configuration in this test");
        }

        @Override
        public Tunables tunables() {
            return Tunables.defaults();
        }

        @Override
        public CompletableFuture<Void> setTunable(String name, long value) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<ControlReply> forward(int pnn, List<String> argv, long timeoutMillis) {
            return CompletableFuture.completedFuture(
                    new ControlReply(0, "forwarded to " + pnn + ": " + argv + "\n", ""));
        }

        @Override
        public Optional<EventControl> events() {
            return Optional.of(new EventControl() {
                @Override
                public CompletableFuture<EventReply> run(EventRequest req) {
                    return CompletableFuture.completedFuture(
                            new EventReply.Refused(req.event(), req.args(), 22, "args " + req.args()));
                }

                @Override
                public Optional<EventReply.Completed> lastStatus(Event e) {
                    return Optional.empty();
                }

                @Override
                public EventScripts.Listing listing() {
                    throw new UnsupportedOperationException("no scripts in this test");
                }

                @Override
                public EventScripts.CommandResult enable(String component, String name) {
                    throw new UnsupportedOperationException("no scripts in this test");
                }

                @Override
                public EventScripts.CommandResult disable(String component, String name) {
                    throw new UnsupportedOperationException("no scripts in this test");
                }
            });
        }

        @Override
        public CompletableFuture<Boolean> recover() {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public int clients() {
            return 1;
        }

        @Override
        public long pid() {
            return 4242;
        }

        @Override
        public String version() {
            return "0.test";
        }

        @Override
        public Optional<IpControl> ip() {
            return Optional.of(new IpControl() {
                @Override
                public IpSnapshot snapshot() {
                    return ips;
                }

                @Override
                public CompletableFuture<Void> requestRun() {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<Void> requestMove(String ip, int pnn) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<Void> addAddress(String ip, int maskBits, List<String> ifaces) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<Void> deleteAddress(String ip) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<Void> reload(List<PublicAddress> addresses) {
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletableFuture<String> gratarp(String ip, String iface) {
                    return CompletableFuture.completedFuture("");
                }

                @Override
                public CompletableFuture<Void> setLink(String iface, boolean up) {
                    return CompletableFuture.completedFuture(null);
                }
            });
        }

        @Override
        public CompletableFuture<Void> changeOwnFlags(int set, int clear) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> ban(int seconds, String why) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> unban() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public LogLevel logLevel() {
            return LogLevel.NOTICE;
        }

        @Override
        public void setLogLevel(LogLevel level) {
            // the answer of getdebug stays fixed
        }

        @Override
        public Statistics statistics() {
            throw new UnsupportedOperationException("no statistics in this test");
        }

        @Override
        public void resetStatistics() {
            // nothing kept
        }

        @Override
        public RunState runState() {
            return RunState.RUNNING;
        }

        @Override
        public boolean leaderRole() {
            return true;
        }

        @Override
        public CompletableFuture<Void> setLeaderRole(boolean on) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean processExists(int pid, long srvid) {
            return pid == 123 && srvid == 0;
        }

        @Override
        public void shutdown(String why) {
            // not asked here
        }
    }
}
