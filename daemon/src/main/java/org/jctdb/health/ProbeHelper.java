package org.jctdb.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jctdb.common.Ticker;
import org.jctdb.os.ProcFs;

/**
 * The built-in probe's long-lived helper: one process per path (native {@code jctdb_probe}),
 * started like any probe (own session, from "/", see {@link ProbeProcess}), that stats the path
 * each time it is sent a request line and answers one line. An idle daemon so starts no process
 * per probe. At most one request is ever outstanding; the helper is never asked again once it
 * missed a deadline, said something unexpected or closed its output ("retired"): it is killed,
 * and a new helper starts only when nothing of the old one lives.
 *
 * <p>A reader thread of its own blocks on the helper's stdout (a pipe, never storage) and hands
 * each line, stamped with its arrival time, to the monitor's thread through {@code wake}.
 */
final class ProbeHelper {
    static final int MAX_LINE = 512;

    /** What the helper said, in the order it said it. */
    sealed interface Event permits Line, Closed {}

    /** One line of output; {@code text} is null when the line was longer than {@link #MAX_LINE}. */
    record Line(String text, long atMillis) implements Event {}

    /** End of the helper's output. */
    record Closed(long atMillis) implements Event {}

    /** A parsed answer line. */
    sealed interface Reply permits Answer, Garbled {}

    /** An answer to request {@code seq}: {@code detail} is the inode or the error. */
    record Answer(long seq, boolean ok, String detail) implements Reply {}

    /** Anything else: the helper is not to be trusted any more. */
    record Garbled(String why) implements Reply {}

    final ProbeProcess process;
    private final OutputStream requests;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private long seq;
    private volatile long sent; // requests written so far: the reader never takes more lines than that
    private long outstanding; // the request in flight, 0 for none (monitor thread only)
    private volatile boolean unanswered; // cleared by the reader at any line: for other threads
    private long sentAt;
    private boolean retired;

    private ProbeHelper(ProbeProcess process) {
        this.process = process;
        this.requests = process.process.getOutputStream();
    }

    /** Starts the helper for {@code path}; {@code wake} gets it (on the reader thread) after each event. */
    static ProbeHelper start(
            List<String> command, Path path, long now, ProcFs procFs, Ticker ticker, Consumer<ProbeHelper> wake)
            throws IOException {
        ProbeHelper h = new ProbeHelper(ProbeProcess.startHelper(command, path, now, procFs));
        Thread reader = new Thread(null, () -> h.read(ticker, () -> wake.accept(h)), "jctdb-probe-helper", 64 * 1024);
        reader.setDaemon(true);
        reader.start();
        return h;
    }

    /** Sends the next request (one short line: a pipe write that cannot block, nothing else is queued). */
    long request(long now) throws IOException {
        seq++;
        sentAt = now;
        outstanding = seq;
        unanswered = true;
        sent = seq; // before the write: its answer can only come after it
        requests.write((seq + "\n").getBytes(StandardCharsets.US_ASCII));
        requests.flush();
        return seq;
    }

    /** The request in flight, 0 when none (monitor thread). */
    long outstanding() {
        return outstanding;
    }

    /** Whether the helper has said nothing since the last request (any thread). */
    boolean unanswered() {
        return unanswered;
    }

    long sentAt() {
        return sentAt;
    }

    /** The request in flight got its answer (or never will from this helper). */
    void settled() {
        outstanding = 0;
    }

    /** Never asked again; the caller kills it. */
    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    Event poll() {
        return events.poll();
    }

    /**
     * One output line, judged against the request in flight: "SEQ ok INODE" or "SEQ err
     * MESSAGE", SEQ the request's number. Pure.
     */
    static Reply parse(String line, long expected) {
        if (line == null) {
            return new Garbled("an answer longer than " + MAX_LINE + " bytes");
        }
        String[] f = line.split(" ", 3);
        if (f.length < 2 || !digits(f[0], 19) || !(f[1].equals("ok") || f[1].equals("err"))) {
            return new Garbled("not \"SEQ ok|err ...\": " + printable(line));
        }
        long n;
        try {
            n = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            return new Garbled("sequence number out of range: " + printable(line));
        }
        if (expected == 0) {
            return new Garbled("an answer while nothing was asked: " + printable(line));
        }
        if (n != expected) {
            return new Garbled("answer to request " + n + " while " + expected + " was asked: " + printable(line));
        }
        boolean ok = f[1].equals("ok");
        String detail = f.length > 2 ? f[2] : "";
        if (ok && !digits(detail, 20)) {
            return new Garbled("\"ok\" without an inode number: " + printable(line));
        }
        if (!ok && detail.isBlank()) {
            return new Garbled("\"err\" without a message: " + printable(line));
        }
        return new Answer(n, ok, printable(detail));
    }

    /**
     * Whether s is 1 to max ASCII digits. Not String.matches: that compiles its pattern on every
     * call, and this runs on every answer (every 1.5 s).
     */
    static boolean digits(String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** At most 200 characters, control characters shown as '?': it goes into logs and status. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private void read(Ticker ticker, Runnable wake) {
        byte[] buf = new byte[MAX_LINE];
        int len = 0;
        long lines = 0;
        try (InputStream in = process.process.getInputStream()) {
            int c;
            while ((c = in.read()) >= 0) { // buffered by the JDK's process stream
                if (c == '\n') {
                    // Clear first: a re-check from another thread must see the answer at once.
                    unanswered = false;
                    events.add(new Line(new String(buf, 0, len, StandardCharsets.UTF_8), ticker.nowMillis()));
                    wake.run();
                    len = 0;
                    if (++lines > sent) {
                        break; // a line nobody asked for (judged garbled): stop before a flood fills memory
                    }
                } else if (len == MAX_LINE) {
                    unanswered = false;
                    events.add(new Line(null, ticker.nowMillis()));
                    break; // the monitor kills it: reading on would only buffer more of the same
                } else {
                    buf[len++] = (byte) c;
                }
            }
        } catch (IOException e) {
            // the stream was closed under us: same as its end
        }
        long end = ticker.nowMillis();
        try {
            // Its output ends a moment before it can be reaped: wait here (not on the monitor's
            // thread) so that its exit status can be told.
            process.process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.add(new Closed(end));
        wake.run();
    }
}
