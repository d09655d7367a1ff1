package org.jctdb.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster manager a campaign drives: how its nodes are configured, started, found and asked
 * for their state. The rest of the lab (network, cluster filesystem, faults, sampler, checker)
 * is the same for every system, and so are the answers: CTDB's `status` and `-X ip` formats.
 */
public interface ClusterUnderTest {
    /** One poll of a node: whether its daemon answered and what it said. */
    record Poll(boolean answered, String status, int leader, int hungProbes, Map<String, Integer> ipView) {
        public static final Poll NONE = new Poll(false, "UNKNOWN", -1, 0, Map.of());
    }

    /** "jctdb" or "ctdb", as in run.json. */
    String name();

    /** Completes every node's configuration directory (the network and node lists already exist). */
    void configure() throws IOException;

    /** Starts node k's daemon in its namespace; returns once it runs (bounded). */
    void start(int k) throws IOException;

    Optional<Long> daemonPid(int k);

    /** Asks node k's daemon for its state, within {@code deadlineMs}. */
    Poll poll(int k, long deadlineMs);

    /** How often a node is polled: process-based clients cost CPU on this 2-core machine. */
    long pollIntervalMs();

    /** A poll that takes longer counts as "the daemon did not answer" (and is its deadline). */
    long answerWithinMs();

    /** Whether {@link Poll#hungProbes()} comes from the daemon; else the lab counts processes blocked on the cluster filesystem. */
    boolean reportsHungProbes();

    /** Process names (/proc comm) never counted as hung probes when the lab counts them. */
    Set<String> notProbes();

    /** The flag file whose existence makes the lab's monitor script block. */
    static Path hangFlag(Path nodeDir) {
        return nodeDir.resolve("lab-hang.flag");
    }

    /** Installs events/legacy/99.labhang.script, which blocks monitor events while the flag file exists. */
    static void installHangScript(Path nodeDir) throws IOException {
        Path events = Files.createDirectories(nodeDir.resolve("events").resolve("legacy"));
        Path script = events.resolve("99.labhang.script");
        try (InputStream in = ClusterUnderTest.class.getResourceAsStream("/org/jctdb/lab/99.labhang.script")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(script, text.replace("@FLAG@", hangFlag(nodeDir).toString()));
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
