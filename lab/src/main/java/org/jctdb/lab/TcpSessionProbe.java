package org.jctdb.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client with a long-lived TCP connection to a public address feels when the address
 * moves (as an SMB or NFS client keeps one): a python3 client in the client namespace holds one
 * connection, sends a line every {@code periodMs} (0: never, an idle client) and reads the
 * echo; when the connection fails (reset, closed) it says so and connects again at once. The
 * servers are line echoes on every node ({@link #echoServer}). Times are CLOCK_MONOTONIC
 * nanoseconds, the clock of {@link System#nanoTime} (the same in every network namespace).
 */
public final class TcpSessionProbe implements AutoCloseable {
    /** One line of the client: connected, failed (with the error's name) or reconnected. */
    public record Event(String kind, long nanos, String detail) {}

    private static final String CLIENT = String.join(
            "\n",
            "import socket, sys, time",
            "ip, port, period = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) / 1000",
            "def say(*a): print(*a, flush=True)",
            "def connect():",
            "    while True:",
            "        try:",
            "            s = socket.create_connection((ip, port), timeout=0.2)",
            "            s.settimeout(0.01)",
            "            return s",
            "        except OSError:",
            "            time.sleep(0.01)",
            "s = connect()",
            "say('connected', time.monotonic_ns(), '%s:%d' % s.getsockname())",
            "due = time.monotonic() + period",
            "while True:",
            "    try:",
            "        if period > 0 and time.monotonic() >= due:",
            "            s.send(b'ping\\n')",
            "            due += period",
            "        try:",
            "            if not s.recv(4096):",
            "                raise ConnectionAbortedError('closed by the server')",
            "        except socket.timeout:",
            "            pass",
            "    except OSError as e:",
            "        say('failed', time.monotonic_ns(), type(e).__name__)",
            "        s.close()",
            "        s = connect()",
            "        say('reconnected', time.monotonic_ns(), '%s:%d' % s.getsockname())",
            "        due = time.monotonic() + period",
            "");

    private static final String SERVER = String.join(
            "\n",
            "import socket, sys, threading",
            "srv = socket.socket()",
            "srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "srv.bind(('0.0.0.0', int(sys.argv[1])))",
            "srv.listen(64)",
            "def echo(c):",
            "    try:",
            "        while True:",
            "            d = c.recv(4096)",
            "            if not d:",
            "                break",
            "            c.sendall(d)",
            "    except OSError:",
            "        pass",
            "    c.close()",
            "while True:",
            "    c, _ = srv.accept()",
            "    threading.Thread(target=echo, args=(c,), daemon=True).start()",
            "");

    private final Process process;
    private final List<Event> events = new ArrayList<>();

    private TcpSessionProbe(Process process) {
        this.process = process;
    }

    /** A line echo server on {@code port} in namespace {@code ns}; the caller destroys it. */
    public static Process echoServer(String ns, int port) throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c", SERVER, String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Starts the client in {@code clientNs} against {@code ip}:{@code port}. */
    public static TcpSessionProbe start(String clientNs, String ip, int port, long periodMs) throws IOException {
        Process p = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        clientNs,
                        "python3",
                        "-u",
                        "-c",
                        CLIENT,
                        ip,
                        String.valueOf(port),
                        String.valueOf(periodMs))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        TcpSessionProbe probe = new TcpSessionProbe(p);
        Thread t = new Thread(probe::read, "tcp-session-probe");
        t.setDaemon(true);
        t.start();
        return probe;
    }

    private void read() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ", 3);
                if (f.length == 3) {
                    try {
                        Event e = new Event(f[0], Long.parseLong(f[1]), f[2]);
                        synchronized (events) {
                            events.add(e);
                        }
                    } catch (NumberFormatException ex) {
                        // not one of ours
                    }
                }
            }
        } catch (IOException e) {
            // the client ended
        }
    }

    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The first event of {@code kind} at or after {@code fromNanos}. */
    public Optional<Event> first(String kind, long fromNanos) {
        for (Event e : events()) {
            if (e.kind().equals(kind) && e.nanos() >= fromNanos) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        Commands.killTree(process);
    }
}
