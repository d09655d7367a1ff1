package org.jctdb.ip;

import java.util.ArrayList;
import java.util.List;

/**
 * The actions that turn one assignment into another. Run every release before any take or
 * update, as CTDB does, so an address is never configured on two nodes at once.
 */
public record TakeoverPlan(List<TakeoverStep.Release> releases, List<TakeoverStep.Take> takes,
                           List<TakeoverStep.UpdateIp> updates) {

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
}
