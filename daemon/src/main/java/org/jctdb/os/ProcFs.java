package org.jctdb.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads process information from /proc. Only files that the kernel answers without touching the
 * process's memory or any filesystem it uses are read (stat, wchan, stack), so a process stuck
 * on a hung cluster filesystem cannot make these reads hang. Never reads cmdline or follows
 * cwd/exe/fd links.
 */
public final class ProcFs {
    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /** All processes whose session id is {@code sid} (alive or zombie). */
    public List<ProcInfo> session(int sid) {
        List<ProcInfo> out = new ArrayList<>();
        for (ProcInfo p : all()) {
            if (p.session() == sid) {
                out.add(p);
            }
        }
        return out;
    }

    /** Alive members of a session: what keeps a script "running". */
    public List<ProcInfo> aliveInSession(int sid) {
        return session(sid).stream().filter(ProcInfo::alive).toList();
    }

    public List<ProcInfo> all() {
        List<ProcInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                ProcInfo info = stat(p);
                if (info != null) {
                    out.add(info);
                }
            }
        } catch (IOException e) {
            // /proc unreadable: report nothing rather than fail the caller
        }
        return out;
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
