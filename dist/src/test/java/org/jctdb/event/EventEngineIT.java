package org.jctdb.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jctdb.event.format.Rendered;
import org.jctdb.event.format.RunTextFormatter;
import org.jctdb.event.format.StatusTextFormatter;
import org.jctdb.os.ProcFs;
import org.jctdb.os.ProcInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real scripts, real process sessions, real signals. */
class EventEngineIT {
    @TempDir
    Path tmp;

    EngineFixture fx;
    final ProcFs proc = ProcFs.system();
    final StatusTextFormatter text = new StatusTextFormatter(ZoneId.systemDefault());

    @BeforeEach
    void setUp() throws Exception {
        fx = new EngineFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void awaitSessionGone(int sid) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> proc.aliveInSession(sid).isEmpty());
    }

    @Test
    void okDisabledErrorInOrderAndFirstFailureStopsTheRest() throws Exception {
        fx.script("01.first", "echo first ran; exit 0");
        fx.disabledScript("02.off", "exit 0");
        fx.script("10.bad", "echo \"bad $1\" >&2; exit 3");
        Path marker = tmp.resolve("later-ran");
        fx.script("20.later", "touch " + marker);
        fx.start();

        EventReply r = fx.run(Event.MONITOR, 10_000);

        assertThat(r).isInstanceOf(EventReply.Completed.class);
        EventReply.Completed c = (EventReply.Completed) r;
        assertThat(c.scripts()).extracting(ScriptResult::name).containsExactly("01.first", "02.off", "10.bad");
        assertThat(c.scripts())
                .extracting(ScriptResult::status)
                .containsExactly(ScriptStatus.OK, ScriptStatus.DISABLED, ScriptStatus.ERROR);
        assertThat(c.summary()).isEqualTo(3);
        assertThat(c.scripts().get(2).output()).isEqualTo("bad monitor");
        assertThat(Files.exists(marker)).isFalse();

        Rendered st = text.status("legacy", Event.MONITOR, fx.engine.lastStatus(Event.MONITOR));
        List<String> lines = st.text().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0))
                .matches("01\\.first {13}OK {9}\\d+\\.\\d{3} \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}");
        assertThat(lines.get(1)).isEqualTo("02.off" + " ".repeat(15) + "DISABLED  ");
        assertThat(lines.get(2)).matches("10\\.bad {15}ERROR {6}\\d+\\.\\d{3} .*\\d{4}");
        assertThat(lines.get(3)).isEqualTo("  OUTPUT: bad monitor");
        assertThat(st.exitCode()).isEqualTo(3);
        assertThat(RunTextFormatter.run("legacy", r)).isEqualTo(new Rendered("Event monitor in legacy failed\n", 8));
    }

    @Test
    void allOkGivesExitZeroAndNoOutputLines() throws Exception {
        fx.script("01.a", "exit 0");
        fx.script("02.b", "echo noise; exit 0");
        fx.start();
        EventReply r = fx.run(Event.STARTUP, 10_000);
        assertThat(RunTextFormatter.run("legacy", r)).isEqualTo(new Rendered("", 0));
        Rendered st = text.status("legacy", Event.STARTUP, fx.engine.lastStatus(Event.STARTUP));
        assertThat(st.exitCode()).isZero();
        assertThat(st.text()).doesNotContain("OUTPUT");
        assertThat(text.status("legacy", Event.SHUTDOWN, fx.engine.lastStatus(Event.SHUTDOWN)))
                .isEqualTo(new Rendered("Event shutdown has never run in legacy\n", 22));
    }

    @Test
    void hungScriptIsTimedOutAndItsWholeGroupKilled() throws Exception {
        fx.script("01.hang", "sleep 1000 & sleep 1000");
        fx.start();

        EventReply r = fx.run(Event.MONITOR, 700);

        EventReply.Completed c = (EventReply.Completed) r;
        assertThat(c.summary()).isEqualTo(-Errno.ETIMEDOUT);
        ScriptResult s = c.scripts().get(0);
        assertThat(s.status()).isEqualTo(ScriptStatus.TIMEDOUT);
        // evidence captured before the kill: the shell and both sleeps, all in the script's session
        assertThat(s.evidence()).hasSizeGreaterThanOrEqualTo(3);
        int sid = s.evidence().get(0).session();
        assertThat(s.evidence()).allMatch(p -> p.session() == sid);
        assertThat(s.evidence()).extracting(ProcInfo::comm).contains("sleep");
        awaitSessionGone(sid);

        assertThat(RunTextFormatter.run("legacy", r))
                .isEqualTo(new Rendered("Event monitor in legacy timed out\n", 110));
        Rendered st = text.status("legacy", Event.MONITOR, fx.engine.lastStatus(Event.MONITOR));
        assertThat(st.exitCode()).isEqualTo(110);
        assertThat(st.text()).matches("(?s)01\\.hang {14}TIMEDOUT {3}\\w{3} .*\\n  OUTPUT: \\n");
    }

    @Test
    void daemonisedGrandchildInTheSessionIsKilledToo() throws Exception {
        Path pidFile = tmp.resolve("grandchild.pid");
        fx.script("01.daemon", "( sleep 1000 & echo $! > " + pidFile + " ) ; sleep 1000");
        fx.start();

        EventReply.Completed c = (EventReply.Completed) fx.run(Event.MONITOR, 700);

        assertThat(c.scripts().get(0).status()).isEqualTo(ScriptStatus.TIMEDOUT);
        int grandchild = Integer.parseInt(Files.readString(pidFile).trim());
        ProcInfo before = c.scripts().get(0).evidence().stream()
                .filter(p -> p.pid() == grandchild)
                .findFirst()
                .orElseThrow();
        assertThat(before.ppid())
                .as("reparented away from the script")
                .isNotEqualTo(c.scripts().get(0).evidence().get(0).pid());
        awaitSessionGone(before.session());
        assertThat(proc.stat(grandchild) == null
                        || !proc.stat(grandchild).alive()
                        || proc.stat(grandchild).startTicks() != before.startTicks())
                .isTrue();
    }

    @Test
    void backgroundChildInAnotherProcessGroupOfTheSessionIsKilledToo() throws Exception {
        // bash's `set -m` puts a background job in a process group of its own (same session)
        Path pidFile = tmp.resolve("job.pid");
        fx.script("01.jobs", "exec bash -c 'set -m; sleep 1000 & echo $! > " + pidFile + "; sleep 1000'");
        fx.start();

        EventReply.Completed c = (EventReply.Completed) fx.run(Event.MONITOR, 700);

        ScriptResult s = c.scripts().get(0);
        assertThat(s.status()).isEqualTo(ScriptStatus.TIMEDOUT);
        int leader = s.evidence().get(0).pid();
        assertThat(s.evidence()).allMatch(p -> p.session() == leader);
        int job = Integer.parseInt(Files.readString(pidFile).trim());
        ProcInfo before =
                s.evidence().stream().filter(p -> p.pid() == job).findFirst().orElseThrow();
        assertThat(before.pgrp()).as("its own process group").isEqualTo(job).isNotEqualTo(leader);
        awaitSessionGone(leader);
        assertThat(proc.stat(job) == null
                        || !proc.stat(job).alive()
                        || proc.stat(job).startTicks() != before.startTicks())
                .isTrue();
    }

    @Test
    void scriptLeadsItsSessionInRootWithNoSignalBlockedOrIgnoredAndNoDaemonDescriptor() throws Exception {
        Path out = tmp.resolve("props");
        fx.script(
                "01.props",
                "{ cut -d' ' -f1,5,6 /proc/$$/stat; pwd; grep -E '^Sig(Blk|Ign):' /proc/self/status;"
                        + " ls /proc/$$/fd | tr '\\n' ' '; echo; } > " + out);
        fx.start();

        assertThat(((EventReply.Completed) fx.run(Event.MONITOR, 5_000)).summary())
                .isZero();

        List<String> lines = Files.readAllLines(out);
        String[] ids = lines.get(0).split(" ");
        assertThat(ids[1]).as("process group").isEqualTo(ids[0]);
        assertThat(ids[2]).as("session").isEqualTo(ids[0]);
        assertThat(lines.get(1)).isEqualTo("/");
        // grep's own masks, inherited through the shell (which blocks all while it waits for grep)
        assertThat(lines.get(2)).matches("SigBlk:\\s+0+");
        // signals 1-31 neither blocked nor ignored (glibc's internal 32 and 33 may be)
        assertThat(Long.parseUnsignedLong(lines.get(3).split("\\s+")[1], 16) & 0x7fffffffL)
                .isZero();
        // the shell's own: 0-2, the script file it reads, the redirection to `out` (3 after dup);
        // none of the daemon's sockets or files
        assertThat(lines.get(4).trim().split(" ").length).isLessThanOrEqualTo(5);
    }

    @Test
    void scriptWhoseInterpreterIsMissingCannotRunAndOneWithoutInterpreterLineRunsUnderSh() throws Exception {
        Path bad = fx.events.resolve("01.bad.script");
        Files.writeString(bad, "#!/nonexistent/sh\nexit 0\n");
        bad.toFile().setExecutable(true);
        fx.start();
        EventReply.Completed c = (EventReply.Completed) fx.run(Event.MONITOR, 5_000);
        assertThat(c.scripts().get(0).status()).isEqualTo(ScriptStatus.CANNOT_RUN);
        assertThat(c.scripts().get(0).code()).isEqualTo(2); // ENOENT
        assertThat(c.summary()).isEqualTo(-2);

        Files.writeString(bad, "echo \"plain $1\"\nexit 0\n");
        EventReply.Completed again = (EventReply.Completed) fx.run(Event.MONITOR, 5_000);
        assertThat(again.scripts().get(0).status()).isEqualTo(ScriptStatus.OK);
        assertThat(again.scripts().get(0).output()).isEqualTo("plain monitor");
    }

    @Test
    void scriptIgnoringSigtermIsSigkilledAfterTheGrace() throws Exception {
        fx.script("01.stubborn", "trap '' TERM; sleep 1000");
        fx.start();

        EventReply.Completed c = (EventReply.Completed) fx.run(Event.MONITOR, 500);
        long timedOutAt = System.nanoTime();
        int sid = c.scripts().get(0).evidence().get(0).session();
        // still alive well after SIGTERM was sent: TERM is ignored by the shell and the sleep
        await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> true);
        assertThat(proc.aliveInSession(sid)).isNotEmpty();
        awaitSessionGone(sid);
        long tookMillis = (System.nanoTime() - timedOutAt) / 1_000_000;
        assertThat(tookMillis).as("killed by SIGKILL after the 300 ms grace").isGreaterThanOrEqualTo(250);
        assertThat(fx.engine.unkillableCount()).isZero();
    }

    @Test
    void timeoutBoundsTheWholeEventNotEachScript() throws Exception {
        fx.script("01.a", "sleep 0.7");
        fx.script("02.b", "sleep 0.7");
        fx.script("03.c", "sleep 0.7");
        fx.start();
        EventReply.Completed c = (EventReply.Completed) fx.run(Event.RECOVERED, 1_100);
        assertThat(c.scripts())
                .extracting(ScriptResult::status)
                .containsExactly(ScriptStatus.OK, ScriptStatus.TIMEDOUT);
        assertThat(EventPolicy.succeeded(c))
                .as("CTDB ignores a timed out 'recovered'")
                .isTrue();
    }

    @Test
    void newEventCancelsRunningMonitor() throws Exception {
        Path started = tmp.resolve("monitor-started");
        fx.script("01.svc", "case \"$1\" in monitor) touch " + started + "; sleep 1000;; esac; exit 0");
        fx.start();

        CompletableFuture<EventReply> monitor = fx.engine.run(EventRequest.of(Event.MONITOR, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started));
        EventReply startup = fx.run(Event.STARTUP, 10_000);

        assertThat(monitor.get(10, TimeUnit.SECONDS)).isInstanceOf(EventReply.Cancelled.class);
        assertThat(RunTextFormatter.run("legacy", monitor.get()))
                .isEqualTo(new Rendered("Event monitor in legacy got cancelled\n", 125));
        assertThat(((EventReply.Completed) startup).summary()).isZero();
        assertThat(fx.engine.lastStatus(Event.MONITOR)).isEmpty();
    }

    @Test
    void monitorRequestedWhileAnotherEventRunsIsCancelled() throws Exception {
        fx.script("01.slow", "case \"$1\" in startup) sleep 1;; esac; exit 0");
        fx.start();
        CompletableFuture<EventReply> startup = fx.engine.run(EventRequest.of(Event.STARTUP, 10_000));
        EventReply monitor = fx.run(Event.MONITOR, 10_000);
        assertThat(monitor).isInstanceOf(EventReply.Cancelled.class);
        assertThat(startup.get(10, TimeUnit.SECONDS)).isInstanceOf(EventReply.Completed.class);
    }

    @Test
    void stillAlivePreviousRunIsNotStartedAgain() throws Exception {
        Path count = tmp.resolve("starts");
        // exits at once but leaves a background child in its session, like the seed's `stat &`
        Path leftover = tmp.resolve("leftover.pid");
        fx.script("01.reclock", "echo x >> " + count + "; sleep 1000 & echo $! > " + leftover + "; exit 0");
        fx.start();

        EventReply.Completed first = (EventReply.Completed) fx.run(Event.MONITOR, 5_000);
        assertThat(first.summary()).isZero();
        EventReply.Completed second = (EventReply.Completed) fx.run(Event.MONITOR, 5_000);

        assertThat(Files.readAllLines(count)).hasSize(1);
        ScriptResult hung = second.scripts().get(0);
        assertThat(hung.status()).isEqualTo(ScriptStatus.HUNG);
        assertThat(hung.hang().kind()).isEqualTo(Hang.Kind.HUNG);
        assertThat(hung.hang().processes()).extracting(ProcInfo::comm).contains("sleep");
        assertThat(second.summary()).isEqualTo(-Errno.EBUSY);
        Rendered st = text.status("legacy", Event.MONITOR, fx.engine.lastStatus(Event.MONITOR));
        assertThat(st.text())
                .contains("01.reclock" + " ".repeat(11) + "HUNG" + " ".repeat(7))
                .contains("  HUNG: pid " + hung.hang().pid() + " alive for ");
        assertThat(st.exitCode()).isEqualTo(Errno.EBUSY);

        // the leftover is killed, so the run after that starts normally
        awaitSessionGone(hung.hang().pid());
        EventReply.Completed third = (EventReply.Completed) fx.run(Event.MONITOR, 5_000);
        assertThat(third.scripts().get(0).status()).isEqualTo(ScriptStatus.OK);
        assertThat(Files.readAllLines(count)).hasSize(2);
        assertThat(fx.engine.stuckRuns()).isEmpty();
        // the third run left its own background sleep; leftovers are only reaped at the next run
        ProcessHandle.of(Long.parseLong(Files.readString(leftover).trim())).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void debugScriptRunsWithThePidBeforeTheKill() throws Exception {
        Path dbg = fx.base.resolve("debug-hung.sh");
        Files.writeString(dbg, "#!/bin/sh\necho \"DEBUG pid=$1 event=$2\"\n[ -d /proc/$1 ] && echo still-alive\n");
        dbg.toFile().setExecutable(true);
        fx.script("01.hang", "sleep 1000");
        fx.start(fx.config().withDebugScript("/ignored/dir/debug-hung.sh"));

        EventReply.Completed c = (EventReply.Completed) fx.run(Event.MONITOR, 500);
        int sid = c.scripts().get(0).evidence().get(0).session();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> fx.engine
                        .lastStatus(Event.MONITOR)
                        .orElseThrow()
                        .scripts()
                        .get(0)
                        .debugOutput()
                        .contains("still-alive"));
        assertThat(fx.engine
                        .lastStatus(Event.MONITOR)
                        .orElseThrow()
                        .scripts()
                        .get(0)
                        .debugOutput())
                .contains("DEBUG pid=" + sid + " event=monitor");
        awaitSessionGone(sid);
    }

    @Test
    void scriptsGetCtdbEnvironment() throws Exception {
        Path out = tmp.resolve("env");
        fx.script("01.env", "echo \"$CTDB_BASE|$CTDB|$CTDB_SCRIPT_VARDIR|$CTDB_GENERATION|$1 $2 $3 $4\" > " + out);
        fx.start();
        EventReply r = fx.engine
                .run(new EventRequest(Event.TAKEIP, List.of("eth0", "10.0.0.5", "24"), 5_000, false, 42))
                .get(10, TimeUnit.SECONDS);
        assertThat(((EventReply.Completed) r).summary()).isZero();
        EngineConfig cfg = fx.config();
        assertThat(Files.readString(out).trim())
                .isEqualTo(cfg.ctdbBase() + "|/bin/echo|" + cfg.scriptVarDir() + "|42|takeip eth0 10.0.0.5 24");
    }

    @Test
    void refusesBadArgumentsAndRecoveryModeEvents() throws Exception {
        fx.script("01.a", "exit 0");
        fx.start();
        EventReply bad = fx.run(Event.TAKEIP, 1_000, "eth0");
        assertThat(bad).isInstanceOf(EventReply.Refused.class);
        EventReply inRecovery = fx.engine
                .run(new EventRequest(Event.MONITOR, List.of(), 1_000, true, 1))
                .get(5, TimeUnit.SECONDS);
        assertThat(inRecovery).isInstanceOf(EventReply.Refused.class);
        EventReply allowed = fx.engine
                .run(new EventRequest(Event.RELEASEIP, List.of("eth0", "10.0.0.5", "24"), 1_000, true, 1))
                .get(5, TimeUnit.SECONDS);
        assertThat(allowed).isInstanceOf(EventReply.Completed.class);
    }

    @Test
    void helperLibraryCountersWorkFromAScript() throws Exception {
        Path lib = fx.base.resolve("functions");
        try (var in = EventEngine.class.getResourceAsStream("functions")) {
            Files.copy(in, lib);
        }
        fx.script(
                "01.probe",
                ". \"$CTDB_BASE/functions\"\nctdb_setup_state_dir service probe\n"
                        + "failcount_incr probe 2 \"storage not answering\" || exit 1\nexit 0");
        fx.start();
        EventReply.Completed one = (EventReply.Completed) fx.run(Event.MONITOR, 5_000);
        EventReply.Completed two = (EventReply.Completed) fx.run(Event.MONITOR, 5_000);
        assertThat(one.summary()).isZero();
        assertThat(two.summary()).isEqualTo(1);
        assertThat(two.scripts().get(0).output())
                .isEqualTo("ERROR: probe: 2 consecutive failure(s) (threshold 2): storage not answering");
        assertThat(Files.size(fx.config().scriptVarDir().resolve("service/probe/probe.failcount")))
                .isEqualTo(2);
    }

    // TODO(fuse fixture): a script stuck in state D on a frozen FUSE mount must be reported
    // UNKILLABLE with wchan, counted, and not started again; needs the frozen-FUSE fixture.
}
