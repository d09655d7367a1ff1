package org.jctdb.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code local-cluster freeze|thaw K|all}: make one node's (or every node's) cluster
 * filesystem hang, as a hung cluster filesystem client does, through tools/clusterfs.
 */
final class ClusterFsCommands {
    private ClusterFsCommands() {}

    record Result(int code, String output) {}

    /** Runs tools/clusterfs/jctdb-clusterfs with this cluster's run directory, bounded to 30 s. */
    static Result tool(LocalCluster lc, String command, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/python3",
                LocalClusterCommand.home()
                        .resolve("tools/clusterfs/jctdb-clusterfs")
                        .toString(),
                command,
                "--run-dir",
                lc.clusterFsRunDir().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(1, "jctdb-clusterfs " + command + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(1, "interrupted");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    abstract static class Switch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LocalClusterCommand.Where where;

        @Parameters(paramLabel = "K|all", description = "A node number, or all")
        String node;

        abstract String one();

        abstract String every();

        @Override
        public Integer call() throws IOException {
            LocalCluster lc = new LocalCluster(where.dir(), 0, null, 0);
            if (!Files.isDirectory(lc.clusterFsRunDir())) {
                spec.commandLine()
                        .getErr()
                        .println("No cluster filesystem at " + lc.dir()
                                + ": start the cluster with `local-cluster up --cluster-fs`");
                return 1;
            }
            if (!node.equals("all") && !node.matches("\\d{1,3}")) {
                spec.commandLine().getErr().println("Expected a node number or all, not " + node);
                return 1;
            }
            if (!node.equals("all")) {
                registerCurrentDaemon(lc, Integer.parseInt(node));
            }
            Result r = node.equals("all") ? tool(lc, every()) : tool(lc, one(), "node" + node);
            (r.code() == 0 ? spec.commandLine().getOut() : spec.commandLine().getErr())
                    .println(r.code() == 0 ? one() + " " + node + ": done" : r.output());
            return r.code() == 0 ? 0 : 1;
        }
    }

    /** A node restarted since `up` has a new process tree: attribute it to the node too. */
    private static void registerCurrentDaemon(LocalCluster lc, int k) {
        try {
            String pid = Files.readString(lc.nodeDir(k).resolve("run").resolve("jctdbd.pid"))
                    .strip();
            if (pid.matches("\\d+") && Files.isDirectory(Path.of("/proc", pid))) {
                tool(lc, "register", "node" + k, "--pid", pid);
            }
        } catch (IOException e) {
            // Not running: its callers, if any, are still attributed by the registration made at start.
        }
    }

    @Command(name = "freeze", description = "Make the cluster filesystem hang for node K (or all nodes).")
    static final class Freeze extends Switch {
        @Override
        String one() {
            return "freeze";
        }

        @Override
        String every() {
            return "freeze-all";
        }
    }

    @Command(name = "thaw", description = "Let node K's (or every node's) cluster filesystem answer again.")
    static final class Thaw extends Switch {
        @Override
        String one() {
            return "thaw";
        }

        @Override
        String every() {
            return "thaw-all";
        }
    }
}
