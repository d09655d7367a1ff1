package org.jctdb.cli;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jctdb.config.ConfigException;
import org.jctdb.config.PublicAddressesFile;
import org.jctdb.control.ControlReply;
import org.jctdb.control.IpSnapshot;
import org.jctdb.control.NodeView;
import org.jctdb.ip.IpMessage;
import org.jctdb.protocol.NodeFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that change or announce public addresses: ipreallocate, moveip, addip, delip, reloadips, setifacelink, gratarp. */
final class IpAdminCommands {
    private IpAdminCommands() {}

    @Command(
            name = "ipreallocate",
            aliases = "sync",
            description = "Ask the leader for a takeover run and wait for it (sync: the same, as in ctdb).")
    static final class IpReallocate extends DaemonCommand {
        /** Set when a flag command forwards its run here: wait until this view shows PNN:MASK:VALUE first. */
        @Option(names = TakeoverWait.UNTIL_FLAGS, hidden = true)
        String until;

        @Override
        public Integer call() throws Exception {
            TakeoverWait w = new TakeoverWait(this);
            if (until == null) {
                return w.afterFlagChange(0, 0); // on the leader, wherever it is; asked again until -T
            }
            if (TakeoverWait.parseUntil(until) == null) {
                err().println("Invalid " + TakeoverWait.UNTIL_FLAGS + " " + until);
                return 1;
            }
            if (w.run(until)) {
                return 0;
            }
            if (w.expired()) {
                return w.maxRuntime();
            }
            err().println("Node " + api().view().myPnn() + " is not the leader");
            return 1;
        }
    }

    @Command(name = "moveip", description = "Move a public address to another node.")
    static final class MoveIp extends DaemonCommand {
        private static final int MOVE_ATTEMPTS = 5;
        private static final long MOVE_RETRY_MILLIS = 3000;

        @Parameters(index = "0", paramLabel = "IP")
        String ip;

        @Parameters(index = "1", paramLabel = "PNN")
        int pnn;

        @Override
        public Integer call() throws Exception {
            String key = IpCommands.ipKey(this, ip);
            if (key == null) {
                return 1;
            }
            if (!api().view().isLiveNode(pnn)) {
                err().println("Node " + pnn + " does not exist");
                return 1;
            }
            // as ctdb: the target must list the address; ctdb tries 5 times, 3 s apart
            boolean canHost = false;
            for (int attempt = 0; attempt < MOVE_ATTEMPTS && !canHost; attempt++) {
                if (attempt > 0) {
                    Thread.sleep(MOVE_RETRY_MILLIS);
                }
                canHost = canHost(key);
                if (!canHost) {
                    err().println("Node " + pnn + " CANNOT host IP address " + key);
                }
            }
            if (!canHost) {
                err().println("Failed to move IP " + key + " to node " + pnn);
                return 1;
            }
            ControlReply r = IpCommands.onLeader(this, List.of("moveip", key, String.valueOf(pnn)));
            if (r != null) {
                return IpCommands.relay(this, r);
            }
            IpCommands.control(this).requestMove(key, pnn).get(root().timeout, TimeUnit.SECONDS);
            int now = IpCommands.control(this).snapshot().pnnOf(key);
            if (now != pnn) {
                err().println("Failed to move IP " + key + " to node " + pnn + " (it is on node " + now + ")");
                return 1;
            }
            TakeoverWait w = new TakeoverWait(this);
            return w.sameEverywhere() ? 0 : w.maxRuntime();
        }

        /** Whether node {@code pnn} lists {@code key} among its public addresses. */
        private boolean canHost(String key) throws Exception {
            if (pnn == api().view().myPnn()) {
                return IpCommands.control(this).snapshot().listed().stream().anyMatch(l -> l.ip().equals(key));
            }
            ControlReply r = api().forward(pnn, List.of("-X", "ip")).get(root().timeout + 5L, TimeUnit.SECONDS);
            return r.exitCode() == 0 && r.stdout().lines().anyMatch(l -> l.startsWith("|" + key + "|"));
        }
    }

