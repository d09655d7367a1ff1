package org.jctdb.ip;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** One takeover run of {@link TakeoverLeader}: its steps per node and who still has to answer. */
final class TakeoverRun {
    final long id;
    final Map<String, Integer> target;
    final Map<Integer, List<HostedAddress>> releases = new TreeMap<>();
    final Map<Integer, List<IpMessage.Listed>> takes = new TreeMap<>();
    final Map<Integer, List<IpMessage.Move>> moves = new TreeMap<>();
    final Set<Integer> reallocatedOn = new TreeSet<>();
    final Set<Integer> waiting = new HashSet<>();
    /** Failed (or unanswered) steps per node in this run: the culprit is the node with most. */
    final Map<Integer, Integer> failedSteps = new HashMap<>();

    IpMessage.Phase phase;
    long deadline;
    boolean failed;

    TakeoverRun(long id, Map<String, Integer> target) {
        this.id = id;
        this.target = target;
    }

    /** The nodes that take or move addresses in the TAKE phase. */
    Set<Integer> takers() {
        Set<Integer> out = new TreeSet<>(takes.keySet());
        out.addAll(moves.keySet());
        return out;
    }
}
