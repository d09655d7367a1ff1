package org.jctdb.cli;

import java.util.concurrent.TimeUnit;
import org.jctdb.protocol.NodeFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * disable/enable, stop/continue, ban/unban: this node's administrative flags. Each returns once the
 * leader has seen the flag and the takeover run it causes has finished ({@link TakeoverWait}).
 */
final class NodeAdminCommands {
    private NodeAdminCommands() {}

    /** Sets or clears one flag; says so when it is already in that state. */
    abstract static class FlagCommand extends DaemonCommand {
        int change(int flag, boolean set, String stateName) throws Exception {
            int flags = api().view().me().flags();
            if (NodeFlags.has(flags, flag) == set) {
                err().println("Node " + api().view().myPnn() + " is already " + stateName);
                return 0;
            }
            api().changeOwnFlags(set ? flag : 0, set ? 0 : flag).get(10, TimeUnit.SECONDS);
            return new TakeoverWait(this).afterFlagChange(flag, set ? flag : 0);
        }
    }

    @Command(name = "disable", description = "Disable this node: it hosts no public addresses.")
    static final class Disable extends FlagCommand {
        @Override
        public Integer call() throws Exception {
            return change(NodeFlags.PERMANENTLY_DISABLED, true, "disabled");
        }
    }

    @Command(name = "enable", description = "Enable this node again.")
    static final class Enable extends FlagCommand {
        @Override
        public Integer call() throws Exception {
            return change(NodeFlags.PERMANENTLY_DISABLED, false, "enabled");
        }
    }

    @Command(name = "stop", description = "Stop this node: inactive in the cluster, no addresses.")
    static final class Stop extends FlagCommand {
        @Override
        public Integer call() throws Exception {
            return change(NodeFlags.STOPPED, true, "stopped");
        }
    }

    @Command(name = "continue", description = "Let a stopped node take part again.")
    static final class Continue extends FlagCommand {
        @Override
        public Integer call() throws Exception {
            return change(NodeFlags.STOPPED, false, "continued");
        }
    }

    @Command(name = "ban", description = "Ban this node for SECONDS.")
    static final class Ban extends DaemonCommand {
        @Parameters(paramLabel = "BANTIME")
        String bantime;

        @Override
        public Integer call() throws Exception {
            if (NodeFlags.has(api().view().me().flags(), NodeFlags.BANNED)) {
                err().println("Node " + api().view().myPnn() + " is already banned");
                return 0;
            }
            long parsed;
            try {
                parsed = RuntimeCommands.ProcessExists.unsigned(bantime);
            } catch (NumberFormatException e) {
                return DatabaseCommands.EINVAL; // as ctdb: its strtoul fails silently
            }
            if (parsed == 0) {
                err().println("Ban time cannot be zero");
                return DatabaseCommands.EINVAL;
            }
            int seconds = (int) Math.min(parsed, Integer.MAX_VALUE);
            api().ban(seconds, "ban command").get(10, TimeUnit.SECONDS);
            return new TakeoverWait(this).afterFlagChange(NodeFlags.BANNED, NodeFlags.BANNED);
        }
    }

    @Command(name = "unban", description = "Lift this node's ban.")
    static final class Unban extends DaemonCommand {
        @Override
        public Integer call() throws Exception {
            if (!NodeFlags.has(api().view().me().flags(), NodeFlags.BANNED)) {
                err().println("Node " + api().view().myPnn() + " is already unbanned");
                return 0;
            }
            api().unban().get(10, TimeUnit.SECONDS);
            return new TakeoverWait(this).afterFlagChange(NodeFlags.BANNED, 0);
        }
    }
}
