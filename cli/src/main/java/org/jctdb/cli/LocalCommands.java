package org.jctdb.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
            CheckTcpPort.class,
            CommandLine.HelpCommand.class
        })
public final class LocalCommands implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static int run(String[] args) {
        CommandLine cl = new CommandLine(new LocalCommands());
        for (ToolCommands tools : ServiceLoader.load(ToolCommands.class)) {
            tools.commands().forEach(cl::addSubcommand);
        }
        cl.setExecutionExceptionHandler((e, line, result) -> {
            line.getErr().println("jctdb: " + e.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        spec.commandLine().usage(out);
        out.println();
        out.println("Commands answered by the local daemon:");
        new CommandLine(new JctdbCommand(null)).usage(out);
        return 0;
    }
}
