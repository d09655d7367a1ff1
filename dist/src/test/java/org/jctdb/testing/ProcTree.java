package org.jctdb.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jctdb.lab.ProcScan;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;

/** A daemon's process tree from /proc: what tests and benches count while storage hangs. */
public final class ProcTree {
    private ProcTree() {}

    /** The live descendants of {@code root} (not root itself). */
    public static List<ProcInfo> below(long root) {
        List<ProcInfo> all = ProcFs.system().all();
        Set<Integer> tree = new HashSet<>(Set.of((int) root));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ProcInfo p : all) {
                if (p.alive() && tree.contains(p.ppid()) && tree.add(p.pid())) {
                    grew = true;
                }
            }
        }
        return all.stream()
                .filter(p -> p.alive() && p.pid() != root && tree.contains(p.pid()))
                .toList();
    }

    /**
     * The descendants of {@code root} stuck in the kernel: in state D, or waiting for a FUSE
     * answer (a frozen FUSE caller sleeps interruptibly, state S, until it gets a signal).
     */
    public static List<ProcInfo> stuckBelow(long root) {
        return below(root).stream()
                .filter(p -> p.state() == 'D' || waitsOnFuse(p.pid()))
                .toList();
    }

    private static boolean waitsOnFuse(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/wchan")).contains(ProcScan.FUSE_WAIT);
        } catch (IOException e) {
            return false;
        }
    }
}
