package org.jctdb.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jctdb.control.ClusterView;
import org.jctdb.control.ControlReply;
import org.jctdb.control.DaemonApi;
import org.jctdb.control.NodeView;
import org.jctdb.protocol.NodeFlags;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs one `jctdb` command line inside the daemon and captures what it prints. A command
 * for another node ({@code -n PNN}) is forwarded to that node's daemon over the mesh.
 */
public final class CommandRunner implements Function<List<String>, ControlReply> {
    /** ctdb's commands that run without the daemon: {@code -n} is refused whatever node it names. */
    static final Set<String> WITHOUT_DAEMON = Set.of("version", "listnodes", "event", "scriptstatus");
    /** ctdb's commands that run only on the node the tool talks to; {@code -n} of another node is refused. */
    static final Set<String> LOCAL_ONLY = Set.of(
            "catdb",
            "cattdb",
            "attach",
            "reloadnodes",
            "moveip",
            "wipedb",
            "pfetch",
            "pstore",
            "pdelete",
            "readkey",
            "writekey",
            "deletekey",
            "detach");

    /** Commands that return only once the takeover run they cause has finished. */
    static final Set<String> WAITS_FOR_TAKEOVER = Set.of(
            "disable", "enable", "stop", "continue", "ban", "unban", "ipreallocate", "sync", "moveip", "reloadips");

    /**
     * Idle command lines kept for the next requests (each holds about 1.2 MB of heap); requests
     * beyond these at once build their own (about 6 ms).
     */
    static final int MAX_IDLE = 2;

    private static final PrintWriter NOWHERE = new PrintWriter(Writer.nullWriter());

    private final DaemonApi api;
    /**
     * Building a command line (picocli reflects over every command) was most of the daemon's time
     * for a `pnn`, so one is reused, by one request at a time: each parse sets every option and
     * positional parameter back to its initial value, the commands keep no other state between
     * calls, and the writers are set per request (CommandRunnerReuseTest compares with fresh ones).
     */
    private final BlockingQueue<CommandLine> idle = new ArrayBlockingQueue<>(MAX_IDLE);

    public CommandRunner(DaemonApi api) {
        this.api = api;
    }

    @Override
    public ControlReply apply(List<String> argv) {
        CommandLine cl = idle.poll();
        if (cl == null) {
            cl = commandLine(api);
        }
        ControlReply reply = apply(cl, argv);
        idle.offer(cl); // not kept if the command threw, nor when MAX_IDLE are idle already
        return reply;
    }

    /** A command line for the daemon's tree, with the reply's error wording for a command that throws. */
    static CommandLine commandLine(DaemonApi api) {
        CommandLine cl = new CommandLine(new JctdbCommand(api));
        cl.setExecutionExceptionHandler((e, line, result) -> {
            line.getErr().println("Error: " + e.getMessage());
            return 1;
        });
        return cl;
    }

    private ControlReply apply(CommandLine cl, List<String> argv) {
        JctdbCommand root = cl.getCommand();
        String[] args = argv.toArray(new String[0]);
        String word = Main.commandWord(args);
        if (word != null && !cl.getSubcommands().containsKey(word)) {
            // ctdb's answer (not a page of usage), with the close matches.
            return new ControlReply(1, "", CommandWords.unknownCommand(word, CommandWords.known(cl)));
        }
        try {
            ParseResult parsed = cl.parseArgs(args);
            String target = root.node;
            if (target != null && !parsed.isUsageHelpRequested()) {
                String command = parsed.hasSubcommand()
                        ? parsed.subcommand().commandSpec().name()
                        : "";
                if (WITHOUT_DAEMON.contains(command)) {
                    return ControlReply.error(1, "Cannot specify node for command " + command);
                }
                if (!target.equals(String.valueOf(api.view().myPnn()))) {
                    // commands that wait for a takeover run may take up to -T, as in ctdb
                    int wait = WAITS_FOR_TAKEOVER.contains(command) ? root.timeLimit : root.timeout;
                    return forward(cl, target, command, withoutNodeOption(argv), wait);
                }
            }
        } catch (ParameterException e) {
            StringWriter err = new StringWriter();
            err.write(e.getMessage() + "\n");
            e.getCommandLine().usage(new PrintWriter(err));
            return new ControlReply(1, "", err.toString());
        }
        return runLocally(cl, args);
    }

    /** Runs on the command line already parsed for the checks above; execute parses again, from the initial values. */
    private static ControlReply runLocally(CommandLine cl, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true)); // for the whole tree, as setErr
        cl.setErr(new PrintWriter(err, true));
        try {
            int code = cl.execute(args);
            return new ControlReply(code, out.toString(), err.toString());
        } finally {
            // an idle command line keeps no reply text (catdb's can be large)
            cl.setOut(NOWHERE);
            cl.setErr(NOWHERE);
        }
    }

    private ControlReply forward(CommandLine cl, String target, String command, List<String> argv, int timeoutSeconds) {
        List<Integer> pnns = new ArrayList<>();
        if (target.equals("all")) {
            for (NodeView n : api.view().nodes()) {
                if (!n.deleted()) {
                    pnns.add(n.pnn());
                }
            }
        } else {
            for (String tok : target.split(",")) {
                try {
                    pnns.add(Integer.parseInt(tok.strip()));
                } catch (NumberFormatException e) {
                    // ctdb's option parser (popt) words it so; a list or "all" is JCTDB's addition
                    return ControlReply.error(1, "Invalid option " + target + ": invalid numeric value");
                }
            }
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int code = 0;
        for (int pnn : pnns) {
            String refused = refusal(pnn, command);
            if (refused != null) {
                err.append(refused).append('\n');
                code = code == 0 ? 1 : code;
                continue;
            }
            ControlReply r;
            if (pnn == api.view().myPnn()) {
                r = runLocally(cl, argv.toArray(new String[0]));
            } else {
                try {
                    long millis = Math.max(1, timeoutSeconds) * 1000L;
                    r = api.forward(pnn, argv, millis + 1000).get(millis, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    String why = c instanceof TimeoutException
                            ? "timed out after " + Math.max(1, timeoutSeconds) + " s waiting for its answer"
                            : c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
                    r = ControlReply.error(1, "Failed to run the command on node " + pnn + ": " + why);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ControlReply.error(1, "interrupted");
                }
            }
            out.append(r.stdout());
            err.append(r.stderr());
            code = code == 0 ? r.exitCode() : code;
        }
        return new ControlReply(code, out.toString(), err.toString());
    }

    /** Why {@code command} is not sent to {@code pnn}, in ctdb's words, or null. */
    private String refusal(int pnn, String command) {
        ClusterView v = api.view();
        if (pnn < 0 || pnn >= v.nodes().size()) {
            return "Node " + pnn + " does not exist";
        }
        int flags = v.node(pnn).flags();
        if ((flags & (NodeFlags.DISCONNECTED | NodeFlags.DELETED)) != 0) {
            return "Node " + pnn + " has status " + StatusFormat.flagsText(flags);
        }
        if (LOCAL_ONLY.contains(command) && pnn != v.myPnn()) {
            return "Node cannot be specified for command " + command;
        }
        return null;
    }

    /** The command line with every "-n VALUE" (and "-nVALUE") removed. */
    static List<String> withoutNodeOption(List<String> argv) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-n")) {
                i++;
            } else if (!(a.startsWith("-n") && a.length() > 2 && Character.isDigit(a.charAt(2)))
                    && !a.equals("-nall")) {
                out.add(a);
            }
        }
        return out;
    }
}
