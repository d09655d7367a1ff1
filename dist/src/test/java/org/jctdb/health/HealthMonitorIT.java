package org.jctdb.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jctdb.common.Ticker;
import org.jctdb.config.Installation;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The monitor with real probe processes. A hang is a probe script that loops (ignoring SIGTERM)
 * while a flag file exists; "unkillable" is a signaller that sends nothing, standing in for a
 * process the kernel keeps in state D. Fast settings keep the wall time to seconds.
 */
class HealthMonitorIT {
    private static final ProbeSettings FAST = new ProbeSettings(200, 400, 3, 1000);
    /** The built-in probe: the installation's helper (the build's target/bin). */
    private static final List<String> HELPER =
            List.of(Installation.current().helper(HealthMonitor.PROBE_HELPER).toString());

    private final ProcFs procFs = ProcFs.system();
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
    private final AtomicLong shutdownAt = new AtomicLong(-1);
    private ScheduledExecutorService executor;
    private HealthMonitor monitor;

    @TempDir
    Path dir;

    private Path flag;
    private Path script;

    @BeforeEach
    void setUp() throws IOException {
        executor = Executors.newSingleThreadScheduledExecutor();
        flag = dir.resolve("hang");
        script = dir.resolve("hp" + ProcessHandle.current().pid() % 100000 + ".sh");
        Files.writeString(
                script,
                "#!/bin/sh\ntrap '' TERM\nwhile [ -e " + flag + " ]; do sleep 0.05; done\n"
                        + "exec /usr/bin/stat -c %i -- \"$1\" >/dev/null\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void tearDown() throws IOException {
        Files.deleteIfExists(flag);
        if (monitor != null) {
            monitor.close();
        }
        executor.shutdownNow();
        await().atMost(Duration.ofSeconds(5)).until(() -> probes().isEmpty());
    }

    private HealthMonitor monitor(List<String> command, ShutdownGuard guard, GroupSignaller signaller, Path... paths) {
        return monitor(command, HELPER, guard, signaller, paths);
    }

    private HealthMonitor monitor(
            List<String> command, List<String> helper, ShutdownGuard guard, GroupSignaller signaller, Path... paths) {
        List<HealthMonitor.Watched> w = java.util.Arrays.stream(paths)
                .map(p -> new HealthMonitor.Watched(p, true))
                .toList();
        monitor = new HealthMonitor(
                w,
                command,
                helper,
                () -> FAST,
                guard,
                executor,
                Ticker.SYSTEM,
                new HealthMonitor.Listener() {
                    @Override
                    public void healthChanged(boolean healthy, String reason) {
                        events.add((healthy ? "healthy" : "unhealthy") + " " + reason);
                    }

                    @Override
                    public void probeAnswered(Path path, long millis, boolean ok) {
                        answers.add(path.getFileName() + (ok ? " ok " : " failed ") + millis);
                    }

                    @Override
                    public void shutdownRequested(String reason) {
                        shutdownAt.compareAndSet(-1, Ticker.SYSTEM.nowMillis());
                        events.add("shutdown " + reason);
                    }
                },
                procFs,
                signaller);
        monitor.start();
        return monitor;
    }

    /**
     * Live probes of our probe script, one process per probe's process group (a probe's own
     * child, forked and not yet exec'ed, has the script's name too): how many probes exist now.
     */
    private List<ProcInfo> probes() {
        String comm = script.getFileName().toString();
        return procFs.all().stream()
                .filter(p -> p.alive() && p.comm().equals(comm))
                .collect(Collectors.toMap(ProcInfo::pgrp, p -> p, (a, b) -> a.pid() == a.pgrp() ? a : b))
                .values()
                .stream()
                .toList();
    }

    private HealthReport.PathReport path(int i) {
        return monitor.snapshot().paths().get(i);
    }

    @Test
    void realPathsAnswerAndAMissingOneFailsTheNode() {
        monitor(List.of(), ShutdownGuard.disabled(), null, dir, dir.resolve("missing"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.snapshot().healthy());
        await().atMost(Duration.ofSeconds(2)).until(() -> !events.isEmpty()); // told after publishing
        assertThat(path(0).status().state()).isEqualTo(ProbeState.OK);
        assertThat(path(0).status().lastLatencyMillis()).isBetween(0L, 1000L);
        assertThat(path(1).status().state()).isEqualTo(ProbeState.FAILED);
        assertThat(path(1).status().detail()).contains("No such file or directory");
        assertThat(path(1).status().consecutiveFailures()).isGreaterThanOrEqualTo(3);
        assertThat(events)
                .singleElement()
                .asString()
                .startsWith("unhealthy cluster filesystem " + dir.resolve("missing"));
        // Every exited probe reaches the listener with its run time (the latency metric).
        assertThat(answers).anyMatch(a -> a.matches(dir.getFileName() + " ok \\d+"));
        assertThat(answers).anyMatch(a -> a.startsWith("missing failed "));
    }

    @Test
    void anUnkillableHungProbeIsNeverDuplicatedAndIsReportedWithItsState() throws Exception {
        Files.writeString(flag, "");
        monitor(List.of(script.toString()), ShutdownGuard.disabled(), (leader, members, force) -> {}, dir);
        long t0 = Ticker.SYSTEM.nowMillis();
        await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.snapshot().healthy());
        assertThat(Ticker.SYSTEM.nowMillis() - t0)
                .isLessThan(FAST.intervalMs() + FAST.timeoutMs() + 3 * FAST.intervalMs() + 1000);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) { // ten probe intervals
            List<ProcInfo> now = probes();
            assertThat(now).as("probe processes alive at sample %d", i).hasSize(1);
            seen.add(now.get(0).pid());
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(seen).as("the same probe throughout: none started beside it").hasSize(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> path(0).unkillableProcesses() > 0);
        HealthReport.PathReport p = path(0);
        assertThat(p.status().state()).isEqualTo(ProbeState.HUNG);
        assertThat(p.hungProbes()).isEqualTo(1);
        assertThat(p.unkillable())
                .anySatisfy(s -> assertThat(s)
                        .startsWith("pid " + seen.iterator().next())
                        .contains(" state "));
        assertThat(p.status().consecutiveFailures()).isGreaterThan(10);

        Files.delete(flag); // storage is back: the stuck probe ends by itself, the next one answers
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().healthy());
        assertThat(path(0).status().state()).isEqualTo(ProbeState.OK);
        assertThat(path(0).hungProbes()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() >= 2); // told after publishing
        assertThat(events.stream().map(e -> e.split(" ")[0]).toList()).containsExactly("unhealthy", "healthy");
    }

