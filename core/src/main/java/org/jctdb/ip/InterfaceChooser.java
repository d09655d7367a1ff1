package org.jctdb.ip;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the interface a node configures a public address on, as CTDB does: among the
 * address's interfaces (public_addresses order) whose link is up, the one already carrying
 * fewest public addresses; the earliest listed wins ties. With no reference counts this is
 * simply the first interface that is up. Empty when none is up: the node cannot host it.
 */
public final class InterfaceChooser {

    private InterfaceChooser() {}

    public static Optional<String> choose(List<String> ifaces, Set<String> up, Map<String, Integer> references) {
        String best = null;
        int bestRefs = 0;
        for (String iface : ifaces) {
            if (!up.contains(iface)) {
                continue;
            }
            int refs = references.getOrDefault(iface, 0);
            if (best == null || refs < bestRefs) {
                best = iface;
                bestRefs = refs;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The interface an address already configured on {@code current} should be on: the same one
     * while it is listed for the address and up (no needless updateip), else the one
     * {@link #choose} picks among the others. Empty when none is up.
     */
    public static Optional<String> keepOrMove(
            String current, List<String> ifaces, Set<String> down, Map<String, Integer> references) {
        if (current != null && ifaces.contains(current) && !down.contains(current)) {
            return Optional.of(current);
        }
        Set<String> up = new HashSet<>(ifaces);
        up.removeAll(down);
        return choose(ifaces, up, references);
    }

    public static Optional<String> choose(List<String> ifaces, Set<String> up) {
        return choose(ifaces, up, Map.of());
    }
}
