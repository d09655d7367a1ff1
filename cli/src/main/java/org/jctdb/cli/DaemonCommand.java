package org.jctdb.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jctdb.control.DaemonApi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that runs inside the daemon: it reads the daemon's state and prints to the caller. */
abstract class DaemonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The top of the command tree, which holds the global options and the daemon. */
    JctdbCommand root() {
        return (JctdbCommand) spec.root().userObject();
    }

    DaemonApi api() {
        return root().api;
    }

    OutputStyle style() {
        return root().style();
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