    @Test
    void aKillableHungProbeGetsSigkillToItsGroupAndIsReplacedOneAtATime() throws Exception {
        Files.writeString(flag, "");
        monitor(List.of(script.toString()), ShutdownGuard.disabled(), null, dir);
        await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.snapshot().healthy());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            List<ProcInfo> now = probes();
            assertThat(now).as("probe processes alive at sample %d", i).hasSizeLessThanOrEqualTo(1);
            now.forEach(p -> seen.add(p.pid()));
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(seen).as("SIGTERM is ignored, SIGKILL ends each hung probe").hasSizeGreaterThan(1);
        assertThat(path(0).status().state()).isEqualTo(ProbeState.HUNG);
        assertThat(path(0).unkillableProcesses()).isZero();
        Files.delete(flag);
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().healthy());
    }

    @Test
    void shutdownFiresWithinTheTimeoutPlusFiveSecondsWhileHung() throws Exception {
        long timeout = 1500;
        Files.writeString(flag, "");
        long t0 = Ticker.SYSTEM.nowMillis();
        monitor(List.of(script.toString()), new ShutdownGuard(true, timeout), (leader, members, force) -> {}, dir);
        await().atMost(Duration.ofMillis(FAST.intervalMs() + timeout + 5000)).until(() -> shutdownAt.get() >= 0);
        long since = path(0).status().sinceMillis();
        assertThat(shutdownAt.get() - since).isBetween(timeout, timeout + 5000);
        assertThat(shutdownAt.get() - t0).isLessThan(FAST.intervalMs() + timeout + 5000);
        assertThat(monitor.shutdownStillWarranted())
                .as("re-check while still hung")
                .isTrue();
        assertThat(monitor.snapshot().shutdownAfterMillis()).isEqualTo(timeout);
        // Storage returns before the daemon acts on it: the re-check now says no.
        Files.delete(flag);
        await().atMost(Duration.ofSeconds(3)).until(() -> probes().isEmpty() || !monitor.shutdownStillWarranted());
        await().atMost(Duration.ofSeconds(3)).until(() -> !monitor.shutdownStillWarranted());
        assertThat(events.stream().filter(e -> e.startsWith("shutdown")).count())
                .as("once per episode")
                .isEqualTo(1);
    }

    @Test
    void shutdownNeverFiresIfStorageCameBackBeforeTheTimeout() throws Exception {
        long timeout = 1500;
        Files.writeString(flag, "");
        monitor(List.of(script.toString()), new ShutdownGuard(true, timeout), (leader, members, force) -> {}, dir);
        await().atMost(Duration.ofSeconds(3)).until(() -> path(0).status().state() == ProbeState.HUNG);
        Files.delete(flag);
        await().atMost(Duration.ofSeconds(3)).until(() -> monitor.snapshot().healthy());
        TimeUnit.MILLISECONDS.sleep(timeout + 1000); // past when it would have fired: nothing may happen
        assertThat(shutdownAt.get()).isEqualTo(-1);
        assertThat(events).noneMatch(e -> e.startsWith("shutdown"));
    }

    // The built-in probe's long-lived helper (docs/design/health.md, "The probe helper").

    /** Our own helper processes (the JVM's children) named {@code comm}. */
    private List<ProcInfo> children(String comm) {
        long self = ProcessHandle.current().pid();
        return procFs.all().stream()
                .filter(p -> p.alive() && p.ppid() == self && p.comm().equals(comm))
                .toList();
    }

    /**
     * A helper program of our own: {@code body} runs with the probed path as $1. Each helper
     * started appends its pid to {@link #started()} first: short-lived ones escape sampling.
     */
    private List<String> helperScript(String name, String body) throws IOException {
        Path h = dir.resolve(name);
        Files.writeString(h, "#!/bin/sh\necho $$ >> " + dir.resolve("started") + "\n" + body + "\n");
        Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rwx------"));
        return List.of(h.toString());
    }

    /** The pids of every helper of our own started so far. */
    private Set<String> started() throws IOException {
        Path f = dir.resolve("started");
        return Files.exists(f) ? new HashSet<>(Files.readAllLines(f)) : Set.of();
    }

    @Test
    void theBuiltInProbeIsOneLongLivedHelperPerPathThatStartsNothing() throws Exception {
        monitor(List.of(), ShutdownGuard.disabled(), null, dir, dir.resolve("missing"));
        await().atMost(Duration.ofSeconds(5)).until(() -> answers.size() >= 6);
        List<ProcInfo> first = children(HealthMonitor.PROBE_HELPER);
        assertThat(first).as("one helper per path").hasSize(2);
        int before = answers.size();
        TimeUnit.MILLISECONDS.sleep(10 * FAST.intervalMs());
        assertThat(answers.size() - before).as("probes answered meanwhile").isGreaterThanOrEqualTo(10);
        assertThat(children(HealthMonitor.PROBE_HELPER))
                .as("the same helpers: a failing path does not cost a process either")
                .extracting(ProcInfo::pid)
                .containsExactlyInAnyOrderElementsOf(
                        first.stream().map(ProcInfo::pid).toList());
        assertThat(path(1).status().detail()).isEqualTo("No such file or directory");
        assertThat(path(0).status().state()).isEqualTo(ProbeState.OK);
    }

    /** Replies a hostile or broken helper might give; each must fail the probe and replace the helper. */
    /**
     * A helper's answer that arrives while the owner closes the monitor and shuts its executor
     * down is dropped, not thrown on the helper's reader thread (CI once saw the owner's shutdown
     * land between the monitor's "still open?" check and its hand-over to the executor).
     */
    @Test
    void anAnswerRacingTheOwnersShutdownIsDropped() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        executor.shutdownNow();
        executor = new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable r, long delay, TimeUnit unit) {
                // The owner's close and shutdown, landing just before an answer is handed over.
                if (Thread.currentThread().getName().equals("jctdb-probe-helper") && armed.getAndSet(false)) {
                    monitor.close();
                    shutdownNow();
                    refused.incrementAndGet();
                }
                return super.schedule(r, delay, unit);
            }
        };
        ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            monitor(List.of(), ShutdownGuard.disabled(), null, dir);
            await().atMost(Duration.ofSeconds(5)).until(() -> !answers.isEmpty());
            armed.set(true);
            await().atMost(Duration.ofSeconds(5)).until(() -> refused.get() == 1);
            TimeUnit.MILLISECONDS.sleep(300); // the reader thread's hand-over has returned or thrown
            assertThat(uncaught).isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "echo garbage",
                "echo",
                "echo \"$n\"",
                "echo \"$n maybe\"",
                "echo \"$((n + 1)) ok 1\"",
                "echo \"0$n-1 ok 1\"",
                "echo \"99999999999999999999 ok 1\"",
                "printf '%s ok \\001\\033[2J\\n' \"$n\"; printf '%s ok 1\\n' \"$n\"",
                "head -c 5000 /dev/zero | tr '\\0' a; echo"
            })
    void aHelperThatAnswersGarbageFailsTheProbeAndIsReplaced(String reply) throws Exception {
        String body = "while read -r n; do " + reply + "; done";
        monitor(
                List.of(),
                helperScript("hg" + ProcessHandle.current().pid() % 100000, body),
                ShutdownGuard.disabled(),
                null,
                dir);
        String comm = "hg" + ProcessHandle.current().pid() % 100000;
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            assertThat(children(comm)).as("helpers alive at once").hasSizeLessThanOrEqualTo(1);
            return !monitor.snapshot().healthy() && started().size() >= 3;
        });
        if (reply.startsWith("printf")) {
            // A valid answer after a garbled one is never read: the helper is gone by then.
            assertThat(path(0).status().detail()).contains("answered garbage");
        }
        assertThat(path(0).status().state()).isEqualTo(ProbeState.FAILED);
        assertThat(path(0).status().detail()).startsWith("the probe helper answered garbage: ");
        assertThat(path(0).status().detail()).doesNotContainPattern("[\\x00-\\x1f]");
        assertThat(answers).allMatch(a -> a.contains(" failed "));
    }

    /** A helper that floods answers nobody asked for is cut off at the first and replaced. */
    @Test
    void aFloodingHelperIsCutOffAndReplaced() throws Exception {
        String comm = "hf" + ProcessHandle.current().pid() % 100000;
        monitor(
                List.of(),
                helperScript(comm, "trap '' TERM\nwhile read -r n; do while :; do echo \"$n ok 1\"; done; done"),
                ShutdownGuard.disabled(),
                null,
                dir);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            assertThat(children(comm)).as("helpers alive at once").hasSizeLessThanOrEqualTo(1);
            return started().size() >= 3;
        });
        // Each helper's first line answers its request; the next one ends it (or, if it came only
        // after the next request, fails that probe as garbage). Nothing piles up.
        assertThat(path(0).status().state()).isIn(ProbeState.OK, ProbeState.FAILED);
        assertThat(path(0).status().detail()).matches("|the probe helper answered garbage: .*");
        Runtime rt = Runtime.getRuntime();
        assertThat(rt.totalMemory() - rt.freeMemory()).isLessThan(rt.maxMemory() / 2);
    }

    @Test
    void aHelperThatDiesFailsTheProbeWithItsStatusAndIsReplacedOneAtATime() throws Exception {
        String comm = "hd" + ProcessHandle.current().pid() % 100000;
        monitor(
                List.of(),
                helperScript(comm, "read -r n; echo 'out of cheese' >&2; exit 3"),
                ShutdownGuard.disabled(),
                null,
                dir);
        for (int i = 0; i < 30; i++) {
            assertThat(children(comm)).as("helpers alive at sample %d", i).hasSizeLessThanOrEqualTo(1);
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertThat(started()).as("a new helper for each probe, as each died").hasSizeGreaterThan(3);
        assertThat(monitor.snapshot().healthy()).isFalse();
        assertThat(path(0).status().detail()).isEqualTo("the probe helper exited with status 3: out of cheese");
    }

    /** A helper that ignores SIGTERM and answers nothing while the flag file exists. */
    private List<String> hangingHelper(String comm) throws IOException {
        return helperScript(
                comm,
                "trap '' TERM\nwhile read -r n; do\n  while [ -e " + flag + " ]; do sleep 0.05; done\n"
                        + "  echo \"$n ok 1\"\ndone");
    }

    @Test
    void aHungKillableHelperIsKilledAndReplacedOneAtATime() throws Exception {
        Files.writeString(flag, "");
        String comm = "hk" + ProcessHandle.current().pid() % 100000;
        monitor(List.of(), hangingHelper(comm), ShutdownGuard.disabled(), null, dir);
        await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.snapshot().healthy());
        assertThat(path(0).status().state()).isEqualTo(ProbeState.HUNG);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            List<ProcInfo> now = children(comm);
            assertThat(now).as("helpers alive at sample %d", i).hasSizeLessThanOrEqualTo(1);
            now.forEach(p -> seen.add(p.pid()));
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(seen).as("SIGTERM is ignored, SIGKILL ends each hung helper").hasSizeGreaterThan(1);
        assertThat(path(0).unkillableProcesses()).isZero();
        Files.delete(flag);
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().healthy());
        assertThat(path(0).status().state()).isEqualTo(ProbeState.OK);
    }

    /**
     * A helper stuck in the kernel: SIGKILL stays pending until its system call returns, which
     * the signaller stands in for by delivering it only once the flag is gone. Until then it is
     * the path's one helper, reported unkillable; afterwards a new one answers.
     */
    @Test
    void anUnkillableHungHelperIsNeverDuplicatedAndIsReportedUntilItEnds() throws Exception {
        Files.writeString(flag, "");
        String comm = "hu" + ProcessHandle.current().pid() % 100000;
        GroupSignaller pendingUntilThaw = (leader, members, force) -> {
            if (force) {
                Thread t = new Thread(() -> {
                    await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(flag));
                    leader.destroyForcibly();
                });
                t.setDaemon(true);
                t.start();
            }
        };
        monitor(List.of(), hangingHelper(comm), ShutdownGuard.disabled(), pendingUntilThaw, dir);
        await().atMost(Duration.ofSeconds(5)).until(() -> !monitor.snapshot().healthy());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) { // ten probe intervals
            List<ProcInfo> now = children(comm);
            assertThat(now).as("helpers alive at sample %d", i).hasSize(1);
            seen.add(now.get(0).pid());
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertThat(seen)
                .as("the same helper throughout: none started beside it")
                .hasSize(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> path(0).unkillableProcesses() > 0);
        assertThat(path(0).status().state()).isEqualTo(ProbeState.HUNG);
        assertThat(path(0).hungProbes()).isEqualTo(1);
        assertThat(path(0).unkillable())
                .anySatisfy(x -> assertThat(x)
                        .startsWith("pid " + seen.iterator().next())
                        .contains(" state "));
        Files.delete(flag);
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.snapshot().healthy());
        assertThat(children(comm)).extracting(ProcInfo::pid).doesNotContainAnyElementsOf(seen);
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() >= 2); // told after publishing
        assertThat(events.stream().map(e -> e.split(" ")[0]).toList()).containsExactly("unhealthy", "healthy");
    }
}
