package org.jctdb.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One pass over /proc: for each node (identified by its network namespace's inode, resolved
 * once), how many of its processes are in state D, and how many wait on the FUSE cluster
 * filesystem (wait channel request_wait_answer) apart from processes with the given names.
 * Reads only /proc, never the cluster filesystem.
 */
public final class ProcScan {
    public static final String FUSE_WAIT = "request_wait_answer";

    /** Per node: processes in state D, and processes blocked on the cluster filesystem. */
    public record Counts(int dstate, int fuseBlocked) {}

    private final Map<Long, Integer> nodeByNetns;
    private final Set<String> notProbes;

    /** {@code nodeByNetns}: network namespace inode to pnn; {@code notProbes}: process names not counted as probes. */
    public ProcScan(Map<Long, Integer> nodeByNetns, Set<String> notProbes) {
        this.nodeByNetns = Map.copyOf(nodeByNetns);
        this.notProbes = Set.copyOf(notProbes);
    }

    /** The inode of a named network namespace (/var/run/netns/NAME). */
    public static long netnsInode(String name) throws IOException {
        return ((Number) Files.getAttribute(Path.of("/var/run/netns", name), "unix:ino")).longValue();
    }

    public Map<Integer, Counts> scan() {
        Map<Integer, int[]> acc = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path proc : procs) {
                Integer pnn = nodeOf(proc);
                if (pnn == null) {
                    continue;
                }
                int[] c = acc.computeIfAbsent(pnn, k -> new int[2]);
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(stat.indexOf('(') + 1, close);
                    char state = stat.charAt(close + 2);
                    if (state == 'D') {
                        c[0]++;
                    }
                    if (!notProbes.contains(comm)
                            && (state == 'D' || state == 'S')
                            && Files.readString(proc.resolve("wchan")).strip().equals(FUSE_WAIT)) {
                        c[1]++;
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended during the scan
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        Map<Integer, Counts> out = new HashMap<>();
        acc.forEach((k, v) -> out.put(k, new Counts(v[0], v[1])));
        return out;
    }

    private Integer nodeOf(Path proc) {
        try {
            String link = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
            int open = link.indexOf('[');
            return nodeByNetns.get(Long.parseLong(link.substring(open + 1, link.length() - 1)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
