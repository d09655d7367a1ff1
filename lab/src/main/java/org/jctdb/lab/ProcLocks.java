package org.jctdb.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who holds fcntl locks on the cluster filesystem, from /proc/locks, without ever touching the
 * (possibly frozen) mount: its device number is read once from /proc/self/mountinfo, and every
 * lock on that device counts, so a holder of a deleted lock file still counts beside the holder
 * of its replacement.
 */
public final class ProcLocks {
    private ProcLocks() {}

    /** The mount's device as /proc/locks prints it ("00:2f"), from /proc/self/mountinfo. */
    public static Optional<String> device(Path mountPoint) throws IOException {
        return device(
                Files.readAllLines(Path.of("/proc/self/mountinfo")),
                mountPoint.toAbsolutePath().normalize().toString());
    }

    static Optional<String> device(List<String> mountinfo, String mountPoint) {
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].replace("\\040", " ").equals(mountPoint)) {
                String[] mm = f[2].split(":");
                return Optional.of(String.format("%02x:%02x", Integer.parseInt(mm[0]), Integer.parseInt(mm[1])));
            }
        }
        return Optional.empty();
    }

    /** Distinct processes holding (not waiting for) a lock on device {@code dev}. */
    public static int holders(String procLocks, String dev) {
        Set<String> pids = new HashSet<>();
        int ofd = 0;
        for (String line : procLocks.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 6 || f[1].equals("->")) {
                continue;
            }
            if (f[5].startsWith(dev + ":")) {
                if (f[4].equals("-1")) {
                    ofd++;
                } else {
                    pids.add(f[4]);
                }
            }
        }
        return pids.size() + ofd;
    }

    public static int holders(String dev) {
        try {
            return holders(Files.readString(Path.of("/proc/locks")), dev);
        } catch (IOException e) {
            return -1;
        }
    }
}
