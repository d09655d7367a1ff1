package org.jctdb.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jctdb.config.ConfigException;
import org.jctdb.config.Layout;
import org.jctdb.config.NodesFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** The commands that run in the `jctdb` process itself, without a daemon. */
@Command(
        name = "jctdb",
        usageHelpAutoWidth = true,
        description = "Show and control a JCTDB cluster. These commands work without a running daemon.",
        subcommands = {
            ConfigCommand.class,
            IpallocCommand.class,
            OfflineDatabaseCommands.PTrans.class,
            OfflineDatabaseCommands.BackupDb.class,
            OfflineDatabaseCommands.RestoreDb.class,
            OfflineDatabaseCommands.DumpDbBackup.class,
            TickleCommand.class,
            CheckTcpPort.class,
            CommandLine.HelpCommand.class
        })
public final class LocalCommands implements Callable<Integer> {
    /** The commands of ctdb's tool among these (the others are JCTDB's own). */
    private static final Set<String> CTDB_COMMANDS =
            Set.of("ptrans", "backupdb", "restoredb", "dumpdbbackup", "tickle", "checktcpport");

    @Spec
    CommandSpec spec;

    static int run(String[] args) {
        CommandLine cl = new CommandLine(new LocalCommands());
        for (ToolCommands tools : ServiceLoader.load(ToolCommands.class)) {
            tools.commands().forEach(cl::addSubcommand);
        }
        addHelpOptions(cl);
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine line = e.getCommandLine();
            line.getErr().println(e.getMessage());
            line.usage(line.getErr());
            // ctdb's commands exit 1 on a usage error, as ctdb does; JCTDB's own keep picocli's 2
            return CTDB_COMMANDS.contains(line.getCommandName()) ? 1 : 2;
        });
        cl.setExecutionExceptionHandler((e, line, result) -> {
            line.getErr().println("jctdb: " + e.getMessage());
            return 1;
        });
        if (Main.commandWord(args) == null && Main.helpRequested(args)) {
            // The root's help lists the daemon's commands too, not only those run here.
            usage(cl, cl.getOut());
            return 0;
        }
        return cl.execute(args);
    }

    /**
     * -h, -? and --help on every command of the tree that has no help option of its own. Added
     * here rather than inherited, as the tree mixes in commands that bring their own (picocli's help).
     */
    static void addHelpOptions(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("-h") == null && spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "-?", "--help")
                    .usageHelp(true)
                    .description("Show this help.")
                    .build());
        }
        cl.getSubcommands().values().forEach(LocalCommands::addHelpOptions);
    }

    @Override
    public Integer call() {
        usage(spec.commandLine(), spec.commandLine().getOut());
        return 0;
    }

    private static void usage(CommandLine cl, PrintWriter out) {
        cl.usage(out);
        out.println();
        out.println("Commands answered by the local daemon:");
        new CommandLine(new JctdbCommand(null)).usage(out);
        out.flush();
    }

    /** listnodes without a daemon: this node's nodes file, in the output style of the arguments. */
    /** (Here, not in Main: its catch of picocli's exception would load picocli on the fast path.) */
    static int listNodesFromFile(String[] args) {
        JctdbCommand root = new JctdbCommand(null); // parses the options only; nothing asks the daemon
        try {
            new CommandLine(root).parseArgs(args);
            if (root.node != null) {
                System.err.println("Cannot specify node for command listnodes"); // as CommandRunner, as ctdb
                return 1;
            }
            NodesFile nodes = NodesFile.read(Layout.fromEnvironment().nodesFile());
            PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            StatusCommands.ListNodes.print(
                    root.style(),
                    out,
                    nodes.nodes().stream()
                            .filter(n -> !n.deleted())
                            .map(n -> Map.entry(n.pnn(), n.addressText()))
                            .toList());
            out.flush();
            return 0;
        } catch (CommandLine.ParameterException | ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
