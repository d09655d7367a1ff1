package org.jctdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jctdb.event.format.Rendered;
import org.jctdb.event.format.RunTextFormatter;
import org.jctdb.event.format.ScriptListFormatter;
import org.jctdb.event.format.StatusJsonFormatter;
import org.jctdb.event.format.StatusTextFormatter;
import org.jctdb.os.ProcInfo;
import org.jctdb.os.ProcStatParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventPureTest {
    static final Instant T = Instant.parse("2016-12-07T19:39:11Z");
    final StatusTextFormatter fmt = new StatusTextFormatter(ZoneOffset.UTC);

    static ScriptResult res(String name, ScriptStatus st, int code, long ms, String out) {
        return new ScriptResult(name, st, code, T, ms, out, null, null, null);
    }

    static EventReply.Completed completed(Event e, List<ScriptResult> rs) {
        int summary = rs.stream()
                .mapToInt(ScriptResult::summary)
                .filter(s -> s != 0 && s != -Errno.ENOEXEC)
                .findFirst()
                .orElse(0);
        return new EventReply.Completed(e, List.of(), T, rs, summary);
    }

    @Test
    void statusLinesMatchCtdbLayout() {
        Rendered r = fmt.status(
                "legacy",
                Event.MONITOR,
                Optional.of(completed(
                        Event.MONITOR,
                        List.of(
                                res("00.ctdb", ScriptStatus.OK, 0, 14, ""),
                                res("13.per_ip_routing", ScriptStatus.DISABLED, 0, 0, ""),
                                res(
                                        "50.samba",
                                        ScriptStatus.ERROR,
                                        1,
                                        77,
                                        "ERROR: samba tcp port 445 is not responding")))));
        assertThat(r.text())
                .isEqualTo("00.ctdb              OK         0.014 Wed Dec  7 19:39:11 2016\n"
                        + "13.per_ip_routing    DISABLED  \n"
                        + "50.samba             ERROR      0.077 Wed Dec  7 19:39:11 2016\n"
                        + "  OUTPUT: ERROR: samba tcp port 445 is not responding\n");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void timedOutCannotRunAndUnkillableLines() {
        ProcInfo d = new ProcInfo(4242, 1, 4200, 4200, 'D', "stat", 99, "fuse_wait_answer", List.of());
        ScriptResult to = res("01.reclock", ScriptStatus.TIMEDOUT, 0, 30_000, "")
                .withHang(new Hang(Hang.Kind.UNKILLABLE, 4200, 65_000, List.of(d)));
        Rendered r = fmt.status("legacy", Event.MONITOR, Optional.of(completed(Event.MONITOR, List.of(to))));
        assertThat(r.text())
                .isEqualTo("01.reclock           TIMEDOUT   Wed Dec  7 19:39:11 2016\n"
                        + "  OUTPUT: \n"
                        + "  UNKILLABLE: pid 4200 alive for 65.0s: pid 4242 (stat) state D wchan fuse_wait_answer\n");
        assertThat(r.exitCode()).isEqualTo(110);

        Rendered cr = fmt.status(
                "legacy",
                Event.STARTUP,
                Optional.of(
                        completed(Event.STARTUP, List.of(res("05.x", ScriptStatus.CANNOT_RUN, Errno.EINTR, 0, "")))));
        assertThat(cr.text()).startsWith("05.x                 CANNOT RUN (Interrupted system call)\n");
        assertThat(cr.exitCode()).isEqualTo(Errno.EINTR);
    }

    @Test
    void runMessagesAndExitCodes() {
        assertThat(RunTextFormatter.run("legacy", new EventReply.Cancelled(Event.MONITOR, List.of(), "x")))
                .isEqualTo(new Rendered("Event monitor in legacy got cancelled\n", 125));
        assertThat(RunTextFormatter.run("legacy", new EventReply.Refused(Event.MONITOR, List.of(), Errno.ENOENT, "x")))
                .isEqualTo(new Rendered("Event dir for legacy does not exist\n", 2));
        assertThat(RunTextFormatter.run(
                                "legacy",
                                completed(Event.TAKEIP, List.of(res("10.interface", ScriptStatus.TIMEDOUT, 0, 0, ""))))
                        .exitCode())
                .isEqualTo(110);
    }

    @Test
    void jsonCarriesEvidence() {
        ProcInfo p = new ProcInfo(7, 1, 7, 7, 'D', "df", 5, "nfs_wait", List.of("[<0>] nfs_wait+0x1"));
        ScriptResult r =
                new ScriptResult("01.reclock", ScriptStatus.TIMEDOUT, 0, T, 30_000, "", List.of(p), "dbg", null);
        Rendered j =
                StatusJsonFormatter.status("legacy", Event.MONITOR, Optional.of(completed(Event.MONITOR, List.of(r))));
        assertThat(j.text())
                .contains("\"status\" : \"TIMEDOUT\"")
                .contains("\"wchan\" : \"nfs_wait\"")
                .contains("\"debugOutput\" : \"dbg\"")
                .contains("\"exitCode\" : 110");
        assertThat(StatusJsonFormatter.status("legacy", Event.INIT, Optional.empty())
                        .exitCode())
                .isEqualTo(22);
    }

    @Test
    void procStatParserHandlesHostileCommandNames() {
        String line = "1234 (a) b (c) D 1 1230 1230 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10";
        ProcInfo p = ProcStatParser.parse(line);
        assertThat(p).isNotNull();
        assertThat(p.comm()).isEqualTo("a) b (c");
        assertThat(p.state()).isEqualTo('D');
        assertThat(p.ppid()).isEqualTo(1);
        assertThat(p.pgrp()).isEqualTo(1230);
        assertThat(p.session()).isEqualTo(1230);
        assertThat(p.startTicks()).isEqualTo(987654);
        assertThat(ProcStatParser.parse("garbage")).isNull();
        assertThat(ProcStatParser.parse("12 (x) S 1 2")).isNull();
        assertThat(new ProcInfo(1, 0, 1, 1, 'Z', "z", 0, null, null).alive()).isFalse();
    }

    @Test
    void eventArgumentsAndRecoveryRules() {
        assertThat(Event.TAKEIP.checkArgs(List.of("eth0", "10.0.0.1", "24"))).isNull();
        assertThat(Event.TAKEIP.checkArgs(List.of("eth0"))).contains("IFACE IP MASKBITS");
        assertThat(Event.UPDATEIP.checkArgs(List.of("a", "b", "c", "d"))).isNull();
        assertThat(Event.MONITOR.checkArgs(List.of("x"))).contains("no arguments");
        assertThat(Event.RELEASEIP.checkArgs(List.of("eth0", "10.0.0.1 x", "24")))
                .contains("whitespace");
        assertThat(List.of(Event.values()).stream().filter(Event::allowedInRecovery))
                .containsExactlyInAnyOrder(
                        Event.INIT,
                        Event.SETUP,
                        Event.STARTRECOVERY,
                        Event.SHUTDOWN,
                        Event.RELEASEIP,
                        Event.IPREALLOCATED);
        assertThat(Event.parse("ipreallocated")).contains(Event.IPREALLOCATED);
        assertThat(Event.parse("stopped")).isEmpty();
    }

    @Test
    void failurePolicy() {
        assertThat(EventPolicy.onFailure(Event.INIT)).isEqualTo(EventPolicy.OnFailure.STOP_DAEMON);
        assertThat(EventPolicy.onFailure(Event.SETUP)).isEqualTo(EventPolicy.OnFailure.STOP_DAEMON);
        assertThat(EventPolicy.onFailure(Event.STARTUP)).isEqualTo(EventPolicy.OnFailure.RETRY);
        assertThat(EventPolicy.onFailure(Event.MONITOR)).isEqualTo(EventPolicy.OnFailure.SET_UNHEALTHY);
        EventReply.Completed takeTimedOut =
                completed(Event.TAKEIP, List.of(res("10.interface", ScriptStatus.TIMEDOUT, 0, 0, "")));
        EventReply.Completed monTimedOut =
                completed(Event.MONITOR, List.of(res("10.interface", ScriptStatus.TIMEDOUT, 0, 0, "")));
        assertThat(EventPolicy.succeeded(takeTimedOut)).isTrue();
        assertThat(EventPolicy.succeeded(monTimedOut)).isFalse();
        assertThat(EventPolicy.succeeded(completed(Event.TAKEIP, List.of(res("a", ScriptStatus.ERROR, 1, 0, "")))))
                .isFalse();
    }

    @Test
    void monitorTimeoutIsAFailureByDefault() {
        MonitorTimeoutTracker t = new MonitorTimeoutTracker();
        EventReply.Completed timedOut = completed(Event.MONITOR, List.of(res("a", ScriptStatus.TIMEDOUT, 0, 0, "")));
        EventReply.Completed ok = completed(Event.MONITOR, List.of(res("a", ScriptStatus.OK, 0, 0, "")));
        int dflt = MonitorTimeoutTracker.DEFAULT_MONITOR_TIMEOUT_COUNT;
        assertThat(t.onMonitor(timedOut, dflt)).isEqualTo(MonitorTimeoutTracker.Verdict.UNHEALTHY);
        assertThat(t.onMonitor(ok, dflt)).isEqualTo(MonitorTimeoutTracker.Verdict.HEALTHY);
        // an operator who sets CTDB's 20 gets CTDB's tolerance back
        for (int i = 1; i < 20; i++) {
            assertThat(t.onMonitor(timedOut, 20)).isEqualTo(MonitorTimeoutTracker.Verdict.UNCHANGED);
        }
        assertThat(t.onMonitor(timedOut, 20)).isEqualTo(MonitorTimeoutTracker.Verdict.UNHEALTHY);
        assertThat(t.onMonitor(new EventReply.Cancelled(Event.MONITOR, List.of(), "x"), dflt))
                .isEqualTo(MonitorTimeoutTracker.Verdict.UNCHANGED);
        EventReply.Completed hung = completed(Event.MONITOR, List.of(res("a", ScriptStatus.HUNG, 0, 0, "")));
        assertThat(t.onMonitor(hung, 20)).isEqualTo(MonitorTimeoutTracker.Verdict.UNHEALTHY);
    }

    @Test
    void scriptDirectoryOrderEnableDisableAndList(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("share"));
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        for (String n : List.of("50.samba", "00.ctdb", "10.interface")) {
            Path p = data.resolve(n + ".script");
            Files.writeString(p, "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(etc.resolve("02.local.script"), "#!/bin/sh\n");
        Files.writeString(etc.resolve("README"), "not a script");
        Files.writeString(etc.resolve("03.backup.script~"), "editor leftover");
        ScriptDirectory dir = new ScriptDirectory(etc, data);

        assertThat(dir.enable("legacy", "10.interface")).isEqualTo(new EventScripts.CommandResult(0, ""));
        assertThat(dir.enable("legacy", "00.ctdb").exitCode()).isZero();
        assertThat(dir.enable("legacy", "02.local").exitCode()).isZero();
        assertThat(dir.enable("legacy", "99.nothere"))
                .isEqualTo(new EventScripts.CommandResult(Errno.ENOENT, "Script 99.nothere does not exist in legacy"));
        assertThat(dir.enable("legacy", "../x").exitCode()).isEqualTo(Errno.EINVAL);
        assertThat(dir.scripts())
                .extracting(EventScripts.Script::name)
                .containsExactly("00.ctdb", "02.local", "10.interface");
        assertThat(dir.scripts()).allMatch(EventScripts.Script::enabled);

        assertThat(ScriptListFormatter.list(dir.listing()).text())
                .isEqualTo("* 00.ctdb\n* 10.interface\n  50.samba\n\n* 02.local\n");

        assertThat(dir.disable("legacy", "00.ctdb").exitCode()).isZero();
        assertThat(Files.exists(etc.resolve("00.ctdb.script"))).isFalse();
        assertThat(dir.disable("legacy", "02.local").exitCode()).isZero();
        assertThat(dir.disable("legacy", "77.absent").exitCode()).isZero();
        assertThat(dir.scripts()).extracting(EventScripts.Script::enabled).containsExactly(false, true);
        assertThat(ScriptListFormatter.list(dir.listing()).text())
                .isEqualTo("  00.ctdb\n* 10.interface\n  50.samba\n\n  02.local\n");
    }
}
