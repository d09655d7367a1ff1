package org.jctdb.lock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads /proc/locks: the kernel's own word on who holds a POSIX lock on a file. */
public final class ProcLocks {
    private ProcLocks() {}

    /** Pids holding a POSIX write lock on this file's inode. */
    static Set<Long> writeLockHolders(Path file) throws IOException {
        return writeLockHolders((Long) Files.getAttribute(file, "unix:ino"));
    }

    /** By inode: for a file on storage that may hang, look the inode up before it does. */
    public static Set<Long> writeLockHolders(long inode) throws IOException {
        Set<Long> pids = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            // "1: POSIX  ADVISORY  WRITE 5605 fe:00:2146351 0 0" (blocked waiters have a "->")
            List<String> f = List.of(line.trim().split("\\s+"));
            if (f.size() < 6
                    || f.get(1).equals("->")
                    || !f.get(1).equals("POSIX")
                    || !f.get(3).equals("WRITE")) {
                continue;
            }
            String[] dev = f.get(5).split(":");
            if (dev.length == 3 && Long.parseLong(dev[2]) == inode) {
                pids.add(Long.parseLong(f.get(4)));
            }
        }
        return pids;
    }
}
