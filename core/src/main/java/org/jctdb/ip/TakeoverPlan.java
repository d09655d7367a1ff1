package org.jctdb.ip;

import java.util.ArrayList;
import java.util.List;

/**
 * The actions that turn one assignment into another. Run every release before any take or
 * update, as CTDB does, so an address is never configured on two nodes at once.
 */
public record TakeoverPlan(
        List<TakeoverStep.Release> releases, List<TakeoverStep.Take> takes, List<TakeoverStep.UpdateIp> updates) {

    public TakeoverPlan {
        releases = List.copyOf(releases);
        takes = List.copyOf(takes);
        updates = List.copyOf(updates);
    }

    public boolean isEmpty() {
        return releases.isEmpty() && takes.isEmpty() && updates.isEmpty();
    }

    /** Releases, then takes, then interface updates, each in CTDB address order. */
    public List<TakeoverStep> steps() {
        List<TakeoverStep> all = new ArrayList<>(releases);
        all.addAll(takes);
        all.addAll(updates);
        return all;
    }

    /** The steps one node must carry out, in order. */
    public List<TakeoverStep> stepsFor(int pnn) {
        List<TakeoverStep> mine = new ArrayList<>();
        for (TakeoverStep s : steps()) {
            if (s.pnn() == pnn) {
                mine.add(s);
            }
        }
        return mine;
    }

    /** For the log: "release A on 1, take A on 2, move B on 0 from eth0 to eth1", or "no moves". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        releases.forEach(s -> parts.add("release " + s.address() + " on " + s.pnn()));
        takes.forEach(s -> parts.add("take " + s.address() + " on " + s.pnn()));
        updates.forEach(s ->
                parts.add("move " + s.address() + " on " + s.pnn() + " from " + s.oldIface() + " to " + s.newIface()));
        return parts.isEmpty() ? "no moves" : String.join(", ", parts);
    }
}
