package org.jctdb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The jctdb(1) man page and the bash completion script, written from the command tree that
 * parses the command line (so they cannot drift from it). The package build runs
 * {@code Docs man OUT VERSION} and {@code Docs completion OUT}.
 */
public final class Docs {
    private Docs() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !(args[0].equals("man") || args[0].equals("completion"))) {
            System.err.println("usage: Docs man FILE VERSION | Docs completion FILE");
            System.exit(2);
        }
        String text = args[0].equals("man") ? manPage(tree(), args.length > 2 ? args[2] : "") : completion(tree());
        Files.writeString(Path.of(args[1]), text, StandardCharsets.UTF_8);
    }

    /** Every command in one tree: those run here (with the lab's, if on the class path) and the daemon's. */
    static CommandLine tree() {
        CommandLine cl = new CommandLine(new LocalCommands());
        for (ToolCommands tools : ServiceLoader.load(ToolCommands.class)) {
            tools.commands().forEach(cl::addSubcommand);
        }
        LocalCommands.addHelpOptions(cl);
        CommandLine daemon = new CommandLine(new JctdbCommand(null));
        for (var e : daemon.getSubcommands().entrySet()) {
            if (!cl.getSubcommands().containsKey(e.getKey())) {
                cl.addSubcommand(e.getKey(), e.getValue());
            }
        }
        for (OptionSpec o : daemon.getCommandSpec().options()) {
            if (cl.getCommandSpec().findOption(o.longestName()) == null) {
                // Local here: the daemon's commands inherited it already.
                cl.getCommandSpec()
                        .addOption(o.toBuilder().scopeType(ScopeType.LOCAL).build());
            }
        }
        return cl;
    }

    /**
     * picocli's completion of commands and options, with node numbers (from the local daemon's
     * `listnodes`) after -n.
     */
    static String completion(CommandLine tree) {
        return AutoComplete.bash("jctdb", tree) + """

                # Node numbers after -n, from the local daemon; everything else as above.
                _jctdb_with_nodes() {
                    if [ "${COMP_WORDS[COMP_CWORD-1]}" = "-n" ]; then
                        local pnns
                        pnns=$(jctdb -X listnodes 2>/dev/null | awk -F'|' '$2 ~ /^[0-9]+$/ { print $2 }')
                        mapfile -t COMPREPLY < <(compgen -W "all $pnns" -- "${COMP_WORDS[COMP_CWORD]}")
                        return 0
                    fi
                    _complete_jctdb "$@"
                }
                complete -F _jctdb_with_nodes -o default jctdb
                """;
    }

    static String manPage(CommandLine tree, String version) {
        StringBuilder m = new StringBuilder();
        m.append(".TH JCTDB 1 \"\" \"jctdb ").append(roff(version)).append("\" \"JCTDB\"\n");
        m.append(".SH NAME\njctdb \\- show and control a JCTDB cluster (the ctdb command of JCTDB)\n");
        m.append(".SH SYNOPSIS\n.B jctdb\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]\n");
        m.append(".SH DESCRIPTION\n")
                .append("Sends the command to the JCTDB daemon of this node (jctdbd(8)) and prints its answer, in ")
                .append("the formats and with the exit codes of ctdb(1). Commands marked \\fB(no daemon)\\fR run in ")
                .append("the command itself. An unknown command prints \\fIUnknown command\\fR and exits 1.\n");
        m.append(".SH OPTIONS\nGlobal options may stand before or after the command word.\n");
        options(m, tree.getCommandSpec());
        m.append(".SH COMMANDS\n");
        CommandLine daemon = new CommandLine(new JctdbCommand(null));
        for (CommandLine sub : distinct(tree)) {
            command(m, sub.getCommandSpec(), !daemon.getSubcommands().containsKey(sub.getCommandName()));
        }
        m.append(".SH ENVIRONMENT\n")
                .append(".TP\n.B CTDB_BASE\nThe node's configuration directory (default /etc/jctdb); its run/ holds ")
                .append("the daemon's socket when set.\n")
                .append(".TP\n.B CTDB_SOCKET\nThe daemon's control socket (default /run/jctdb/jctdbd.socket).\n")
                .append(".TP\n.B JCTDB_NO_FAST\nWhen set, every command takes the Java path instead of the small C ")
                .append("client.\n");
        m.append(".SH EXIT STATUS\n0 on success; otherwise the code ctdb(1) gives for the same failure ")
                .append("(1 for an unknown command or no daemon).\n");
        m.append(".SH SEE ALSO\njctdbd(8), ctdb(1), ctdb.conf(5)\n");
        return m.toString();
    }

    private static void command(StringBuilder m, CommandSpec spec, boolean offline) {
        m.append(".SS \"").append(roff(spec.qualifiedName(" ").replaceFirst("^jctdb ", "")));
        for (PositionalParamSpec p : spec.positionalParameters()) {
            m.append(' ').append(roff(p.paramLabel()));
        }
        m.append("\"\n");
        for (String line : spec.usageMessage().description()) {
            m.append(roff(line)).append('\n');
        }
        if (offline) {
            m.append("\\fB(no daemon)\\fR\n");
        }
        if (spec.aliases().length > 0) {
            m.append("Also: ").append(roff(String.join(", ", spec.aliases()))).append(".\n");
        }
        if (spec.parent() != null && spec.parent().parent() != null
                || spec.options().stream().anyMatch(o -> !o.inherited() && !o.usageHelp())) {
            options(m, spec);
        }
        for (CommandLine sub : distinct(spec.commandLine())) {
            command(m, sub.getCommandSpec(), offline);
        }
    }

    /** The subcommands of {@code cl}, each once (picocli lists a command again under each alias). */
    private static Set<CommandLine> distinct(CommandLine cl) {
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<CommandLine> out = new LinkedHashSet<>();
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (seen.add(sub)) {
                out.add(sub);
            }
        }
        return out;
    }

    private static void options(StringBuilder m, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            boolean help = o.usageHelp() || o.versionHelp();
            if (o.inherited() || o.hidden() || help && spec.parent() != null) {
                continue;
            }
            m.append(".TP\n\\fB").append(roff(String.join(", ", o.names()))).append("\\fR");
            if (o.arity().max() > 0) {
                m.append(" \\fI").append(roff(o.paramLabel())).append("\\fR");
            }
            m.append('\n').append(roff(String.join(" ", o.description()))).append('\n');
        }
    }

    /** Text safe in roff: backslashes escaped, hyphens as minus signs, no line starting a request. */
    static String roff(String text) {
        String t = text.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
