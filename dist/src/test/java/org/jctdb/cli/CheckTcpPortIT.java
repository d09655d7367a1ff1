package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.junit.jupiter.api.Test;

/**
 * checktcpport answers as ctdb 4.17's does (exit 98 and "Failed to bind to TCP port N" for a port
 * in use, 0 for a free one, 1 and usage without a port), through jctdb-fast and through the Java
 * command, without a daemon; and the same as Debian's ctdb when it is installed.
 */
class CheckTcpPortIT {
    private static final Path CTDB = Path.of("/usr/bin/ctdb");

    @Test
    void portInUseExits98AndAFreePortExits0LikeCtdb() throws Exception {
        try (ServerSocket v4 = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"));
                ServerSocket v6 = new ServerSocket()) {
            v6.bind(new InetSocketAddress(Inet6Address.getByName("::"), 0)); // dual stack: blocks IPv4 too
            int inUse = v4.getLocalPort();
            int inUse6 = v6.getLocalPort();
            int free;
            try (ServerSocket probe = new ServerSocket(0)) {
                free = probe.getLocalPort();
            }
            for (boolean fast : List.of(true, false)) {
                for (int port : List.of(inUse, inUse6)) {
                    Result r = jctdb(fast, "checktcpport", String.valueOf(port));
                    assertThat(r.exitCode())
                            .as("fast=%s port %d: %s", fast, port, r)
                            .isEqualTo(98);
                    assertThat(r.stderr()).isEqualTo("Failed to bind to TCP port " + port + "\n");
                    assertThat(r.stdout()).isEmpty();
                }
                Result ok = jctdb(fast, "checktcpport", String.valueOf(free));
                assertThat(ok).as("fast=%s", fast).isEqualTo(new Result(0, "", ""));
                Result usage = jctdb(fast, "checktcpport");
                assertThat(usage.exitCode()).isEqualTo(1);
                assertThat(usage.stdout()).contains("checktcpport");
                if (Files.isExecutable(CTDB)) {
                    for (int port : List.of(inUse, inUse6, free)) {
                        Result mine = jctdb(fast, "checktcpport", String.valueOf(port));
                        Result theirs = run(List.of(CTDB.toString(), "checktcpport", String.valueOf(port)), false);
                        assertThat(mine).as("jctdb vs ctdb, port %d", port).isEqualTo(theirs);
                    }
                }
            }
        }
    }

    private static Result jctdb(boolean fast, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LocalClusterHarness.home().resolve("bin/jctdb").toString());
        cmd.addAll(List.of(args));
        return run(cmd, !fast);
    }

    private static Result run(List<String> cmd, boolean noFast) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JCTDB_NO_FAST");
        if (noFast) {
            pb.environment().put("JCTDB_NO_FAST", "1");
        }
        // No daemon anywhere: checktcpport must not need one.
        pb.environment().put("CTDB_SOCKET", "/nonexistent/jctdb.socket");
        Path out = Files.createTempFile("chk", ".out");
        Path err = Files.createTempFile("chk", ".err");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd + " did not finish within 60 s");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
