package org.jctdb.lab;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Runs a short external command with a deadline; on timeout its whole tree is killed. */
public final class Commands {
    private static final Duration KILL_GRACE = Duration.ofMillis(500);

    private Commands() {}

    /** Exit status and merged stdout+stderr of a finished command; exit -1 means timed out. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        public Result requireOk() throws IOException {
            if (!ok()) {
                throw new IOException(String.join(" ", command) + " failed with exit " + exitCode
                        + (exitCode == -1 ? " (timed out)" : "") + ": " + output.strip());
            }
            return this;
        }
    }

    public static Result run(Duration deadline, String... command) throws IOException {
        return run(deadline, List.of(command));
    }

    public static Result run(Duration deadline, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "cmd-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished = waitUninterruptibly(p, deadline);
        if (!finished) {
            killTree(p);
        }
        joinUninterruptibly(reader, KILL_GRACE);
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        return new Result(List.copyOf(command), finished ? p.exitValue() : -1, text);
    }

    /** SIGTERM the process and its descendants, SIGKILL whatever is left after a grace. */
    public static void killTree(Process p) {
        killTree(p.toHandle());
    }

    public static void killTree(ProcessHandle h) {
        List<ProcessHandle> all = new ArrayList<>(h.descendants().toList());
        all.add(h);
        all.forEach(ProcessHandle::destroy);
        long until = System.nanoTime() + KILL_GRACE.toNanos();
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < until) {
            parkBriefly();
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Waits without giving up early on interrupt; the interrupt flag is restored after. */
    public static boolean waitUninterruptibly(Process p, Duration timeout) {
        boolean interrupted = false;
        long until = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                try {
                    return p.waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void joinUninterruptibly(Thread t, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (t.isAlive() && System.nanoTime() < until) {
            parkBriefly();
        }
    }

    public static void parkBriefly() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process went away; what was read so far is the output
        }
    }
}
