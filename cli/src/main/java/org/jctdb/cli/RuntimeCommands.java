package org.jctdb.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jctdb.config.LogLevel;
import org.jctdb.ip.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** What can be changed in a running daemon without a restart, as ctdb 4.17 prints it. */
final class RuntimeCommands {
    private RuntimeCommands() {}

    @Command(name = "getcapabilities", description = "Show whether this node can be leader and location master.")
    static final class GetCapabilities extends DaemonCommand {
        @Override
        public Integer call() {
            boolean leader = api().leaderRole();
            if (style().json()) {
                printJson(Map.of("leader", leader, "lmaster", true));
            } else if (style().machine()) {
                out().print(style().row("LEADER", "LMASTER"));
                out().print(style().row(leader ? 1 : 0, 1));
            } else {
                out().println("LEADER: " + (leader ? "YES" : "NO"));
                // every node is a location master ([legacy] lmaster capability is not honoured)
                out().println("LMASTER: YES");
            }
            return 0;
        }
    }

    @Command(
            name = "setleaderrole",
            description = "Allow (on) or forbid (off) this node to be elected leader; a leader switched off resigns.")
    static final class SetLeaderRole extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "on|off")
        String value;

        @Override
        public Integer call() throws Exception {
            if (!value.equals("on") && !value.equals("off")) {
                err().println("Usage: setleaderrole on|off");
                return 1;
            }
            api().setLeaderRole(value.equals("on")).get(root().timeout, TimeUnit.SECONDS);
            return 0;
        }
    }

    @Command(
            name = "runstate",
            description = "Show the daemon's run state; with states given, exit 1 unless it is in one of them.")
    static final class Runstate extends DaemonCommand {
        @Parameters(arity = "0..*", paramLabel = "STATE")
        List<String> wanted = List.of();

        @Override
        public Integer call() {
            RunState now = api().runState();
            boolean found = wanted.isEmpty();
            for (String w : wanted) {
                Optional<RunState> s = Arrays.stream(RunState.values())
                        .filter(r -> r != RunState.UNKNOWN && r.name().equals(w.toUpperCase(Locale.ROOT)))
                        .findFirst();
                if (s.isEmpty()) {
                    out().println("Invalid run state (" + w + ")");
                    return 1;
                }
                found |= s.get() == now;
            }
            if (!found) {
                out().println("CTDB not in required run state (got " + now.name() + ")");
                return 1;
            }
            out().println(now.name());
            return 0;
        }
    }

    @Command(name = "getdebug", description = "Show the daemon's log level.")
    static final class GetDebug extends DaemonCommand {
        @Override
        public Integer call() {
            if (style().json()) {
                printJson(Map.of("level", api().logLevel().name()));
            } else {
                out().println(api().logLevel().name());
            }
            return 0;
        }
    }

    @Command(name = "setdebug", description = "Set the daemon's log level: ERROR, WARNING, NOTICE, INFO or DEBUG.")
    static final class SetDebug extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "LEVEL")
        String level;

        @Override
        public Integer call() {
            LogLevel l;
            try {
                l = LogLevel.parse(level);
            } catch (IllegalArgumentException e) {
                err().println("Invalid debug level '" + level + "'. Valid levels are:");
                err().println("\tERROR | WARNING | NOTICE | INFO | DEBUG");
                return 1;
            }
            api().setLogLevel(l);
            return 0;
        }
    }

    @Command(
            name = "process-exists",
            description = "Whether a client of the CTDB socket with this process id (and srvid) is connected.")
    static final class ProcessExists extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "PID")
        int pid;

        @Parameters(index = "1", arity = "0..1", paramLabel = "SRVID")
        String srvid;

        @Override
        public Integer call() {
            long id = 0;
            if (srvid != null) {
                try {
                    id = unsigned(srvid);
                } catch (NumberFormatException e) {
                    err().println("Invalid SRVID " + srvid);
                    return 1;
                }
            }
            boolean exists = api().processExists(pid, id);
            String what = exists ? "exists" : "does not exist";
            if (id == 0) {
                out().println("PID " + pid + " " + what);
            } else {
                out().println("PID " + pid + " with SRVID 0x" + Long.toHexString(id) + " " + what);
            }
            return exists ? 0 : 1;
        }

        /** C's strtoull with base 0: 0x hex, leading 0 octal, else decimal; all 64 bits unsigned. */
        static long unsigned(String text) {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            if (text.length() > 1 && text.startsWith("0")) {
                return Long.parseUnsignedLong(text.substring(1), 8);
            }
            return Long.parseUnsignedLong(text);
        }
    }
}
