package org.jctdb.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jctdb.control.ControlClient;
import org.jctdb.control.ControlReply;

/** JCTDB under test: bin/jctdbd per namespace, queried through its control socket (no process per query). */
public final class JctdbSystem implements ClusterUnderTest {
    private final NetnsCluster cluster;

    public JctdbSystem(NetnsCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public String name() {
        return "jctdb";
    }

    @Override
    public void configure() throws IOException {
        for (int k = 0; k < cluster.nodes; k++) {
            ClusterUnderTest.installHangScript(cluster.nodeDir(k));
        }
    }

    @Override
    public void start(int k) throws IOException {
        cluster.start(k);
    }

    @Override
    public Optional<Long> daemonPid(int k) {
        return cluster.pid(k);
    }

    @Override
    public Poll poll(int k, long deadlineMs) {
        Path socket = cluster.nodeDir(k).resolve("run/jctdbd.socket");
        long until = System.nanoTime() + deadlineMs * 1_000_000;
        try {
            ControlReply status = ControlClient.call(socket, List.of("status"), deadlineMs);
            Optional<StatusText.Self> self = StatusText.status(status.stdout());
            if (self.isEmpty()) {
                return Poll.NONE;
            }
            Map<String, Integer> ips = StatusText.ipTable(
                    ControlClient.call(socket, List.of("-X", "ip"), left(until)).stdout());
            int hung = StatusText.hungProbes(
                    ControlClient.call(socket, List.of("health"), left(until)).stdout());
            return new Poll(true, self.get().status(), self.get().leader(), hung, ips);
        } catch (IOException e) {
            return Poll.NONE;
        }
    }

    private static long left(long until) throws IOException {
        long ms = (until - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new IOException("poll deadline passed");
        }
        return ms;
    }

    @Override
    public long pollIntervalMs() {
        return 100;
    }

    @Override
    public long answerWithinMs() {
        return 1000;
    }

    @Override
    public boolean reportsHungProbes() {
        return true;
    }

    @Override
    public Set<String> notProbes() {
        return Set.of();
    }
}
