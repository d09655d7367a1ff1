package org.jctdb.lock;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jctdb.leader.LockResult;
import org.jctdb.os.ProcessGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster lock held by a helper process, speaking CTDB's cluster mutex helper protocol: the
 * helper writes one character on stdout ('0' taken, '1' contention, '2' timeout, '3' error);
 * end of output before that is an error; after '0' the lock is held until the helper exits
 * (reported LOST unless we released it); SIGTERM to its process group releases it. Its stderr
 * goes to our log. JCTDB extension, harmless for other helpers: a stderr line starting with
 * "jctdb-status: unresponsive" / "jctdb-status: responsive" reports UNRESPONSIVE /
 * RESPONSIVE_AGAIN.
 *
 * <p>Never two helpers at once: a killed helper that has not exited yet (stuck in a hung file
 * system) delays the next attempt, which then fails with TIMEOUT at its deadline.
 */
public final class HelperProcessLock implements ClusterLock {
    private static final Logger LOG = LoggerFactory.getLogger(HelperProcessLock.class);
    private static final int MAX_STDERR_LINE = 4096;
    static final String UNRESPONSIVE_PREFIX = "jctdb-status: unresponsive";
    static final String RESPONSIVE_PREFIX = "jctdb-status: responsive";

    /**
     * @param acquireTimeoutMs        deadline for the helper's first character
     * @param heartbeatSilenceSeconds 0: none; else {@link #heartbeat()} writes one byte to the holding
     *     helper's stdin, and our fcntl helper (given this as its fourth argument) gives the lock up
     *     after this long without one
     */
    public record Timing(long acquireTimeoutMs, int heartbeatSilenceSeconds) {
        public Timing(long acquireTimeoutMs) {
            this(acquireTimeoutMs, 0);
        }

        public static Timing defaults() {
            return new Timing(10_000);
        }

        public Timing withHeartbeat(int silenceSeconds) {
            return new Timing(acquireTimeoutMs, silenceSeconds);
        }
    }

    private enum State {
        WAITING_FOR_OLD,
        ACQUIRING,
        HELD
    }

    private final class Attempt {
        final long id;
        State state;
        Process process;
        boolean ownGroup;
        ScheduledFuture<?> deadline;

        Attempt(long id) {
            this.id = id;
        }
    }

    private final String description;
    private final List<String> argv;
    private final LockListener listener;
    private final Timing timing;
    private final ScheduledExecutorService timer;
    private Attempt current;
    private Process lingering; // killed, maybe not exited yet
    private long nextId;
    private boolean closed;

    public HelperProcessLock(String description, List<String> argv, LockListener listener, Timing timing) {
        this.description = description;
        this.argv = List.copyOf(argv);
        this.listener = listener;
        this.timing = timing;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-lock-timer");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String description() {
        return description;
    }

    /** The pid of the helper currently holding or taking the lock, for status and tests. */
    public synchronized OptionalLong helperPid() {
        return current == null || current.process == null
                ? OptionalLong.empty()
                : OptionalLong.of(current.process.pid());
    }

    @Override
    public synchronized void acquire() {
        if (closed) {
            listener.onLockResult(LockResult.ERROR, description + ": lock is closed");
            return;
        }
        if (current != null) {
            if (current.state == State.HELD) {
                listener.onLockResult(LockResult.TAKEN, description + ": already held");
            }
            return; // one attempt in flight
        }
        Attempt a = new Attempt(++nextId);
        current = a;
        a.deadline = timer.schedule(() -> deadlinePassed(a), timing.acquireTimeoutMs(), TimeUnit.MILLISECONDS);
        if (lingering != null && lingering.isAlive()) {
            a.state = State.WAITING_FOR_OLD;
            LOG.warn(
                    "{}: previous helper pid {} has not exited yet; waiting for it before starting another",
                    description,
                    lingering.pid());
            lingering.onExit().thenRun(() -> startWhenCurrent(a));
            return;
        }
        start(a);
    }

    private synchronized void startWhenCurrent(Attempt a) {
        if (current == a && a.state == State.WAITING_FOR_OLD) {
            start(a);
        }
    }

