package org.jctdb.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts helpers in their own process group and kills whole groups: SIGTERM, then SIGKILL. */
public final class ProcessGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroups.class);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    public static final long KILL_GRACE_MS = 500;

    private ProcessGroups() {}

    /**
     * Prefixes {@code setsid} when available: the helper then leads a new session and process
     * group whose id is its pid, so {@code kill -- -pid} reaches every process it started.
     * (setsid execs in place because a child of the JVM is never a group leader.)
     */
    public static List<String> inOwnGroup(List<String> argv) {
        if (!Files.isExecutable(SETSID)) {
            return argv;
        }
        List<String> out = new ArrayList<>();
        out.add(SETSID.toString());
        out.addAll(argv);
        return out;
    }

    public static boolean ownGroup(List<String> argv) {
        return !argv.isEmpty() && argv.get(0).equals(SETSID.toString());
    }

    /**
     * SIGTERM to the group now, SIGKILL after a short grace if anything is left. If the helper
     * already exited by itself, one SIGKILL to its group removes whatever it left behind.
     */
    public static void terminate(Process p, boolean ownGroup, ScheduledExecutorService timer) {
        long pid = p.pid();
        if (!p.isAlive()) {
            signal(pid, ownGroup, "KILL");
            return;
        }
        List<ProcessHandle> tree = p.descendants().toList(); // for the case without setsid
        signal(pid, ownGroup, "TERM");
        p.destroy();
        timer.schedule(
                () -> {
                    if (p.isAlive() || tree.stream().anyMatch(ProcessGroups::running)) {
                        LOG.warn(
                                "cluster lock helper pid {} still running {} ms after SIGTERM; sending SIGKILL",
                                pid,
                                KILL_GRACE_MS);
                        signal(pid, ownGroup, "KILL");
                        p.destroyForcibly();
                        tree.forEach(ProcessHandle::destroyForcibly);
                    }
                },
                KILL_GRACE_MS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Alive and not a zombie. An orphaned child that has exited stays a zombie until init reaps
     * it, and some container inits never do; {@link ProcessHandle#isAlive()} counts those as alive.
     */
    public static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone
        }
    }

    private static void signal(long pid, boolean ownGroup, String sig) {
        if (!ownGroup) {
            return;
        }
        try {
            Process k = new ProcessBuilder("kill", "-s", sig, "--", "-" + pid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!k.waitFor(2, TimeUnit.SECONDS)) {
                k.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("cannot run kill for process group {}: {}", pid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
