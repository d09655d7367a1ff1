package org.jctdb.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jctdb.config.TunableDef;
import org.jctdb.config.Tunables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** listvars, getvar, setvar: the node's tunables, as in CTDB. */
final class TunableCommands {
    private TunableCommands() {}

    static String line(String name, long value) {
        return String.format("%-26s = %d%n", name, value);
    }

    @Command(name = "listvars", description = "List all tunables and their values.")
    static final class ListVars extends DaemonCommand {
        @Override
        public Integer call() {
            Tunables t = api().tunables();
            if (style().json()) {
                Map<String, Long> all = new LinkedHashMap<>();
                t.listed().forEach(e -> all.put(e.getKey(), e.getValue()));
                printJson(all);
            } else { // ctdb has no machine-readable listvars: -X and -Y change nothing
                t.listed().forEach(e -> out().print(line(e.getKey(), e.getValue())));
            }
            return 0;
        }
    }

    @Command(name = "getvar", description = "Show one tunable.")
    static final class GetVar extends DaemonCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Optional<TunableDef> def = Tunables.definition(name);
            if (def.isEmpty()) {
                out().println("No such tunable " + name);
                return 1;
            }
            long value = api().tunables().get(name);
            if (style().json()) {
                printJson(Map.of(def.get().name(), value));
            } else {
                out().print(line(name, value));
            }
            return 0;
        }
    }

    @Command(name = "setvar", description = "Set one tunable on this node (until the daemon restarts).")
    static final class SetVar extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        public Integer call() throws InterruptedException {
            Optional<TunableDef> def = Tunables.definition(name);
            if (def.isEmpty()) {
                out().println("No such tunable " + name);
                return 1;
            }
            long v;
            try {
                v = RuntimeCommands.ProcessExists.unsigned(value);
            } catch (NumberFormatException e) {
                return DatabaseCommands.EINVAL; // ctdb's strtoul fails silently with EINVAL
            }
            if (v < 0 || v > 0xffffffffL) {
                err().println("Invalid value " + value + " for tunable "
                        + def.get().name());
                return 1;
            }
            try {
                api().setTunable(def.get().name(), v).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // The daemon's rule (org.jctdb.config.TunableRules), in the words ctdb.tunables gets at start.
                Throwable why = e.getCause() instanceof CompletionException
                                && e.getCause().getCause() != null
                        ? e.getCause().getCause()
                        : e.getCause();
                err().println("Failed to set tunable " + def.get().name() + ": "
                        + (why == null ? e.getMessage() : why.getMessage()));
                return 1;
            } catch (TimeoutException e) {
                err().println("Failed to set tunable " + def.get().name() + ": " + e.getMessage());
                return 1;
            }
            if (def.get().obsolete()) {
                err().println("Setting obsolete tunable variable '" + def.get().name() + "'");
            }
            return 0;
        }
    }
}
