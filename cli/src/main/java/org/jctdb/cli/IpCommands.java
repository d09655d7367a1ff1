package org.jctdb.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jctdb.control.ControlReply;
import org.jctdb.control.IpControl;
import org.jctdb.control.IpSnapshot;
import org.jctdb.ip.HostedAddress;
import org.jctdb.ip.IpAddress;
import org.jctdb.ip.IpMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Public address commands: ip, ipinfo, ifaces (CTDB 4.17's formats). */
final class IpCommands {
    private IpCommands() {}

    /** One address as `ip -v` shows it. */
    record Row(String ip, int pnn, String active, List<String> available, List<String> configured) {}

    static IpControl control(DaemonCommand c) {
        return c.api().ip().orElseThrow(() -> new IllegalStateException("IP failover has not started yet"));
    }

    /** Rows in CTDB's order (ascending address); {@code all} adds what the leader assigns elsewhere. */
    static List<Row> rows(IpSnapshot s, boolean all) {
        Map<IpAddress, Row> rows = new TreeMap<>();
        for (IpMessage.Listed l : s.listed()) {
            String active = s.hosted().stream()
                    .filter(h -> h.ip().equals(l.ip()))
                    .map(HostedAddress::iface)
                    .findFirst()
                    .orElse("");
            List<String> available = new ArrayList<>(l.ifaces());
            available.removeAll(s.downIfaces());
            rows.put(IpAddress.parse(l.ip()), new Row(l.ip(), s.pnnOf(l.ip()), active, available, l.ifaces()));
        }
        if (all) {
            for (String ip : s.assignment().keySet()) {
                rows.putIfAbsent(IpAddress.parse(ip), new Row(ip, s.pnnOf(ip), "", List.of(), List.of()));
            }
        }
        return new ArrayList<>(rows.values());
    }

    @Command(name = "ip", description = "Show public addresses and the nodes hosting them.")
    static final class Ip extends DaemonCommand {
        @Parameters(arity = "0..1", paramLabel = "all", description = "all: every address in the cluster")
        String all;

        @Option(names = "-v", description = "Show interfaces too.")
        boolean verbose;

        @Override
        public Integer call() {
            if (all != null && !all.equals("all")) {
                err().println("Invalid argument " + all);
                return 1;
            }
            IpSnapshot s = control(this).snapshot();
            List<Row> rows = rows(s, all != null);
            if (style().json()) {
                List<Object> json = new ArrayList<>();
                for (Row r : rows) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ip", r.ip());
                    m.put("node", r.pnn());
                    if (verbose) {
                        m.put("active_interface", r.active().isEmpty() ? null : r.active());
                        m.put("available_interfaces", r.available());
                        m.put("configured_interfaces", r.configured());
                    }
                    json.add(m);
                }
                printJson(json);
            } else if (style().machine()) {
                out().print(
                                verbose
                                        ? style().row(
                                                        "Public IP",
                                                        "Node",
                                                        "ActiveInterfaces",
                                                        "AvailableInterfaces",
                                                        "ConfiguredInterfaces")
                                        : style().row("Public IP", "Node"));
                for (Row r : rows) {
                    out().print(
                                    verbose
                                            ? style().row(
                                                            r.ip(),
                                                            r.pnn(),
                                                            r.active(),
                                                            String.join(",", r.available()),
                                                            String.join(",", r.configured()))
                                            : style().row(r.ip(), r.pnn()));
                }
            } else {
                out().println(all != null ? "Public IPs on ALL nodes" : "Public IPs on node " + s.pnn());
                for (Row r : rows) {
                    if (verbose) {
                        out().printf(
                                        "%s node[%d] active[%s] available[%s] configured[%s]%n",
                                        r.ip(),
                                        r.pnn(),
                                        r.active(),
                                        String.join(",", r.available()),
                                        String.join(",", r.configured()));
                    } else {
                        out().printf("%s %d%n", r.ip(), r.pnn());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "ipinfo", description = "Show details of one public address.")
    static final class IpInfo extends DaemonCommand {
        @Parameters(paramLabel = "IP")
        String ip;

        @Override
        public Integer call() {
            IpSnapshot s = control(this).snapshot();
            String key = ipKey(this, ip);
            if (key == null) {
                return 1;
            }
            IpMessage.Listed l = s.listed().stream()
                    .filter(x -> x.ip().equals(key))
                    .findFirst()
                    .orElse(null);
            if (l == null) {
                // as ctdb: its client library reports the failed control, the tool the reason
                err().println("Control GET_PUBLIC_IP_INFO failed, ret=-1");
                out().println("Node " + s.pnn() + " does not know about IP " + key);
                return 1;
            }
            Map<String, Integer> refs = references(s);
            String active = s.hosted().stream()
                    .filter(h -> h.ip().equals(key))
                    .map(HostedAddress::iface)
                    .findFirst()
                    .orElse("");
            if (style().json()) {
                List<Object> ifaces = new ArrayList<>();
                for (String i : l.ifaces()) {
                    ifaces.add(Map.of(
                            "name",
                            i,
                            "link",
                            link(s, i),
                            "references",
                            refs.getOrDefault(i, 0),
                            "active",
                            i.equals(active)));
                }
                printJson(Map.of("pnn", s.pnn(), "ip", key, "current_node", s.pnnOf(key), "interfaces", ifaces));
                return 0;
            }
            out().printf("Public IP[%s] info on node %d%n", key, s.pnn());
            out().printf(
                            "IP:%s%nCurrentNode:%d%nNumInterfaces:%d%n",
                            key, s.pnnOf(key), l.ifaces().size());
            int k = 1;
            for (String i : l.ifaces()) {
                out().printf(
                                "Interface[%d]: Name:%s Link:%s References:%d%s%n",
                                k++, i, link(s, i), refs.getOrDefault(i, 0), i.equals(active) ? " (active)" : "");
            }
            return 0;
        }
    }

    @Command(name = "ifaces", description = "Show the interfaces that can host public addresses.")
    static final class Ifaces extends DaemonCommand {
        @Override
        public Integer call() {
            IpSnapshot s = control(this).snapshot();
            TreeSet<String> names = new TreeSet<>();
            s.listed().forEach(l -> names.addAll(l.ifaces()));
            Map<String, Integer> refs = references(s);
            if (style().json()) {
                List<Object> json = new ArrayList<>();
                for (String i : names) {
                    json.add(Map.of(
                            "name", i, "link_up", !s.downIfaces().contains(i), "references", refs.getOrDefault(i, 0)));
                }
                printJson(json);
                return 0;
            }
            if (names.isEmpty()) {
                out().println("No interfaces configured on node " + s.pnn()); // stdout, as ctdb
                return 0;
            }
            if (style().machine()) {
                out().print(style().row("Name", "LinkStatus", "References"));
            } else {
                out().println("Interfaces on node " + s.pnn());
            }
            for (String i : names) {
                if (style().machine()) {
                    out().print(style().row(i, s.downIfaces().contains(i) ? 0 : 1, refs.getOrDefault(i, 0)));
                } else {
                    out().printf("name:%s link:%s references:%d%n", i, link(s, i), refs.getOrDefault(i, 0));
                }
            }
            return 0;
        }
    }

    static String link(IpSnapshot s, String iface) {
        return s.downIfaces().contains(iface) ? "down" : "up";
    }

    static Map<String, Integer> references(IpSnapshot s) {
        Map<String, Integer> refs = new TreeMap<>();
        for (HostedAddress h : s.hosted()) {
            refs.merge(h.iface(), 1, Integer::sum);
        }
        return refs;
    }

    /** Runs {@code argv} on the leader (here or forwarded); null when this node is the leader. */
    /** The canonical text of an address given on the command line, or null after saying it is invalid. */
    static String ipKey(DaemonCommand c, String ip) {
        try {
            return IpAddress.parse(ip).toString();
        } catch (IllegalArgumentException e) {
            c.err().println("Invalid IP address " + ip);
            return null;
        }
    }

    static ControlReply onLeader(DaemonCommand c, List<String> argv) throws Exception {
        int leader = c.api().view().leader();
        if (leader < 0) {
            return ControlReply.error(1, "Leader is unknown");
        }
        if (leader == c.api().view().myPnn()) {
            return null;
        }
        return c.api().forward(leader, argv).get(c.root().timeout + 5L, TimeUnit.SECONDS);
    }

    static int relay(DaemonCommand c, ControlReply r) {
        c.out().print(r.stdout());
        c.err().print(r.stderr());
        return r.exitCode();
    }
}
