package org.jctdb.os;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads process information from /proc. Only files that the kernel answers without touching the
 * process's memory or any filesystem it uses are read (stat, wchan, stack), so a process stuck
 * on a hung cluster filesystem cannot make these reads hang. Never reads cmdline or follows
 * cwd/exe/fd links.
 */
public final class ProcFs {
    private static final int ANY_SESSION = Integer.MIN_VALUE;
    /** Fields after the command name: state, ppid, pgrp, session. */
    private static final int SESSION_FIELD = 3;
    /** A stat line is about 300 bytes; 52 fields of at most 20 digits and a 64-byte name fit. */
    private static final int STAT_BYTES = 2048;

    private final Path root;
    /** The system's /proc, whose pids getsid understands. */
    private final boolean system;

    public ProcFs(Path root) {
        this.root = root;
        this.system = root.toAbsolutePath().normalize().equals(Path.of("/proc"));
    }

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /** All processes whose session id is {@code sid} (alive or zombie). */
    public List<ProcInfo> session(int sid) {
        return scan(sid);
    }

    /** Alive members of a session: what keeps a script "running". */
    public List<ProcInfo> aliveInSession(int sid) {
        return session(sid).stream().filter(ProcInfo::alive).toList();
    }

    public List<ProcInfo> all() {
        return scan(ANY_SESSION);
    }

    /**
     * Which of {@code sessions} still hold a live process (not a zombie). The event engine asks once
     * per event about the sessions of its scripts' previous runs, while /proc lists every process of
     * the host (hundreds on a file server): on the system's /proc each process's session comes from
     * one {@code getsid} call, and only a process found in one of {@code sessions} has its stat file
     * read (its state: zombies do not count).
     */
    public Set<Integer> liveSessionsAmong(Set<Integer> sessions) {
        Set<Integer> out = new HashSet<>();
        if (sessions.isEmpty()) {
            return out;
        }
        boolean bySyscall = system && SessionIds.available();
        byte[] buf = new byte[STAT_BYTES];
        for (String name : pids()) {
            if (bySyscall) {
                int sid = SessionIds.of(Integer.parseInt(name));
                if (sid < 0 || !sessions.contains(sid) || out.contains(sid)) {
                    continue; // gone, or in no session asked about
                }
            }
            int len = read(name, buf);
            int close = lastParen(buf, len);
            if (close > 0 && alive(buf[close + 2])) {
                int sid = field(buf, len, close, SESSION_FIELD);
                if (sessions.contains(sid)) {
                    out.add(sid);
                }
            }
        }
        return out;
    }

    private List<ProcInfo> scan(int sid) {
        List<ProcInfo> out = new ArrayList<>();
        boolean bySyscall = sid != ANY_SESSION && system && SessionIds.available();
        byte[] buf = new byte[STAT_BYTES];
        for (String name : pids()) {
            if (bySyscall && SessionIds.of(Integer.parseInt(name)) != sid) {
                continue; // another session, or gone: no stat file read (the kill sequence asks every 50 ms)
            }
            int len = read(name, buf);
            if (len <= 0) {
                continue; // exited meanwhile
            }
            // only the processes asked for are decoded and parsed in full
            if (sid != ANY_SESSION && field(buf, len, lastParen(buf, len), SESSION_FIELD) != sid) {
                continue;
            }
            ProcInfo info = ProcStatParser.parse(new String(buf, 0, len, StandardCharsets.UTF_8));
            if (info != null) {
                out.add(info);
            }
        }
        return out;
    }

    private String[] pids() {
        String[] names = root.toFile().list((dir, name) -> !name.isEmpty() && Character.isDigit(name.charAt(0)));
        return names == null ? new String[0] : names; // /proc unreadable: report nothing rather than fail
    }

    /** The stat line of one process into {@code buf}; its length, or -1 when gone or longer than buf. */
    private int read(String pid, byte[] buf) {
        try (FileInputStream in = new FileInputStream(root.toString() + "/" + pid + "/stat")) {
            int len = 0;
            int n;
            while (len < buf.length && (n = in.read(buf, len, buf.length - len)) > 0) {
                len += n;
            }
            return len < buf.length ? len : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Index of the ')' closing the command name (which may itself hold parentheses), or -1. */
    private static int lastParen(byte[] buf, int len) {
        for (int i = len - 1; i > 0; i--) {
            if (buf[i] == ')') {
                return i + 2 < len ? i : -1;
            }
        }
        return -1;
    }

    /** Field {@code k} after the command name (0 = state), as a non-negative int, or -1. */
    private static int field(byte[] buf, int len, int close, int k) {
        if (close < 0) {
            return -1;
        }
        int i = close + 2;
        for (int skipped = 0; skipped < k; i++) {
            if (i >= len) {
                return -1;
            }
            if (buf[i] == ' ') {
                skipped++;
            }
        }
        long v = 0;
        int start = i;
        for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
            v = v * 10 + (buf[i] - '0');
            if (v > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return i > start ? (int) v : -1;
    }

    private static boolean alive(byte state) {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    public ProcInfo stat(int pid) {
        return stat(root.resolve(Integer.toString(pid)));
    }

    private static ProcInfo stat(Path dir) {
        try {
            return ProcStatParser.parse(Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return null; // exited meanwhile
        }
    }

    /** Adds wchan and kernel stack (stack needs root; empty when unreadable). */
    public ProcInfo withEvidence(ProcInfo p) {
        Path dir = root.resolve(Integer.toString(p.pid()));
        String wchan = readSmall(dir.resolve("wchan")).trim();
        String stack = readSmall(dir.resolve("stack"));
        List<String> lines = stack.isBlank()
                ? List.of()
                : Arrays.stream(stack.split("\n"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
        return p.withDetails(wchan, lines);
    }

    private static String readSmall(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
