package org.jctdb.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jctdb.config.Installation;
import org.jctdb.ip.tickle.TcpEndpoint;
import org.jctdb.ip.tickle.TickleConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * tickle SRC-IP:PORT DST-IP:PORT as ctdb 4.17: one bare ACK (sequence and acknowledgement 0) from
 * SRC to DST, sent by this process through the jctdb_tcp helper (raw socket, needs root); without
 * arguments, one per "SRC DST" line of standard input. The helper speaks IPv4 only, so an IPv6
 * connection fails with ctdb's "Failed to send tickle ack".
 */
@Command(name = "tickle", description = "Send a TCP tickle ACK from SRC-IP:PORT to DST-IP:PORT.")
final class TickleCommand implements Callable<Integer> {
    /** How long the helper may take to send a few raw segments. */
    private static final long HELPER_SECONDS = 10;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "SRC-IP:PORT DST-IP:PORT")
    List<String> args = List.of();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(err);
        } finally {
            err.flush();
        }
    }

    private int run(PrintWriter err) throws IOException, InterruptedException {
        List<TickleConnection> conns = new ArrayList<>();
        if (args.isEmpty()) {
            int n = 0;
            for (String line : new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList()) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                try {
                    conns.add(TickleConnection.parse(line));
                } catch (IllegalArgumentException e) {
                    err.println("Invalid connection on line " + n + " of standard input: " + e.getMessage());
                    return 1;
                }
            }
        } else if (args.size() == 2) {
            TcpEndpoint[] ends = new TcpEndpoint[2];
            for (int i = 0; i < 2; i++) {
                try {
                    ends[i] = TcpEndpoint.parse(args.get(i));
                } catch (IllegalArgumentException e) {
                    err.println("Invalid IP address " + args.get(i));
                    return 1;
                }
            }
            try {
                conns.add(new TickleConnection(ends[0], ends[1]));
            } catch (IllegalArgumentException e) {
                err.println("Failed to send tickle ack");
                return 1;
            }
        } else {
            err.println("Usage: jctdb tickle [<srcip:port> <dstip:port>]");
            return 1;
        }
        if (conns.isEmpty()) {
            return 0;
        }
        int failed = send(conns);
        if (failed == 0) {
            return 0;
        }
        err.println(args.isEmpty() ? "Failed to send " + failed + " tickles" : "Failed to send tickle ack");
        return 1;
    }

    /** Runs the helper over the IPv4 connections; the number that could not be sent. */
    private static int send(List<TickleConnection> conns) throws IOException, InterruptedException {
        StringBuilder lines = new StringBuilder();
        int v6 = 0;
        for (TickleConnection c : conns) {
            if (c.src().ipv6()) {
                v6++;
            } else {
                lines.append(c.src()).append(' ').append(c.dst()).append('\n');
            }
        }
        if (lines.isEmpty()) {
            return v6;
        }
        Process p = new ProcessBuilder(
                        Installation.current().helper("jctdb_tcp").toString(), "tickle", "1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD) // ctdb says only that it failed
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
        }
        if (!p.waitFor(HELPER_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return conns.size();
        }
        return p.exitValue() == 0 ? v6 : conns.size();
    }
}
