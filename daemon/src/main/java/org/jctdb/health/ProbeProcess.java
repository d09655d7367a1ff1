package org.jctdb.health;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;

/**
 * One probe: a child process in a session of its own (pid == process group == session), run
 * from "/" with stdin from /dev/null, so nothing in this JVM ever touches the probed path. A
 * thread blocked on a hung mount could neither be killed nor let the JVM stop; a process can
 * at least be asked to die, and if the kernel refuses, it holds no JVM thread.
 */
final class ProbeProcess {
    private static final int STDERR_LIMIT = 512;
    private static final String[] SETSID = {"/usr/bin/setsid", "/bin/setsid"};

    final Process process;
    final long startedAt;
    private final ProcFs procFs;
    private boolean leaderReported;
    long sigtermAt = -1;
    long sigkillAt = -1;
    List<ProcInfo> survivors = List.of();

    private ProbeProcess(Process process, long startedAt, ProcFs procFs) {
        this.process = process;
        this.startedAt = startedAt;
        this.procFs = procFs;
    }

    /** A probe command run once: the path appended, no input, its output discarded. */
    static ProbeProcess start(List<String> command, Path path, long now, ProcFs procFs) throws IOException {
        ProcessBuilder pb = builder(command, path);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return new ProbeProcess(pb.start(), now, procFs);
    }

    /**
     * A {@link ProbeHelper}'s process: the same session and directory, with pipes for its
     * requests and answers. Its group is scanned for leftovers once it exits (tests configure
     * other helper programs), which happens once per helper, not once per probe.
     */
    static ProbeProcess startHelper(List<String> command, Path path, long now, ProcFs procFs) throws IOException {
        ProcessBuilder pb = builder(command, path);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        return new ProbeProcess(pb.start(), now, procFs);
    }

    private static ProcessBuilder builder(List<String> command, Path path) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(setsid());
        cmd.addAll(command);
        cmd.add(path.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(new File("/"));
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        return pb;
    }

    private static String setsid() throws IOException {
        for (String s : SETSID) {
            if (Files.isExecutable(Path.of(s))) {
                return s;
            }
        }
        throw new IOException("setsid (util-linux) is not installed");
    }

    private boolean groupGone;

    int pid() {
        return (int) process.pid();
    }

    /** The first exit of the leader is reported once; true the first time it is seen gone. */
    boolean takeExit() {
        if (leaderReported || process.isAlive()) {
            return false;
        }
        leaderReported = true;
        return true;
    }

    /** Alive processes of the probe's group, the leader included; read from the OS each time. */
    List<ProcInfo> aliveMembers() {
        List<ProcInfo> alive = new ArrayList<>();
        for (ProcInfo p : procFs.all()) {
            if (p.pgrp() == pid() && p.alive()) {
                alive.add(p);
            }
        }
        if (process.isAlive() && alive.stream().noneMatch(p -> p.pid() == pid())) {
            ProcInfo leader = procFs.stat(pid());
            if (leader != null && leader.alive()) {
                alive.add(leader);
            }
        }
        return alive;
    }

    /**
     * Whether anything of this probe still runs: the leader (cheap check) or a child it left.
     * Once the leader has exited and a scan finds the group empty, it stays empty (nothing can
     * join a group whose members are all gone), so later calls skip the /proc scan.
     */
    boolean alive() {
        if (groupGone) {
            return false;
        }
        if (process.isAlive()) {
            return true;
        }
        groupGone = aliveMembers().isEmpty();
        return !groupGone;
    }

    /** Up to 512 bytes the probe wrote to stderr; never blocks (reads only what is buffered). */
    String error() {
        try (InputStream in = process.getErrorStream()) {
            int n = Math.min(STDERR_LIMIT, in.available());
            byte[] b = in.readNBytes(Math.max(0, n));
            return new String(b, StandardCharsets.UTF_8).strip().replace('\n', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Survivors with their state and kernel wait channel, for an unkillable report. */
    List<ProcInfo> evidence() {
        return aliveMembers().stream().map(procFs::withEvidence).toList();
    }

    static Optional<ProcessHandle> handle(ProcInfo p, ProcFs procFs) {
        ProcInfo again = procFs.stat(p.pid());
        if (again == null || again.startTicks() != p.startTicks() || again.pgrp() != p.pgrp()) {
            return Optional.empty(); // gone, or the pid was reused
        }
        return ProcessHandle.of(p.pid());
    }
}
