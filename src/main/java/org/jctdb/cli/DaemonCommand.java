package org.jctdb.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jctdb.daemon.DaemonApi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that runs inside the daemon: it reads the daemon's state and prints to the caller. */
abstract class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    JctdbCommand root;

    @Spec
    CommandSpec spec;

    DaemonApi api() {
        return root.api;
    }

    OutputStyle style() {
        return root.style();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a JSON tree, pretty, for --json. */
    void printJson(Object tree) {
        out().print(Json.pretty(tree));
        out().println();
    }
}
