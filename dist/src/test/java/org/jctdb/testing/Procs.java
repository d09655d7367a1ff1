package org.jctdb.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a process's scheduler state and wait channel from /proc. */
public final class Procs {
    /** The wait channel of a caller blocked on a FUSE request. */
    public static final String FUSE_WAIT = "request_wait_answer";

    private Procs() {}

    /** "S request_wait_answer" style: state letter, space, wchan; empty if gone or a zombie. */
    public static Optional<String> stateAndWchan(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 2)[0];
            if (state.equals("Z") || state.equals("X")) {
                return Optional.empty();
            }
            String wchan = Files.readString(Path.of("/proc", Long.toString(pid), "wchan"))
                    .strip();
            return Optional.of(state + " " + wchan);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True while pid waits for an answer from a FUSE daemon (state S or D). */
    public static boolean blockedInFuse(long pid) {
        return stateAndWchan(pid).map(s -> s.endsWith(" " + FUSE_WAIT)).orElse(false);
    }

    public static boolean alive(long pid) {
        return stateAndWchan(pid).isPresent();
    }
}
