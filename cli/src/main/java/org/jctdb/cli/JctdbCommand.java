package org.jctdb.cli;

import java.util.concurrent.Callable;
import org.jctdb.control.DaemonApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The `jctdb` command tree as the daemon runs it. Global options may stand before or after
 * the command word, as with ctdb.
 */
@Command(
        name = "jctdb",
        usageHelpAutoWidth = true,
        description = "Show and control a JCTDB cluster (the ctdb command of JCTDB).",
        subcommands = {
            StatusCommands.Status.class,
            StatusCommands.NodeStatus.class,
            StatusCommands.Pnn.class,
            StatusCommands.Leader.class,
            StatusCommands.Recover.class,
            StatusCommands.ListNodes.class,
            DaemonCommands.Uptime.class,
            DaemonCommands.Version.class,
            DaemonCommands.Ping.class,
            DaemonCommands.GetPid.class,
            DaemonCommands.GetReclock.class,
            DaemonCommands.Shutdown.class,
            RuntimeCommands.GetCapabilities.class,
            StatisticsCommands.Show.class,
            StatisticsCommands.Reset.class,
            RuntimeCommands.Runstate.class,
            RuntimeCommands.SetLeaderRole.class,
            RuntimeCommands.GetDebug.class,
            RuntimeCommands.SetDebug.class,
            RuntimeCommands.ProcessExists.class,
            TunableCommands.ListVars.class,
            TunableCommands.GetVar.class,
            TunableCommands.SetVar.class,
            EventCommands.EventRoot.class,
            EventCommands.ScriptStatus.class,
            HealthCommand.class,
            IpCommands.Ip.class,
            IpCommands.IpInfo.class,
            IpCommands.Ifaces.class,
            IpAdminCommands.IpReallocate.class,
            IpAdminCommands.MoveIp.class,
            IpAdminCommands.AddIp.class,
            IpAdminCommands.DelIp.class,
            IpAdminCommands.ReloadIps.class,
            IpAdminCommands.SetIfaceLink.class,
            IpAdminCommands.GratArp.class,
            TickleCommands.GetTickles.class,
            TickleCommands.AddTickle.class,
            TickleCommands.DelTickle.class,
            NodeAdminCommands.Disable.class,
            NodeAdminCommands.Enable.class,
            NodeAdminCommands.Stop.class,
            NodeAdminCommands.Continue.class,
            NodeAdminCommands.Ban.class,
            NodeAdminCommands.Unban.class,
            NodesCommands.ReloadNodes.class,
            NodesCommands.NodesFileText.class,
            NodesCommands.Apply.class,
            DatabaseCommands.GetDbMap.class,
            DatabaseCommands.GetDbStatus.class,
            DatabaseCommands.GetDbSeqnum.class,
            DbStatisticsCommand.class,
            DetachCommand.class,
            DatabaseCommands.Attach.class,
            DatabaseCommands.CatDb.class,
            DatabaseCommands.CatTdb.class,
            DatabaseCommands.ReadKey.class,
            DatabaseCommands.WriteKey.class,
            DatabaseCommands.DeleteKey.class,
            DatabaseCommands.PFetch.class,
            DatabaseCommands.PStore.class,
            DatabaseCommands.PDelete.class,
            DatabaseCommands.WipeDb.class,
        })
public final class JctdbCommand implements Callable<Integer> {
    final DaemonApi api;

    @Spec
    CommandSpec spec;

    @Option(
            names = "-n",
            scope = ScopeType.INHERIT,
            paramLabel = "PNN|all",
            description = "Run the command on node PNN (or on all nodes) through the local daemon.")
    String node;

    @Option(names = "-X", scope = ScopeType.INHERIT, description = "Machine-readable output, fields separated by '|'.")
    boolean pipeSeparated;

    @Option(
            names = "-Y",
            scope = ScopeType.INHERIT,
            description = "Machine-readable output; fields separated by '|' (as ctdb 4.17) unless -x says otherwise.")
    boolean colonSeparated;

    @Option(
            names = "-x",
            scope = ScopeType.INHERIT,
            paramLabel = "SEP",
            description = "Separator of -X/-Y output (default '|').")
    String separator;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "JSON output.")
    boolean json;

    @Option(
            names = "-t",
            scope = ScopeType.INHERIT,
            paramLabel = "TIMEOUT",
            description = "Seconds to wait for a reply (default 10).")
    int timeout = 10;

    @Option(
            names = "-T",
            scope = ScopeType.INHERIT,
            paramLabel = "TIMELIMIT",
            description = "Maximum run time in seconds (default 120).")
    int timeLimit = 120;

    @Option(
            names = {"-d", "--debug"},
            scope = ScopeType.INHERIT,
            paramLabel = "LEVEL",
            description = "Debug level of the command.")
    String debugLevel;

    @Option(
            names = {"-h", "-?", "--help"},
            usageHelp = true,
            scope = ScopeType.INHERIT,
            description = "Show this help.")
    boolean help;

    public JctdbCommand(DaemonApi api) {
        this.api = api;
    }

    /** As ctdb 4.17: -X and -Y turn machine output on, '|' unless -x names another; -x alone changes nothing. */
    OutputStyle style() {
        if (!pipeSeparated && !colonSeparated) {
            return new OutputStyle(null, json);
        }
        return new OutputStyle(separator != null ? separator : "|", json);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }
}
