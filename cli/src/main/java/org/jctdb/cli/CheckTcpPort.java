package org.jctdb.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * checktcpport PORT, as ctdb 4.17 (the Java path; jctdb-fast answers it in C): binds an IPv4
 * TCP socket to PORT on every address, without SO_REUSEADDR, and exits with bind's errno: 98
 * (EADDRINUSE) when something listens there, 0 when the port is free. A port that is not a
 * number is port 0, as ctdb's atoi makes it.
 */
@Command(name = "checktcpport", description = "Check whether a service is bound to a TCP port (exit 98 if so).")
final class CheckTcpPort implements Callable<Integer> {
    static final int EADDRINUSE = 98;
    static final int EACCES = 13;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PORT")
    List<String> args = List.of();

    @Override
    public Integer call() {
        if (args.size() != 1) {
            spec.commandLine().getOut().println("Usage: jctdb checktcpport <port>");
            return 1;
        }
        int port = atoi(args.get(0)) & 0xffff;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET)) {
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress("0.0.0.0", port));
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("Failed to bind to TCP port " + port);
            return errno(e);
        }
    }

    /** C's atoi: optional sign and leading digits, 0 when there are none. */
    static int atoi(String s) {
        String t = s.strip();
        int i = 0;
        boolean negative = false;
        if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
            negative = t.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < t.length() && Character.isDigit(t.charAt(i)) && v < Integer.MAX_VALUE; i++) {
            v = v * 10 + (t.charAt(i) - '0');
        }
        return (int) (negative ? -v : v);
    }

    /** The errno behind a failed bind, from what the JDK says. */
    static int errno(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof BindException && m.contains("in use")) {
            return EADDRINUSE;
        }
        if (m.contains("permission denied")) {
            return EACCES;
        }
        return 1;
    }
}