    @Command(name = "addip", description = "Add a public address to this node (until reloadips).")
    static final class AddIp extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "IP/MASK")
        String address;

        @Parameters(index = "1", paramLabel = "IFACE")
        String iface;

        @Override
        public Integer call() throws Exception {
            PublicAddressesFile parsed;
            try {
                parsed = PublicAddressesFile.parse("addip", List.of(address + " " + iface));
            } catch (ConfigException e) {
                err().println("Invalid IP/Mask " + address + " " + iface + ": " + e.getMessage());
                return 1;
            }
            var a = parsed.addresses().get(0);
            IpSnapshot s = IpCommands.control(this).snapshot();
            if (s.listed().stream().anyMatch(l -> l.ip().equals(a.addressText()))) {
                err().println("Node already knows about IP " + a.addressText());
                return 1;
            }
            IpCommands.control(this)
                    .addAddress(a.addressText(), a.maskBits(), a.interfaces())
                    .get(10, TimeUnit.SECONDS);
            return 0;
        }
    }

    @Command(name = "delip", description = "Remove a public address from this node (released first if hosted).")
    static final class DelIp extends DaemonCommand {
        @Parameters(paramLabel = "IP")
        String ip;

        @Override
        public Integer call() throws Exception {
            String key = IpCommands.ipKey(this, ip);
            if (key == null) {
                return 1;
            }
            IpSnapshot s = IpCommands.control(this).snapshot();
            if (s.listed().stream().noneMatch(l -> l.ip().equals(key))) {
                err().println("Node " + s.pnn() + " does not know about IP " + key);
                return 1;
            }
            IpCommands.control(this).deleteAddress(key).get(10, TimeUnit.SECONDS);
            return 0;
        }
    }

    @Command(name = "reloadips", description = "Re-read public_addresses on this node.")
    static final class ReloadIps extends DaemonCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PNN-LIST")
        String pnnList;

        @Override
        public Integer call() throws Exception {
            List<NodeView> nodes;
            try {
                nodes = PnnList.select(api().view(), pnnList);
            } catch (IllegalArgumentException e) {
                err().println(e.getMessage());
                return 1;
            }
            int me = api().view().myPnn();
            int code = 0;
            for (NodeView n : nodes) {
                if (n.pnn() == me || NodeFlags.isInactive(n.flags())) {
                    continue; // ctdb reloads on the active nodes of the list
                }
                ControlReply r = api().forward(n.pnn(), List.of("reloadips", String.valueOf(n.pnn())))
                        .get(root().timeout + 5L, TimeUnit.SECONDS);
                err().print(r.stderr());
                code = code == 0 ? r.exitCode() : code;
            }
            if (nodes.stream().noneMatch(n -> n.pnn() == me && !NodeFlags.isInactive(n.flags()))) {
                return code;
            }
            int mine = reloadHere();
            return code == 0 ? mine : code;
        }

        private int reloadHere() throws Exception {
            PublicAddressesFile f;
            try {
                f = PublicAddressesFile.read(api().config().layout().publicAddressesFile());
            } catch (ConfigException e) {
                err().println("Failed to reload public addresses: " + e.getMessage());
                return 1;
            }
            IpCommands.control(this).reload(f.addresses()).get(10, TimeUnit.SECONDS);
            return 0;
        }
    }

    @Command(name = "setifacelink", description = "Set an interface's link state as seen by JCTDB.")
    static final class SetIfaceLink extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "IFACE")
        String iface;

        @Parameters(index = "1", paramLabel = "up|down")
        String state;

        @Override
        public Integer call() throws Exception {
            if (!state.equals("up") && !state.equals("down")) {
                err().println("Invalid link state " + state);
                return 1;
            }
            IpSnapshot s = IpCommands.control(this).snapshot();
            boolean known = false;
            for (IpMessage.Listed l : s.listed()) {
                known |= l.ifaces().contains(iface);
            }
            if (!known) {
                out().println("Interface " + iface + " not configured on node " + s.pnn()); // stdout, as ctdb
                return 1;
            }
            IpCommands.control(this).setLink(iface, state.equals("up")).get(10, TimeUnit.SECONDS);
            return 0;
        }
    }

    @Command(name = "gratarp", description = "Send a gratuitous ARP for a public address through an interface.")
    static final class GratArp extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "IP")
        String ip;

        @Parameters(index = "1", paramLabel = "IFACE")
        String iface;

        @Override
        public Integer call() throws Exception {
            String key = IpCommands.ipKey(this, ip);
            if (key == null) {
                return 1;
            }
            String failure = IpCommands.control(this).gratarp(key, iface).get(root().timeout, TimeUnit.SECONDS);
            if (!failure.isEmpty()) {
                err().println("Failed to send gratuitous ARP for " + key + " on " + iface + ": " + failure);
                return 1;
            }
            return 0;
        }
    }
}
