package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctdb.testing.LocalClusterHarness;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus endpoint of a real two-node cluster: node 0 is restarted with
 * {@code [metrics] listen}, its scrape is parsed as the text exposition format (every sample of a
 * family that has HELP and TYPE), and scrapes while node 1 is stopped (kill -STOP: silent, as a
 * hung node is) show the failover: keepalive misses, node 1 disconnected, node 0 leading with the
 * cluster lock, a recovery and a takeover run counted.
 */
class MetricsIT {
    /** One sample line: name, optional {labels}, value. */
    private static final Pattern SAMPLE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)");

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void scrapesParseAndShowAFailover() throws Exception {
        try (LocalClusterHarness h =
                LocalClusterHarness.up(2, "MonitorInterval=1", "KeepaliveInterval=1", "KeepaliveLimit=2")) {
            int port = ThreadLocalRandom.current().nextInt(20000, 40000);
            String listen = h.address(0) + ":" + port;
            long node0 = h.pid(0);
            LocalClusterHarness.signal(node0, "TERM");
            ProcessHandle.of(node0)
                    .ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            Path script = h.nodeDir(0).resolve("events/legacy/50.count.script");
            Files.writeString(script, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(
                    h.nodeDir(0).resolve("ctdb.conf"),
                    "[metrics]\n\tlisten = " + listen + "\n",
                    StandardOpenOption.APPEND);
            assertThat(h.startNode(0).exitCode())
                    .as("node 0 with metrics: %s", h.log(0))
                    .isZero();
            URI uri = URI.create("http://" + listen + "/metrics");

            Map<String, Double> m = awaitScrape(uri, s -> s.getOrDefault("jctdb_nodes{state=ok}", 0.0) == 2.0);
            assertThat(m)
                    .containsEntry("jctdb_this_node_pnn", 0.0)
                    .containsEntry("jctdb_peers_connected", 1.0)
                    .containsEntry("jctdb_recovery_mode", 0.0)
                    .containsEntry("jctdb_node_flag{flag=disconnected,pnn=1}", 0.0)
                    .containsEntry("jctdb_storage_state{pnn=0,state=OK}", 1.0)
                    .containsKeys("jctdb_leader_pnn", "jctdb_generation", "jctdb_last_recovery_duration_seconds");
            assertThat(m.get("jctdb_generation")).isPositive();
            // The shell's counters: node 0 has run monitor events and probed the lock's directory,
            // and its lock backend has answered (taken as leader, contention as follower).
            m = awaitScrape(
                    uri,
                    s -> s.getOrDefault("jctdb_event_runs_total{event=monitor,result=ok}", 0.0) >= 1
                            && s.getOrDefault(
                                            "jctdb_event_script_runs_total{event=monitor,script=50.count,status=ok}",
                                            0.0)
                                    >= 1
                            && sumOf(s, "jctdb_storage_probe_duration_seconds_count{") >= 1);
            // One state is set: taken on the leader; on a follower contention, or none (released or never asked).
            assertThat(sumOf(m, "jctdb_cluster_lock_state{")).isEqualTo(1.0);
            String lockState = m.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("jctdb_cluster_lock_state{") && e.getValue() == 1.0)
                    .map(e -> e.getKey().replaceAll(".*state=(\\w+)}", "$1"))
                    .findFirst()
                    .orElseThrow();
            if (m.get("jctdb_leader_pnn") == 0.0) {
                assertThat(lockState).isEqualTo("taken");
                assertThat(sumOf(m, "jctdb_cluster_lock_acquire_seconds_count{"))
                        .isPositive();
            } else {
                // A follower that heard of the leader before its first attempt never asks for the lock.
                assertThat(lockState).isIn("contention", "none");
            }
            double misses = m.getOrDefault("jctdb_keepalive_misses_total{pnn=1}", 0.0);
            assertThat(m).containsKey("jctdb_event_script_duration_seconds{event=monitor,script=50.count}");
            double recoveries = m.get("jctdb_recoveries_total");
            double runs = m.get("jctdb_takeover_runs_total");
            double runsEnded = m.get("jctdb_takeover_run_duration_seconds_count");

            long node1 = h.pid(1);
            LocalClusterHarness.signal(node1, "STOP");
            try {
                // Until node 0 leads alone (a scrape in between may show no leader, -1, during the election).
                Map<String, Double> after = awaitScrape(
                        uri,
                        s -> s.getOrDefault("jctdb_node_flag{flag=disconnected,pnn=1}", 0.0) == 1.0
                                && s.getOrDefault("jctdb_leader_pnn", -1.0) == 0.0
                                && s.getOrDefault("jctdb_recovery_mode", 1.0) == 0.0
                                && s.getOrDefault("jctdb_takeover_runs_total", 0.0) > runs
                                // and one of its runs has ended
                                && s.getOrDefault("jctdb_takeover_run_duration_seconds_count", 0.0) > runsEnded);
                assertThat(after)
                        .containsEntry("jctdb_peers_connected", 0.0)
                        .containsEntry("jctdb_nodes{state=disconnected}", 1.0)
                        .containsEntry("jctdb_cluster_lock_state{state=taken}", 1.0);
                assertThat(after.get("jctdb_generation")).isNotEqualTo(m.get("jctdb_generation"));
                // KeepaliveLimit (2) silent intervals in a row dropped node 1.
                assertThat(after.get("jctdb_keepalive_misses_total{pnn=1}") - misses)
                        .isGreaterThanOrEqualTo(2.0);
                assertThat(after.get("jctdb_recoveries_total")).isGreaterThan(recoveries);
                assertThat(after.get("jctdb_recovery_duration_seconds_count")).isGreaterThan(0.0);
                assertThat(after.get("jctdb_cluster_lock_acquire_seconds_count{result=taken}"))
                        .isGreaterThan(0.0);
            } finally {
                LocalClusterHarness.signal(node1, "KILL");
            }
        }
    }

    /** The sum of every sample whose key starts with {@code prefix}. */
    private static double sumOf(Map<String, Double> samples, String prefix) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    private static Map<String, Double> awaitScrape(URI uri, java.util.function.Predicate<Map<String, Double>> done)
            throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Double> last = Map.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            last = parse(r.body());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no scrape of " + uri + " met the condition in 60 s; last: " + last);
    }

    /**
     * The text exposition format: HELP and TYPE before a family's samples, every other line a
     * sample of a declared family (a histogram's as _bucket, _count and _sum, with a bucket
     * le="+Inf" equal to _count). Keys are name{label=value,...} with labels sorted.
     */
    static Map<String, Double> parse(String body) {
        Map<String, String> typed = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                assertThat(f).as(line).hasSize(4);
                assertThat(f[3])
                        .as(line)
                        .isIn("gauge", "counter", "histogram", "summary", "untyped", "info", "stateset");
                typed.put(f[2], f[3]);
                continue;
            }
            if (line.startsWith("#")) {
                assertThat(line).as("comment line").startsWith("# HELP ");
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            assertThat(s.matches()).as("sample line: %s", line).isTrue();
            String name = s.group(1);
            String family = name.replaceFirst("_(bucket|count|sum)$", "");
            assertThat(typed.containsKey(name) || "histogram".equals(typed.get(family)))
                    .as("family of %s declared", line)
                    .isTrue();
            StringBuilder key = new StringBuilder(s.group(1));
            if (s.group(2) != null) {
                Map<String, String> labels = new java.util.TreeMap<>();
                Matcher l = LABEL.matcher(s.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
                key.append('{');
                labels.forEach((k, v) -> key.append(k).append('=').append(v).append(','));
                key.setCharAt(key.length() - 1, '}');
            }
            samples.put(key.toString(), Double.parseDouble(s.group(3)));
        }
        samples.forEach((k, v) -> {
            if (k.contains("_bucket{") && k.contains("le=+Inf")) {
                String count = k.replace("_bucket{", "_count{")
                        .replace("le=+Inf,", "")
                        .replace(",le=+Inf", "")
                        .replace("{le=+Inf}", "");
                assertThat(samples.get(count)).as("%s equals %s", k, count).isEqualTo(v);
            }
        });
        return samples;
    }
}
