package org.jctdb.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness.Result;

/** Runs Debian's programs (the ctdb tool, tdbdump, Samba's) against a node of a test cluster. */
final class CtdbTool {
    private CtdbTool() {}

    /** A reason to skip when one of {@code programs} is not installed. */
    static Optional<String> missing(String... programs) {
        List<String> absent = new ArrayList<>();
        for (String p : programs) {
            if (find(p).isEmpty()) {
                absent.add(p);
            }
        }
        return absent.isEmpty()
                ? Optional.empty()
                : Optional.of(
                        "not installed: " + String.join(", ", absent) + " (Debian: ctdb tdb-tools samba smbclient)");
    }

    static Optional<Path> find(String program) {
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The node's CTDB client socket as JCTDB places it under CTDB_BASE. */
    static Path socket(Path nodeDir) {
        return nodeDir.resolve("run").resolve("ctdbd.socket");
    }

    /** `ctdb ARGS` with CTDB_BASE = the node's directory and CTDB_SOCKET = its client socket. */
    static Result ctdb(Path nodeDir, String... args) throws IOException, InterruptedException {
        return ctdbWithInput(nodeDir, null, args);
    }

    static Result ctdbWithInput(Path nodeDir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(find("ctdb").orElseThrow().toString());
        cmd.addAll(List.of(args));
        return run(
                cmd,
                Map.of(
                        "CTDB_BASE",
                        nodeDir.toString(),
                        "CTDB_SOCKET",
                        socket(nodeDir).toString()),
                stdin,
                60);
    }

    static Result run(List<String> cmd, Map<String, String> env, String stdin, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CTDB_SOCKET");
        pb.environment().remove("CTDB_BASE");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("ctdb-out", ".txt");
        Path err = Files.createTempFile("ctdb-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not finish within " + timeoutSeconds + " s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
