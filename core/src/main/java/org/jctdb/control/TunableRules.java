package org.jctdb.control;

import java.util.ArrayList;
import java.util.List;
import org.jctdb.config.ConfigException;
import org.jctdb.config.NodeConfig;
import org.jctdb.config.Tunables;
import org.jctdb.ip.FailoverTiming;

/**
 * The one set of rules for tunable values, used by `setvar`, by the daemon at start-up and by
 * `config validate`, so that all three accept and refuse the same values with the same words.
 * Every value is already a whole number from 0 to 2^32-1 ({@link Tunables}); these are the
 * further bounds the daemon needs to work at all.
 */
public final class TunableRules {
    /** Timers and counts that must be at least 1: zero would spin, never fire or never fail. */
    private static final List<String> AT_LEAST_ONE = List.of(
            "KeepaliveInterval",
            "KeepaliveLimit",
            "ElectionTimeout",
            "TakeoverTimeout",
            "MonitorInterval",
            "EventScriptTimeout",
            "RecoverTimeout",
            "HealthProbeIntervalMs",
            "HealthProbeTimeoutMs",
            "HealthProbeFailCount");

    private TunableRules() {}

    /** What is wrong with {@code t}, one sentence per problem naming the tunable; empty when all is well. */
    public static List<String> violations(Tunables t) {
        List<String> out = new ArrayList<>();
        for (String name : AT_LEAST_ONE) {
            if (t.get(name) < 1) {
                out.add(name + "=" + t.get(name) + " must be at least 1");
            }
        }
        if (t.get("IPAllocAlgorithm") > 2) {
            out.add("IPAllocAlgorithm=" + t.get("IPAllocAlgorithm") + " must be 0, 1 or 2");
        }
        out.addAll(FailoverTiming.fromTunables(t).violations());
        return out;
    }

    /** The daemon at start-up and `config validate`: the tunables file's values, as one error naming the file. */
    public static void check(NodeConfig c) throws ConfigException {
        List<String> bad = violations(c.tunables());
        if (!bad.isEmpty()) {
            throw ConfigException.forFile(c.layout().tunablesFile(), String.join("; ", bad));
        }
    }
}
