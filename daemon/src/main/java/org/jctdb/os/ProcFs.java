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
import java.util.function.IntPredicate;

/**
 * Reads process information from /proc. Only files that the kernel answers without touching the
 * process's memory or any filesystem it uses are read (stat, wchan, stack), so a process stuck
 * on a hung cluster filesystem cannot make these reads hang. Never reads cmdline or follows
 * cwd/exe/fd links.
 */
public final class ProcFs {
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
        return scan(s -> s == sid);
    }

    /** Alive members of a session: what keeps a script "running". */
    public List<ProcInfo> aliveInSession(int sid) {
        return session(sid).stream().filter(ProcInfo::alive).toList();
    }

    public List<ProcInfo> all() {
        return scan(null);
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
        if (!sessions.isEmpty()) {
            for (ProcInfo p : scan(sessions::contains)) {
                if (p.alive()) {
                    out.add(p.session());
                }
            }
        }
        return out;
    }

    /**
     * The processes whose session {@code wanted} accepts ({@code null}: every process). Only their stat
     * files are decoded and parsed in full; on the system's /proc the others are passed over after one
     * {@code getsid} call, without reading their stat file (the kill sequence asks every 50 ms).
     */
    private List<ProcInfo> scan(IntPredicate wanted) {
        List<ProcInfo> out = new ArrayList<>();
        boolean bySyscall = wanted != null && system && SessionIds.available();
        byte[] buf = new byte[STAT_BYTES];
        for (String name : pids()) {
            if (bySyscall && !wanted.test(SessionIds.of(Integer.parseInt(name)))) {
                continue; // another session, or gone (-1)
            }
            int len = read(name, buf);
            if (len <= 0) {
                continue; // exited meanwhile
            }
            if (wanted != null && !wanted.test(field(buf, len, lastParen(buf, len), SESSION_FIELD))) {
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
