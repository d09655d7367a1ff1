package org.jctdb.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jctdb.lab.Commands;

/**
 * A stand-in for one cluster node in tests: a long-lived {@code sh -s}, optionally inside a
 * network namespace, whose background jobs are all its descendants. Register its pid (or its
 * namespace) with {@link ClusterFs} to attribute every job to the node.
 */
public final class NodeShell implements AutoCloseable {
    private static final Duration PID_TIMEOUT = Duration.ofSeconds(10);

    private final Process shell;
    private final OutputStream stdin;
    private final Path dir;
    private int jobs;

    private NodeShell(Process shell, Path dir) {
        this.shell = shell;
        this.stdin = shell.getOutputStream();
        this.dir = dir;
    }

    /** A shell in the current namespaces. Job files go to workDir (not on a frozen mount!). */
    public static NodeShell start(Path workDir) throws IOException {
        return start(workDir, List.of());
    }

    /** A shell inside network namespace {@code netns} (via {@code ip netns exec}). */
    public static NodeShell startInNetns(Path workDir, String netns) throws IOException {
        return start(workDir, List.of("ip", "netns", "exec", netns));
    }

    private static NodeShell start(Path workDir, List<String> prefix) throws IOException {
        Files.createDirectories(workDir);
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("/bin/sh", "-s"));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("shell.out").toFile())
                .start();
        return new NodeShell(p, workDir);
    }

    /** The node's root process: the shell itself ({@code ip netns exec} execs into it). */
    public long pid() {
        return shell.pid();
    }

    /** Starts {@code command} (a shell command line) in the background of this node. */
    public synchronized Job run(String command) throws IOException {
        int id = ++jobs;
        Path script = dir.resolve("job-" + id + ".sh");
        // The job records its pid, then execs: the pid is that of the command itself.
        Files.writeString(
                script,
                "echo $$ > " + q(dir.resolve("job-" + id + ".pid.tmp")) + " && mv "
                        + q(dir.resolve("job-" + id + ".pid.tmp")) + " " + q(dir.resolve("job-" + id + ".pid"))
                        + "\nexec " + command + "\n");
        Path rcTmp = dir.resolve("job-" + id + ".rc.tmp");
        String line = "( /bin/sh " + q(script) + " > " + q(dir.resolve("job-" + id + ".out")) + " 2>&1; echo $? > "
                + q(rcTmp) + "; mv " + q(rcTmp) + " " + q(dir.resolve("job-" + id + ".rc")) + " ) &\n";
        stdin.write(line.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        return new Job(dir, id);
    }

    private static String q(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    /** Ends the shell and its jobs (jobs stuck on a frozen mount end once it is thawed). */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // the shell is gone already
        }
        Commands.killTree(shell);
    }

    /** One background job of a node shell, observed through its pid, output and exit files. */
    public record Job(Path dir, int id) {
        public long pid() throws IOException {
            Path f = dir.resolve("job-" + id + ".pid");
            long until = System.nanoTime() + PID_TIMEOUT.toNanos();
            while (!Files.exists(f)) {
                if (System.nanoTime() > until) {
                    throw new IOException("job " + id + " never started (no " + f + ")");
                }
                Commands.parkBriefly();
            }
            return Long.parseLong(Files.readString(f).strip());
        }

        public Optional<Integer> exitCode() {
            try {
                return Optional.of(Integer.parseInt(
                        Files.readString(dir.resolve("job-" + id + ".rc")).strip()));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        public String output() {
            try {
                return Files.readString(dir.resolve("job-" + id + ".out"));
            } catch (IOException e) {
                return "";
            }
        }

        /** Process state letter and wait channel, e.g. "D request_wait_answer"; empty once gone. */
        public Optional<String> kernelState() throws IOException {
            return Procs.stateAndWchan(pid());
        }
    }
}
