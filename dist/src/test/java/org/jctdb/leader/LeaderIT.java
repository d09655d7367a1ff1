package org.jctdb.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.testing.LocalClusterHarness;
import org.jctdb.testing.LocalClusterHarness.Result;
import org.jctdb.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The leader and its cluster lock with real daemons and real fcntl locks. Who holds the lock is
 * read from /proc/locks, not from the daemons.
 */
public class LeaderIT {
    private static final Path CTDB_HELPER = Path.of("/usr/libexec/ctdb/ctdb_mutex_fcntl_helper");

    /** PIDs holding a POSIX write lock on the file's inode, from /proc/locks. */
    public static List<Long> lockHolders(Path file) throws IOException {
        long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        List<Long> holders = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[1].equals("POSIX") && f[3].equals("WRITE") && f[5].endsWith(":" + inode)) {
                holders.add(Long.parseLong(f[4]));
            }
        }
        return holders;
    }

    /** The PNN of the daemon that is the holder or one of its ancestors, or -1. */
    public static int owner(LocalClusterHarness c, long holderPid) throws IOException {
        for (int k = 0; k < c.nodes; k++) {
            long daemon;
            try {
                daemon = c.pid(k);
            } catch (IOException e) {
                continue;
            }
            Optional<ProcessHandle> p = ProcessHandle.of(holderPid);
            while (p.isPresent()) {
                if (p.get().pid() == daemon) {
                    return k;
                }
                p = p.get().parent();
            }
        }
        return -1;
    }

    /** Every live node names the same leader; returns it, or -1. */
    public static int agreedLeader(LocalClusterHarness c, Set<Integer> alive) {
        Set<String> seen = new TreeSet<>();
        for (int k : alive) {
            try {
                seen.add(c.query(k, "leader").stdout().strip());
            } catch (IOException e) {
                return -1;
            }
        }
        return seen.size() == 1 && seen.iterator().next().matches("\\d+")
                ? Integer.parseInt(seen.iterator().next())
                : -1;
    }

    public static int leaderHoldingLock(LocalClusterHarness c, Path lockFile, Set<Integer> alive) throws IOException {
        int leader = agreedLeader(c, alive);
        if (leader < 0 || !Files.exists(lockFile)) {
            return -1;
        }
        List<Long> holders = lockHolders(lockFile);
        return holders.size() == 1 && owner(c, holders.get(0)) == leader ? leader : -1;
    }

    @Test
    void oneLeaderHoldsTheFcntlLockAndAKilledLeaderIsReplacedWithinLeaderTimeoutPlusTwoSeconds() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            Path lock = c.dir.resolve("shared/.ctdb/cluster.lock");
            Set<Integer> alive = new TreeSet<>(Set.of(0, 1, 2));
            await().atMost(Duration.ofSeconds(20)).until(() -> leaderHoldingLock(c, lock, alive) >= 0);
            int first = leaderHoldingLock(c, lock, alive);
            assertThat(c.jctdb((first + 1) % 3, "status").stdout())
                    .contains("Recovery mode:NORMAL (0)\nLeader:" + first + "\n");

            LocalClusterHarness.signal(c.pid(first), "KILL");
            long t0 = System.nanoTime();
            alive.remove(first);
            // leader timeout (5 s) + 2 s
            await().atMost(Duration.ofSeconds(7))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        int l = leaderHoldingLock(c, lock, alive);
                        return l >= 0 && l != first;
                    });
            System.out.printf("leader failover after kill -9: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @Test
    void removingTheLockFileMakesTheLeaderStepDownAndANewElectionFollows() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            Path lock = c.dir.resolve("shared/.ctdb/cluster.lock");
            Set<Integer> alive = Set.of(0, 1, 2);
            await().atMost(Duration.ofSeconds(20)).until(() -> leaderHoldingLock(c, lock, alive) >= 0);
            int first = leaderHoldingLock(c, lock, alive);
            long generation = generation(c, first);
            Files.delete(lock);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(c.log(first)).contains("cluster lock LOST"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> leaderHoldingLock(c, lock, alive) >= 0
                            && generation(c, agreedLeader(c, alive)) > generation);
        }
    }

    @Test
    void ctdbsOwnMutexHelperWorksThroughTheBangSyntax() throws Exception {
        TestEnvironment.require(Files.isExecutable(CTDB_HELPER), CTDB_HELPER + " is missing: apt-get install ctdb");
        Path shared = Files.createTempDirectory("jctdb-bang");
        Path lock = shared.resolve("cluster.lock");
        try (LocalClusterHarness c =
                LocalClusterHarness.up(2, List.of("--cluster-lock", "!" + CTDB_HELPER + " " + lock))) {
            Set<Integer> alive = Set.of(0, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> leaderHoldingLock(c, lock, alive) >= 0);
            long holder = lockHolders(lock).get(0);
            assertThat(ProcessHandle.of(holder).flatMap(h -> h.info().command()).orElse(""))
                    .endsWith("ctdb_mutex_fcntl_helper");
        }
    }

    /**
     * Issue 20: a leader stopped (SIGSTOP) past the leader timeout must not resume as if nothing
     * happened. Stopped 12 s: its lock helper, without heartbeats for leader timeout + 2 s, gives the lock
     * up and another node leads; after SIGCONT the old leader steps down on its first input. Stopped 6 s
     * (between the leader timeout and the helper's bound, so nobody else could take the lock): on resume
     * it steps down all the same, and the next leader's generation is new.
     */
    @Test
    void aLeaderStoppedPastTheLeaderTimeoutEndsItsTermAndTheGenerationChanges() throws Exception {
        try (LocalClusterHarness c = LocalClusterHarness.up(3)) {
            for (int k = 0; k < 3; k++) {
                for (int i = 1; i <= 3; i++) {
                    Result r = c.jctdb(k, "addip", "198.18.203." + i + "/24", "lo");
                    assertThat(r.exitCode()).as(r.stderr()).isZero();
                }
            }
            Path lock = c.dir.resolve("shared/.ctdb/cluster.lock");
            Set<Integer> all = Set.of(0, 1, 2);
            for (long pauseMs : new long[] {12_000, 6_000}) {
                await().atMost(Duration.ofSeconds(40)).until(() -> settled(c, lock, all));
                int old = leaderHoldingLock(c, lock, all);
                long oldGen = generation(c, old);
                Set<Integer> others = new TreeSet<>(all);
                others.remove(old);
                long t0 = System.nanoTime();
                LocalClusterHarness.signal(c.pid(old), "STOP");
                int during = -1;
                try {
                    while ((System.nanoTime() - t0) / 1_000_000 < pauseMs) {
                        int l = leaderHoldingLock(c, lock, others);
                        if (l >= 0 && l != old && during < 0) {
                            during = l;
                            System.out.printf(
                                    "leader stopped: node %d leads after %d ms%n",
                                    l, (System.nanoTime() - t0) / 1_000_000);
                        }
                        Thread.sleep(100);
                    }
                } finally {
                    LocalClusterHarness.signal(c.pid(old), "CONT");
                }
                if (pauseMs > 8_000) {
                    assertThat(during)
                            .as("another node leads once the stopped leader's helper let go")
                            .isGreaterThanOrEqualTo(0);
                    // The helper said so on its stderr while the daemon was stopped; the resumed daemon logs it.
                    await().atMost(Duration.ofSeconds(5))
                            .untilAsserted(() ->
                                    assertThat(c.log(old)).contains("no heartbeat from daemon pid " + c.pid(old)));
                } else {
                    assertThat(during)
                            .as("the helper keeps the lock below its bound")
                            .isEqualTo(-1);
                }
                await().atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertThat(c.log(old)).contains("longer than the leader timeout"));
                await().atMost(Duration.ofSeconds(30)).until(() -> settled(c, lock, all) && generation(c, 0) != oldGen);
                int now = leaderHoldingLock(c, lock, all);
                System.out.printf(
                        "stopped %d ms: leader %d generation %d -> leader %d generation %d, settled after %d ms%n",
                        pauseMs, old, oldGen, now, generation(c, now), (System.nanoTime() - t0) / 1_000_000);
                for (int k : all) {
                    assertThat(generation(c, k)).isNotEqualTo(oldGen).isEqualTo(generation(c, now));
                }
            }
        }
    }

    /** One leader holding the lock, the same generation everywhere, each address on exactly one node in every view. */
    private static boolean settled(LocalClusterHarness c, Path lock, Set<Integer> all) throws IOException {
        int leader = leaderHoldingLock(c, lock, all);
        if (leader < 0) {
            return false;
        }
        long gen = generation(c, leader);
        Map<String, Integer> ips = c.publicIps(leader);
        for (int k : all) {
            if (generation(c, k) != gen || !c.publicIps(k).equals(ips)) {
                return false;
            }
        }
        return ips.size() == 3 && !ips.containsValue(-1);
    }

    private static long generation(LocalClusterHarness c, int pnn) {
        try {
            String status = c.query(pnn, "status").stdout();
            for (String line : status.split("\n")) {
                if (line.startsWith("Generation:") && !line.endsWith("INVALID")) {
                    return Long.parseLong(line.substring("Generation:".length()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not reachable now
        }
        return -1;
    }
}
