package org.jctdb.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of our small C helpers (gratuitous ARP, raw TCP segments) to completion with a
 * deadline: SIGTERM at the deadline, SIGKILL half a second later (the helpers never fork).
 * Blocks the calling thread: call it from a worker, never the core thread.
 */
final class HelperRun {
    private static final long KILL_GRACE_MS = 500;

    private HelperRun() {}

    /** Runs {@code argv} with {@code stdin} as its input; "" on success, else what went wrong. */
    static String run(List<String> argv, String stdin, long deadlineMs) {
        Path helper = Path.of(argv.get(0));
        if (!Files.isExecutable(helper)) {
            return helper + " is not built (mvn package)";
        }
        Path inFile = null;
        Path errFile = null;
        try {
            inFile = Files.createTempFile("jctdb-helper", ".in");
            Files.writeString(inFile, stdin, StandardCharsets.UTF_8);
            errFile = Files.createTempFile("jctdb-helper", ".err");
            Process p = new ProcessBuilder(argv)
                    .directory(new File("/"))
                    .redirectInput(inFile.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errFile.toFile())
                    .start();
            if (!p.waitFor(deadlineMs, TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(KILL_GRACE_MS, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
                return "no answer within " + deadlineMs + " ms; killed";
            }
            String err = Files.readString(errFile, StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? "" : (err.isEmpty() ? "exit " + p.exitValue() : err);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            deleteQuietly(inFile);
            deleteQuietly(errFile);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp file left behind
            }
        }
    }
}
