package org.jctdb.cli;

import java.util.ArrayList;
import java.util.List;
import org.jctdb.control.ClusterView;
import org.jctdb.control.NodeView;

/** CTDB's PNN-LIST: nothing (this node), "all", or PNNs separated by commas. */
final class PnnList {
    private PnnList() {}

    static List<NodeView> select(ClusterView v, String text) {
        if (text == null) {
            return List.of(v.me());
        }
        if (text.equals("all")) {
            return v.nodes();
        }
        List<NodeView> out = new ArrayList<>();
        for (String tok : text.split(",")) {
            int pnn;
            try {
                pnn = Integer.parseInt(tok.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid node " + tok);
            }
            if (pnn < 0 || pnn >= v.nodes().size()) {
                throw new IllegalArgumentException("Node " + pnn + " does not exist");
            }
            out.add(v.node(pnn));
        }
        return out;
    }
}
