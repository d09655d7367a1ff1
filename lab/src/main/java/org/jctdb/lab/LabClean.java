package org.jctdb.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what killed lab runs left behind, found by name: network namespaces
 * {@code jlab-*-PID-N}, FUSE mounts and directories {@code /tmp/jlab-PID-*}, but only those of a
 * PID that no longer runs (all of them with {@code force}). Never enters a mount point.
 */
public final class LabClean {
    private static final Duration CMD = Duration.ofSeconds(10);
    private static final Pattern NS = Pattern.compile("^" + LabRun.PREFIX + "-[a-z0-9]+-(\\d+)-\\d+$");
    private static final Pattern DIR = Pattern.compile("^" + LabRun.PREFIX + "-(\\d+)-.*$");

    private LabClean() {}

    /** Cleans up; returns one line per thing removed (or that could not be). */
    public static List<String> clean(boolean force) throws IOException {
        List<String> done = new ArrayList<>();
        for (String line :
                Commands.run(CMD, "ip", "netns", "list").requireOk().output().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            Matcher m = NS.matcher(name);
            if (m.matches() && (force || !alive(m.group(1)))) {
                for (String pid :
                        Commands.run(CMD, "ip", "netns", "pids", name).output().split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        Commands.run(CMD, "kill", "-CONT", pid);
                        Commands.run(CMD, "kill", "-KILL", pid);
                    }
                }
                Commands.Result r = Commands.run(CMD, "ip", "netns", "del", name);
                done.add((r.ok() ? "removed network namespace " : "could not remove network namespace ") + name);
            }
        }
        try (var dirs = Files.newDirectoryStream(
                Path.of("/tmp"), p -> DIR.matcher(p.getFileName().toString()).matches())) {
            for (Path d : dirs) {
                Matcher m = DIR.matcher(d.getFileName().toString());
                if (m.matches() && (force || !alive(m.group(1)))) {
                    if (LocalLockServer.stop(d.resolve(LabRun.LOCK_SERVER_DIR))) {
                        done.add("stopped the lock server of " + d);
                    }
                    Path mnt = d.resolve("cfs");
                    if (ClusterFs.isMounted(mnt)) {
                        Commands.run(CMD, "fusermount3", "-uz", mnt.toString());
                        if (ClusterFs.isMounted(mnt)) {
                            Commands.run(CMD, "umount", "-l", mnt.toString());
                        }
                        done.add("unmounted " + mnt);
                    }
                    removeDirectory(d);
                    done.add((Files.exists(d) ? "could not remove " : "removed ") + d);
                }
            }
        }
        return done;
    }

    private static boolean alive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Deletes a directory tree, never entering (or even stat-ing) a mount point inside it: a
     * frozen FUSE mount would hang the caller.
     */
    public static void removeDirectory(Path dir) {
        if (ClusterFs.isMounted(dir)) {
            return;
        }
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path c : children) {
                    removeDirectory(c);
                }
            } catch (IOException e) {
                System.err.println("lab: could not list " + dir + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (a mount inside) or busy: leave it, `jctdb lab clean` retries
        }
    }
}