    private void start(Attempt a) {
        a.state = State.ACQUIRING;
        if (!Files.isExecutable(Path.of(argv.get(0)))) {
            finish(a, LockResult.ERROR, "cannot start helper " + argv.get(0) + ": not an executable file");
            return;
        }
        List<String> cmd = ProcessGroups.inOwnGroup(argv);
        a.ownGroup = ProcessGroups.ownGroup(cmd);
        try {
            a.process = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            finish(a, LockResult.ERROR, "cannot start helper " + argv.get(0) + ": " + e.getMessage());
            return;
        }
        long pid = a.process.pid();
        Thread out = new Thread(() -> readStdout(a), "cluster-lock-helper-" + pid + "-stdout");
        Thread err = new Thread(() -> readStderr(a), "cluster-lock-helper-" + pid + "-stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /**
     * One byte to the holding helper's stdin, when heartbeats are configured. A pipe holds 64 KiB, hours
     * of heartbeats, and the helper reads them every second, so this does not block; a helper that has
     * exited makes it fail, and its end is reported as LOST by the stdout reader.
     */
    @Override
    public synchronized void heartbeat() {
        Attempt a = current;
        if (timing.heartbeatSilenceSeconds() <= 0 || a == null || a.state != State.HELD || a.process == null) {
            return;
        }
        try {
            a.process.getOutputStream().write('.');
            a.process.getOutputStream().flush();
        } catch (IOException e) {
            LOG.debug("{}: heartbeat to helper pid {} failed: {}", description, a.process.pid(), e.toString());
        }
    }

    @Override
    public synchronized void release() {
        Attempt a = current;
        if (a == null) {
            return;
        }
        current = null;
        a.deadline.cancel(false);
        if (a.process != null) {
            LOG.info("{}: releasing (stopping helper pid {})", description, a.process.pid());
            kill(a);
        }
    }

    @Override
    public synchronized void close() {
        release();
        closed = true;
        timer.schedule(timer::shutdown, ProcessGroups.KILL_GRACE_MS * 2, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ helper I/O

    private void readStdout(Attempt a) {
        InputStream in = a.process.getInputStream();
        try {
            int c = in.read();
            // An error answer or EOF: wait for the exit status here, never under the monitor.
            String note = c == '3' || c == -1 ? exitNote(a) : "";
            if (!firstAnswer(a, c, note)) {
                return;
            }
            int more;
            while ((more = in.read()) >= 0) {
                LOG.warn(
                        "{}: helper pid {} wrote extra byte 0x{} after taking the lock; ignored",
                        description,
                        a.process.pid(),
                        Integer.toHexString(more));
            }
        } catch (IOException e) {
            LOG.warn("{}: reading helper output failed: {}", description, e.toString());
        }
        ended(a, exitNote(a));
    }

    /** Returns true when the lock was taken and the helper must be watched further. */
    private synchronized boolean firstAnswer(Attempt a, int c, String exitNote) {
        if (current != a) {
            return false;
        }
        switch (c) {
            case '0' -> {
                a.state = State.HELD;
                a.deadline.cancel(false);
                listener.onLockResult(LockResult.TAKEN, description + ": taken by helper pid " + a.process.pid());
                return true;
            }
            case '1' -> finish(a, LockResult.CONTENTION, "held elsewhere (helper answered 1: contention)");
            case '2' -> finish(a, LockResult.TIMEOUT, "helper answered 2: timeout");
            case '3' -> finish(a, LockResult.ERROR, "helper answered 3: error" + exitNote);
            case -1 -> finish(a, LockResult.ERROR, "helper exited before answering" + exitNote);
            default ->
                finish(
                        a,
                        LockResult.ERROR,
                        "helper wrote unexpected byte 0x" + Integer.toHexString(c) + printable(c)
                                + " instead of one of 0/1/2/3");
        }
        return false;
    }

    private synchronized void ended(Attempt a, String exitNote) {
        if (current != a || a.state != State.HELD) {
            return;
        }
        current = null;
        kill(a); // anything it left behind in its group
        listener.onLockResult(
                LockResult.LOST,
                description + ": helper pid " + a.process.pid() + " ended while holding the lock" + exitNote);
    }

    private void readStderr(Attempt a) {
        long pid = a.process.pid();
        try (Reader r = new InputStreamReader(a.process.getErrorStream(), StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = r.read()) >= 0) {
                if (c == '\n' || line.length() >= MAX_STDERR_LINE) {
                    stderrLine(a, pid, line.toString());
                    line.setLength(0);
                    if (c == '\n') {
                        continue;
                    }
                }
                line.append((char) c);
            }
            if (line.length() > 0) {
                stderrLine(a, pid, line.toString());
            }
        } catch (IOException e) {
            LOG.debug("{}: helper pid {} stderr closed: {}", description, pid, e.toString());
        }
    }

    private void stderrLine(Attempt a, long pid, String line) {
        LOG.warn("{}: helper pid {}: {}", description, pid, line);
        LockResult r = line.startsWith(UNRESPONSIVE_PREFIX)
                ? LockResult.UNRESPONSIVE
                : line.startsWith(RESPONSIVE_PREFIX) ? LockResult.RESPONSIVE_AGAIN : null;
        if (r != null) {
            synchronized (this) {
                if (current == a && a.state == State.HELD) {
                    listener.onLockResult(r, description + ": " + line);
                }
            }
        }
    }

    // ------------------------------------------------------------------ endings

    private synchronized void deadlinePassed(Attempt a) {
        if (current != a || a.state == State.HELD) {
            return;
        }
        String who = a.process == null
                ? "the previous helper still had not exited"
                : "helper pid " + a.process.pid() + " did not answer";
        finish(a, LockResult.TIMEOUT, who + " within " + timing.acquireTimeoutMs() + " ms; process group killed");
    }

    private void finish(Attempt a, LockResult result, String detail) {
        current = null;
        a.deadline.cancel(false);
        if (a.process != null) {
            kill(a);
        }
        String text = description + ": " + detail;
        if (result == LockResult.CONTENTION) {
            LOG.debug(text);
        } else {
            LOG.warn(text);
        }
        listener.onLockResult(result, text);
    }

    private void kill(Attempt a) {
        lingering = a.process;
        ProcessGroups.terminate(a.process, a.ownGroup, timer);
    }

    /** Waits up to 200 ms for the helper's exit status; call it holding no lock. */
    private static String exitNote(Attempt a) {
        try {
            if (a.process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return " (exit status " + a.process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    private static String printable(int c) {
        return c >= 0x20 && c < 0x7f ? " ('" + (char) c + "')" : "";
    }
}
