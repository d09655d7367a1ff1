package org.jctdb.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What `reloadnodes` may change, as in CTDB: nodes are added at the end of the nodes file or
 * deleted by commenting their line out with {@code #} (a deleted node may come back); a node
 * must be disconnected before it is deleted; an existing node's address never changes and no
 * line disappears. Pure: compares the running node map with a freshly read file.
 */
public final class NodesReload {

    /** One node of the running node map. */
    public record Current(int pnn, String address, boolean deleted, boolean disconnected) {}

    /**
     * The verdict: lines for stdout ({@code Node 3 is NEW}) and stderr (errors, warnings),
     * whether there is anything to reload, and whether the reload may go ahead.
     */
    public record Outcome(List<String> out, List<String> err, boolean changed, boolean allowed) {
        public Outcome {
            out = List.copyOf(out);
            err = List.copyOf(err);
        }
    }

    private NodesReload() {}

    /** The check `jctdb reloadnodes` makes before asking every connected node to reload. */
    public static Outcome compare(List<Current> current, NodesFile file) {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        boolean changed = false;
        boolean allowed = true;
        for (Current c : current) {
            if (c.pnn() >= file.size()) {
                err.add("Node " + c.pnn() + " (" + c.address() + ") missing from nodes file");
                allowed = false;
                continue;
            }
            NodeEntry f = file.node(c.pnn());
            if (c.deleted() && f.deleted()) {
                continue;
            }
            if (!c.deleted() && !f.deleted()) {
                if (!c.address().equals(f.addressText())) {
                    err.add("Node " + c.pnn() + " has changed IP address (was " + c.address() + ", now "
                            + f.addressText() + ")");
                    allowed = false;
                } else if (c.disconnected()) {
                    err.add("WARNING: Node " + c.pnn() + " is disconnected. You MUST fix this node manually!");
                }
                continue;
            }
            changed = true;
            if (f.deleted()) {
                out.add("Node " + c.pnn() + " is DELETED");
                if (!c.disconnected()) {
                    err.add("ERROR: Node " + c.pnn() + " is still connected");
                    allowed = false;
                }
            } else {
                out.add("Node " + c.pnn() + " is UNDELETED");
            }
        }
        if (!allowed) {
            err.add("ERROR: Nodes will not be reloaded due to previous error");
            return new Outcome(out, err, changed, false);
        }
        for (int pnn = current.size(); pnn < file.size(); pnn++) {
            out.add("Node " + pnn + " is NEW");
            changed = true;
        }
        return new Outcome(out, err, changed, true);
    }

    /**
     * The check a daemon makes before it applies a re-read nodes file (the command checked
     * connectivity already): no line lost, no address changed, this node not deleted.
     */
    public static Optional<String> refusal(NodesFile running, NodesFile next, int myPnn) {
        if (next.size() < running.size()) {
            return Optional.of("the nodes file has " + next.size() + " nodes, " + running.size()
                    + " are running: comment deleted nodes out with #, do not remove their lines");
        }
        for (NodeEntry r : running.nodes()) {
            NodeEntry n = next.node(r.pnn());
            if (!r.deleted() && !n.deleted() && !r.address().equals(n.address())) {
                return Optional.of("node " + r.pnn() + " has changed IP address (was " + r.addressText() + ", now "
                        + n.addressText() + ")");
            }
        }
        if (next.node(myPnn).deleted()) {
            return Optional.of("this node (" + myPnn + ") is deleted in the new nodes file: shut it down instead");
        }
        return Optional.empty();
    }
}
