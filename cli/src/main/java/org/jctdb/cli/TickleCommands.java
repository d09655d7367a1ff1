package org.jctdb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.control.TickleControl;
import org.jctdb.ip.tickle.TcpEndpoint;
import org.jctdb.ip.tickle.TickleConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * gettickles, addtickle, deltickle as ctdb 4.17. Without arguments addtickle and deltickle read
 * "SRC-IP:PORT DST-IP:PORT" lines from the caller's standard input: the calling client (jctdb-fast
 * or the Java command) sends them after {@value #STDIN_MARK}.
 */
final class TickleCommands {
    /** Marks the caller's standard input lines in the argument list (never typed by a user). */
    static final String STDIN_MARK = "--stdin-lines";

    private TickleCommands() {}

    static TickleControl control(DaemonCommand c) {
        return c.api().tickles().orElseThrow(() -> new IllegalStateException("IP failover has not started"));
    }

    @Command(name = "gettickles", description = "Show the TCP connections known for a public address.")
    static final class GetTickles extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "IP")
        String ip;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PORT")
        Integer port;

        @Override
        public Integer call() throws Exception {
            String key = IpCommands.ipKey(this, ip);
            if (key == null) {
                return 1;
            }
            if (port != null && (port < 0 || port > 65535)) {
                err().println("Invalid port " + port);
                return 1;
            }
            List<TickleConnection> l =
                    control(this).list(key, port == null ? 0 : port).get(root().timeout, TimeUnit.SECONDS);
            if (l == null) { // ctdbd fails the control for an address it does not serve
                err().println("Control GET_TCP_TICKLE_LIST failed, ret=1");
                err().println("Failed to get list of connections");
                return 1;
            }
            OutputStyle s = style();
            if (s.machine()) {
                out().print(s.row("Source IP", "Port", "Destination IP", "Port"));
                for (TickleConnection c : l) {
                    out().print(s.row(
                            c.src().ip(), c.src().port(), c.dst().ip(), c.dst().port()));
                }
                return 0;
            }
            out().println("Connections for IP: " + key);
            out().println("Num connections: " + l.size());
            for (TickleConnection c : l) {
                out().println("SRC: " + c.src() + "   DST: " + c.dst());
            }
            return 0;
        }
    }

    /** addtickle and deltickle: one connection from the arguments, or a list from standard input. */
    abstract static class Change extends DaemonCommand {
        @Parameters(arity = "0..*", paramLabel = "SRC-IP:PORT DST-IP:PORT")
        List<String> args = List.of();

        @Option(names = STDIN_MARK, hidden = true)
        boolean stdin;

        abstract boolean add();

        @Override
        public Integer call() throws Exception {
            List<TickleConnection> conns = new ArrayList<>();
            if (stdin) {
                int n = 0;
                for (String line : args) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        conns.add(TickleConnection.parse(line));
                    } catch (IllegalArgumentException e) {
                        err().println("Invalid connection on line " + n + " of standard input: " + e.getMessage());
                        return 1;
                    }
                }
            } else {
                if (args.size() != 2) {
                    err().println("Usage: jctdb " + spec.name() + " <ip>:<port> <ip>:<port>");
                    return 1;
                }
                for (String a : args) {
                    try {
                        TcpEndpoint.parse(a);
                    } catch (IllegalArgumentException e) {
                        err().println("Invalid IP address " + a);
                        return 1;
                    }
                }
                conns.add(TickleConnection.parse(args.get(0) + " " + args.get(1)));
            }
            if (conns.isEmpty()) {
                return 0;
            }
            TickleControl t = control(this);
            List<TickleConnection> refused =
                    (add() ? t.add(conns) : t.remove(conns)).get(root().timeout, TimeUnit.SECONDS);
            if (refused.isEmpty()) {
                return 0;
            }
            if (stdin) {
                err().println("Failed to " + (add() ? "add " : "remove ") + refused.size() + " tickles");
            } else {
                err().println(add() ? "Failed to register connection" : "Failed to unregister connection");
            }
            return 1;
        }
    }

    @Command(name = "addtickle", description = "Add TCP connections to the tickle list of their public address.")
    static final class AddTickle extends Change {
        @Override
        boolean add() {
            return true;
        }
    }

    @Command(name = "deltickle", description = "Remove TCP connections from the tickle lists.")
    static final class DelTickle extends Change {
        @Override
        boolean add() {
            return false;
        }
    }
}
