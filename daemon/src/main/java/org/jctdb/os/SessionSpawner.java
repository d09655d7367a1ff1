package org.jctdb.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a program as the leader of a new session with one exec: glibc's {@code posix_spawn} with
 * {@code POSIX_SPAWN_SETSID}, bound through JNA, instead of the JDK's start of util-linux
 * {@code setsid}, which then execs the program (an exec, a dynamic link and a locale load more per
 * start, about 0.65 ms of CPU here). In the child, before the exec: stdin from /dev/null, stdout and
 * stderr to one local file (never a pipe), cwd {@code /}, every other descriptor closed, every
 * signal at its default and none blocked. Whether the exec failed is known when {@link #start}
 * returns (posix_spawn reports its errno). The child is reaped by a blocking {@code waitpid} on a
 * small pool of reused threads, so a start creates no thread (the JDK's {@code Process.onExit}
 * creates one per call on a machine of two cores or fewer).
 *
 * <p>Needs glibc 2.34 or later on Linux x86-64 or AArch64 ({@code addclosefrom_np}); {@link #get()}
 * is empty elsewhere and callers keep the JDK's ProcessBuilder through {@code setsid}.
 */
public final class SessionSpawner {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSpawner.class);
    private static final Optional<SessionSpawner> INSTANCE = load();

    // glibc's values (the same on x86-64 and AArch64)
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int SIGKILL = 9;
    private static final int EINTR = 4;
    private static final int ENOEXEC = 8;
    /** Larger than glibc's posix_spawnattr_t (336 bytes), file actions (80) and sigset_t (128). */
    private static final int ATTR_BYTES = 512;

    private static final int FILE_ACTIONS_BYTES = 256;
    private static final int SIGSET_BYTES = 256;

    /** Built once and only read by posix_spawn: flags, an empty mask, every signal to default. */
    private final Memory attr = new Memory(ATTR_BYTES);

    private final ThreadPoolExecutor reapers;

    // used by start() only, which is synchronized
    private final Memory actions = new Memory(FILE_ACTIONS_BYTES);
    private Map<String, String> lastEnv;
    private Memory lastEnvp;

    private SessionSpawner() {
        Memory sigs = new Memory(SIGSET_BYTES);
        check(posix_spawnattr_init(attr), "posix_spawnattr_init");
        check(
                posix_spawnattr_setflags(
                        attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
                "posix_spawnattr_setflags");
        check(sigemptyset(sigs), "sigemptyset");
        check(posix_spawnattr_setsigmask(attr, sigs), "posix_spawnattr_setsigmask");
        check(sigfillset(sigs), "sigfillset");
        check(posix_spawnattr_setsigdefault(attr, sigs), "posix_spawnattr_setsigdefault");
        reapers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(null, r, "jctdb-reaper", 256 * 1024);
            t.setDaemon(true);
            return t;
        });
    }

    /** The spawner, when this platform's libc has what it needs. */
    public static Optional<SessionSpawner> get() {
        return INSTANCE;
    }

    private static Optional<SessionSpawner> load() {
        try {
            if (!Platform.isLinux() || !(Platform.isIntel() || Platform.isARM()) || Native.POINTER_SIZE != 8) {
                return Optional.empty();
            }
            Native.register(SessionSpawner.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return Optional.of(new SessionSpawner());
        } catch (LinkageError | RuntimeException e) {
            // a missing symbol (glibc < 2.34), or JNA's own library not loadable (then NoClassDefFoundError)
            LOG.warn(
                    "posix_spawn with POSIX_SPAWN_SETSID unavailable ({}); scripts start through setsid", e.toString());
            return Optional.empty();
        }
    }

    /**
     * Starts {@code argv} (argv[0] an absolute path, not searched in PATH) with exactly {@code env}
     * as its environment. A file without {@code #!} line runs under /bin/sh, as the JDK and execvp do.
     *
     * @throws IOException "Cannot run program "...": error=N, text" when the exec (or the output
     *     file's open) failed; nothing runs then
     */
    public synchronized Process start(List<String> argv, Map<String, String> env, Path output) throws IOException {
        if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
            throw new IllegalArgumentException("program must be an absolute path: " + argv);
        }
        Memory envp = environment(env);
        int[] pid = new int[1];
        int rc = spawn(pid, argv, envp, output.toString());
        if (rc == ENOEXEC) {
            List<String> viaShell = new ArrayList<>(argv.size() + 1);
            viaShell.add("/bin/sh");
            viaShell.addAll(argv);
            rc = spawn(pid, viaShell, envp, output.toString());
        }
        Reference.reachabilityFence(envp);
        if (rc != 0) {
            throw new IOException("Cannot run program \"" + argv.get(0) + "\": error=" + rc + ", " + strerror(rc));
        }
        // Not reaped yet, so the pid is still ours: the handle (pid and start time) is exact.
        Optional<ProcessHandle> handle = ProcessHandle.of(pid[0]);
        if (handle.isEmpty()) { // only without /proc
            kill(pid[0], SIGKILL);
        }
        SpawnedProcess p = new SpawnedProcess(pid[0], handle.orElse(null));
        reapers.execute(() -> p.exited(reap(pid[0])));
        if (handle.isEmpty()) {
            throw new IOException("Cannot run program \"" + argv.get(0) + "\": error=3, started but not in /proc");
        }
        return p;
    }

    /**
     * The environment as a native {@code envp}, built again only when it differs from the last one
     * (scripts of one event, and of every event of one generation, share one).
     */
    private Memory environment(Map<String, String> env) {
        if (!env.equals(lastEnv)) {
            List<String> entries = new ArrayList<>(env.size());
            env.forEach((name, value) -> {
                if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("invalid environment variable: " + name);
                }
                entries.add(name + "=" + value);
            });
            if (lastEnvp != null) {
                lastEnvp.close();
            }
            lastEnvp = cStrings(entries);
            lastEnv = Map.copyOf(env);
        }
        return lastEnvp;
    }

    /** A NULL-terminated array of C strings and the strings themselves, in one native block. */
    static Memory cStrings(List<String> strings) {
        List<byte[]> bytes = new ArrayList<>(strings.size());
        long table = (long) (strings.size() + 1) * Native.POINTER_SIZE;
        long size = table;
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            bytes.add(b);
            size += b.length + 1;
        }
        Memory m = new Memory(size);
        long at = table;
        for (int i = 0; i < bytes.size(); i++) {
            byte[] b = bytes.get(i);
            m.setPointer((long) i * Native.POINTER_SIZE, m.share(at));
            m.write(at, b, 0, b.length);
            m.setByte(at + b.length, (byte) 0);
            at += b.length + 1;
        }
        m.setPointer((long) bytes.size() * Native.POINTER_SIZE, null);
        return m;
    }

    private int spawn(int[] pid, List<String> argv, Memory envp, String output) {
        int rc = posix_spawn_file_actions_init(actions);
        if (rc != 0) {
            return rc;
        }
        try (Memory args = cStrings(argv)) { // freed here, not later by JNA's cleaner thread
            rc = posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0);
            rc = rc != 0
                    ? rc
                    : posix_spawn_file_actions_addopen(actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0666);
            rc = rc != 0 ? rc : posix_spawn_file_actions_adddup2(actions, 1, 2);
            rc = rc != 0 ? rc : posix_spawn_file_actions_addchdir_np(actions, "/");
            rc = rc != 0 ? rc : posix_spawn_file_actions_addclosefrom_np(actions, 3);
            return rc != 0 ? rc : posix_spawn(pid, argv.get(0), actions, attr, args, envp);
        } finally {
            posix_spawn_file_actions_destroy(actions);
        }
    }

    /** Waits for the child; the exit code, or 128 + signal for a child killed by a signal (as the JDK reports). */
    private static int reap(int pid) {
        int[] status = new int[1];
        while (true) {
            try {
                waitpid(pid, status, 0);
                int s = status[0];
                int sig = s & 0x7f;
                return sig == 0 ? (s >> 8) & 0xff : 0x80 + sig;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    LOG.error("waitpid({}) failed: {}", pid, e.getMessage());
                    return 0x80 + 0x7f;
                }
            }
        }
    }

    private static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException(call + " failed: " + rc);
        }
    }

    private static native int posix_spawn(
            int[] pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

    private static native int posix_spawnattr_init(Pointer attr);

    private static native int posix_spawnattr_setflags(Pointer attr, short flags);

    private static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    private static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    private static native int posix_spawn_file_actions_init(Pointer actions);

    private static native int posix_spawn_file_actions_destroy(Pointer actions);

    private static native int posix_spawn_file_actions_addopen(
            Pointer actions, int fd, String path, int flags, int mode);

    private static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    private static native int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    private static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    private static native int sigemptyset(Pointer set);

    private static native int sigfillset(Pointer set);

    private static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

    private static native int kill(int pid, int signal);

    private static native String strerror(int errno);
}
