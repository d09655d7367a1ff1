package org.jctdb.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jctdb.config.Layout;
import org.jctdb.control.ControlClient;
import org.jctdb.control.ControlReply;

/**
 * The `jctdb` command. Event scripts call it many times per monitor run, so the common path
 * is short: find the command word, send the arguments to the local daemon, print the reply.
 * Only commands that work without a daemon load the command-line framework here.
 */
public final class Main {
    /**
     * Commands that run in this process, without a daemon. ptrans, backupdb and restoredb use the
     * daemon's CTDB client socket, but read the caller's standard input or files.
     */
    static final Set<String> OFFLINE = Set.of(
            "local-cluster",
            "config",
            "ipalloc",
            "lab",
            "help",
            "ptrans",
            "backupdb",
            "restoredb",
            "dumpdbbackup",
            "tickle");
    /** Commands the calling process answers itself, as ctdb's tool does; jctdb-fast answers them in C. */
    static final Set<String> CLIENT_SIDE = Set.of("checktcpport");
    /** ctdb's commands that run without a daemon among the offline ones: -n is refused. */
    private static final Set<String> NO_NODE = Set.of("tickle", "dumpdbbackup");
    /** Commands that read connections from the caller's standard input when given no arguments. */
    static final Set<String> STDIN_LISTS = Set.of("addtickle", "deltickle");
    /** Global options that take a value, so the word after them is not the command. */
    private static final Set<String> VALUED = Set.of("-n", "-x", "-t", "-T", "-d", "--debug");

    static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-?");

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String command = commandWord(args);
        if (command != null && command.equals("help") && args.length > 1) {
            // "jctdb help status" is "jctdb status --help" for the commands the daemon answers.
            String[] rest = Arrays.copyOfRange(args, Arrays.asList(args).indexOf("help") + 1, args.length);
            String topic = commandWord(rest);
            if (topic != null && !OFFLINE.contains(topic) && !CLIENT_SIDE.contains(topic)) {
                return CommandWords.help(topic, rest);
            }
        }
        if (command != null
                && NO_NODE.contains(command)
                && Arrays.asList(args)
                        .subList(0, Arrays.asList(args).indexOf(command))
                        .contains("-n")) {
            System.err.println("Cannot specify node for command " + command); // as ctdb: they need no daemon
            return 1;
        }
        if (command == null || OFFLINE.contains(command) || CLIENT_SIDE.contains(command)) {
            return LocalCommands.run(args);
        }
        if (helpRequested(args)) {
            return CommandWords.help(command, args);
        }
        if (STDIN_LISTS.contains(command) && args[args.length - 1].equals(command)) {
            try {
                List<String> all = new ArrayList<>(Arrays.asList(args));
                all.add(TickleCommands.STDIN_MARK);
                all.addAll(new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .toList());
                args = all.toArray(new String[0]);
            } catch (IOException e) {
                System.err.println("jctdb: cannot read standard input: " + e.getMessage());
                return 1;
            }
        }
        return runAt(Layout.fromEnvironment().socket(), args, command);
    }

    /** Sends the command to the daemon listening on {@code socket} and prints its reply. */
    static int runAt(Path socket, String[] args) {
        return runAt(socket, args, commandWord(args));
    }

    private static int runAt(Path socket, String[] args, String command) {
        try {
            ControlReply reply = ControlClient.call(socket, Arrays.asList(args), timeLimitMillis(args));
            // Raw bytes to the file descriptors: no PrintStream or charset encoder to set up.
            write(FileDescriptor.out, reply.stdout());
            write(FileDescriptor.err, reply.stderr());
            return reply.exitCode();
        } catch (ControlClient.NotRunningException e) {
            if ("listnodes".equals(command)) {
                return LocalCommands.listNodesFromFile(args); // as ctdb's: it reads the nodes file, no daemon needed
            }
            // No daemon to ask: a mistyped command still gets ctdb's answer, not a connection error.
            Set<String> known = CommandWords.known();
            System.err.println(
                    known.contains(command)
                            ? e.getMessage()
                            : CommandWords.unknownCommand(command, known).strip());
            return 1;
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static void write(FileDescriptor fd, String text) throws IOException {
        if (!text.isEmpty()) {
            FileOutputStream out = new FileOutputStream(fd);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Whether a help option stands among the arguments (before a "--" that ends the options). */
    static boolean helpRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (HELP_OPTIONS.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The first word that is neither an option nor an option's value, or null. */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED.contains(a)) {
                i++;
            } else if (!a.startsWith("-") || a.equals("-")) {
                return a;
            }
        }
        return null;
    }

    private static long timeLimitMillis(String[] args) {
        List<String> l = Arrays.asList(args);
        int i = l.indexOf("-T");
        if (i >= 0 && i + 1 < l.size()) {
            try {
                return Math.max(1, Long.parseLong(l.get(i + 1))) * 1000L;
            } catch (NumberFormatException e) {
                return 120_000L;
            }
        }
        return 120_000L;
    }
}
