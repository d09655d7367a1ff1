package org.jctdb.cli;

import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jctdb.event.Event;
import org.jctdb.event.EventControl;
import org.jctdb.event.EventReply;
import org.jctdb.event.EventRequest;
import org.jctdb.event.format.Rendered;
import org.jctdb.event.format.RunTextFormatter;
import org.jctdb.event.format.ScriptListFormatter;
import org.jctdb.event.format.StatusJsonFormatter;
import org.jctdb.event.format.StatusTextFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code event run|status|script} and {@code scriptstatus}, in CTDB 4.17's formats. */
final class EventCommands {
    private EventCommands() {}

    /** Shared by the event commands: the engine, or a CTDB-style refusal while it is not up. */
    abstract static class EventCommand extends DaemonCommand {
        Optional<EventControl> engine() {
            Optional<EventControl> e = api().events();
            if (e.isEmpty()) {
                err().println("Event scripts are not running yet on this node");
            }
            return e;
        }

        boolean legacy(String component) {
            if (!component.equals("legacy")) {
                err().println("Unknown component " + component + " (only legacy exists)");
                return false;
            }
            return true;
        }

        int print(Rendered r) {
            out().print(r.text());
            return r.exitCode();
        }

        Optional<Event> event(String name) {
            Optional<Event> e = Event.parse(name);
            if (e.isEmpty()) {
                err().println("Invalid event name " + name);
            }
            return e;
        }
    }

    @Command(
            name = "event",
            description = "Run event scripts or show their status.",
            subcommands = {Run.class, Status.class, Script.class})
    static final class EventRoot extends DaemonCommand {
        @Override
        public Integer call() {
            spec.commandLine().usage(err());
            return 1;
        }
    }

    @Command(name = "run", description = "Run an event: event run TIMEOUT legacy EVENT [ARGS].")
    static final class Run extends EventCommand {
        @Parameters(index = "0", paramLabel = "TIMEOUT")
        long timeout;

        @Parameters(index = "1", paramLabel = "COMPONENT")
        String component;

        @Parameters(index = "2", paramLabel = "EVENT")
        String eventName;

        @Parameters(index = "3..*", paramLabel = "ARGS")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws InterruptedException {
            Optional<EventControl> engine = engine();
            Optional<Event> ev = legacy(component) ? event(eventName) : Optional.empty();
            if (engine.isEmpty() || ev.isEmpty()) {
                return 1;
            }
            try {
                EventReply reply = engine.get()
                        .run(new EventRequest(
                                ev.get(),
                                args,
                                timeout * 1000L,
                                false,
                                api().view().generation()))
                        .get(timeout + 30, TimeUnit.SECONDS);
                return print(RunTextFormatter.run(component, reply));
            } catch (ExecutionException | TimeoutException e) {
                err().println("Failed to run event " + eventName + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "status", description = "Show the last run of an event: event status legacy EVENT.")
    static final class Status extends EventCommand {
        @Parameters(index = "0", paramLabel = "COMPONENT")
        String component;

        @Parameters(index = "1", paramLabel = "EVENT")
        String eventName;

        @Override
        public Integer call() {
            Optional<EventControl> engine = engine();
            if (engine.isEmpty() || !legacy(component)) {
                return 1;
            }
            Optional<Event> ev = Event.parse(eventName);
            if (ev.isEmpty()) { // ctdb's eventd takes any name, and has never run this one
                out().println("Event " + eventName + " has never run in " + component);
                return DatabaseCommands.EINVAL;
            }
            Optional<EventReply.Completed> last = engine.get().lastStatus(ev.get());
            return print(
                    style().json()
                            ? StatusJsonFormatter.status(component, ev.get(), last)
                            : new StatusTextFormatter(ZoneId.systemDefault()).status(component, ev.get(), last));
        }
    }

    @Command(
            name = "script",
            description = "List, enable or disable event scripts: event script list|enable|disable legacy [NAME].")
    static final class Script extends EventCommand {
        @Parameters(index = "0", paramLabel = "list|enable|disable")
        String action;

        @Parameters(index = "1", paramLabel = "COMPONENT")
        String component;

        @Parameters(index = "2", arity = "0..1", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            Optional<EventControl> engine = engine();
            if (engine.isEmpty() || !legacy(component)) {
                return 1;
            }
            switch (action) {
                case "list":
                    return print(ScriptListFormatter.list(engine.get().listing()));
                case "enable":
                case "disable":
                    if (name == null) {
                        err().println("event script " + action + " needs a script NAME");
                        return 1;
                    }
                    return print(ScriptListFormatter.command(
                            action.equals("enable")
                                    ? engine.get().enable(component, name)
                                    : engine.get().disable(component, name)));
                default:
                    err().println("Unknown action " + action + " (list, enable or disable)");
                    return 1;
            }
        }
    }

    /**
     * Exits 0 whatever the scripts did, as ctdb does: scripts loop on it and read the text
     * ({@code event status} gives the result as its exit code).
     */
    @Command(name = "scriptstatus", description = "Show the result of the last run of an event (default monitor).")
    static final class ScriptStatus extends EventCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "EVENT")
        String eventName = "monitor";

        @Override
        public Integer call() {
            Optional<EventControl> engine = engine();
            if (engine.isEmpty()) {
                return 0;
            }
            Optional<Event> event = event(eventName);
            if (event.isEmpty()) {
                return 0;
            }
            Optional<EventReply.Completed> last = engine.get().lastStatus(event.get());
            print(
                    style().json()
                            ? StatusJsonFormatter.status("legacy", event.get(), last)
                            : new StatusTextFormatter(ZoneId.systemDefault()).status("legacy", event.get(), last));
            return 0;
        }
    }
}
