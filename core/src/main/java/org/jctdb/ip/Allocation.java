package org.jctdb.ip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result of one run: every address known to some node, in CTDB's list order. */
public record Allocation(List<Assignment> assignments) {

    public Allocation {
        assignments = List.copyOf(assignments);
    }

    /** Address to PNN (-1 for unassigned), iterating in CTDB order. */
    public Map<IpAddress, Integer> asMap() {
        Map<IpAddress, Integer> m = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            m.put(a.address(), a.pnn());
        }
        return m;
    }

    public int pnnOf(IpAddress address) {
        for (Assignment a : assignments) {
            if (a.address().equals(address)) {
                return a.pnn();
            }
        }
        throw new IllegalArgumentException("not allocated: " + address);
    }
}
