package org.jctdb.ip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Pure diff of two assignments into a {@link TakeoverPlan}. */
public final class TakeoverPlanner {

    private TakeoverPlanner() {}

    /**
     * @param before where each address is now (absent: nowhere)
     * @param after  where each address should be (absent: nowhere, e.g. removed from config)
     */
    public static TakeoverPlan plan(Map<IpAddress, Hosting> before, Map<IpAddress, Hosting> after) {
        TreeSet<IpAddress> all = new TreeSet<>(IpAddress.CTDB_ORDER);
        all.addAll(before.keySet());
        all.addAll(after.keySet());
        List<TakeoverStep.Release> releases = new ArrayList<>();
        List<TakeoverStep.Take> takes = new ArrayList<>();
        List<TakeoverStep.UpdateIp> updates = new ArrayList<>();
        for (IpAddress ip : all) {
            Hosting old = before.getOrDefault(ip, Hosting.NOWHERE);
            Hosting now = after.getOrDefault(ip, Hosting.NOWHERE);
            if (old.pnn() == now.pnn()) {
                if (now.hosted()
                        && now.iface() != null
                        && old.iface() != null
                        && !now.iface().equals(old.iface())) {
                    updates.add(new TakeoverStep.UpdateIp(ip, now.pnn(), old.iface(), now.iface()));
                }
                continue;
            }
            if (old.hosted()) {
                releases.add(new TakeoverStep.Release(ip, old.pnn(), old.iface()));
            }
            if (now.hosted()) {
                takes.add(new TakeoverStep.Take(ip, now.pnn(), now.iface()));
            }
        }
        return new TakeoverPlan(releases, takes, updates);
    }

    /** Where an address that stays on node {@code pnn} should be configured, given where it is. */
    @FunctionalInterface
    public interface KeepInterface {
        String iface(IpAddress ip, int pnn, String current);
    }

    /** Plan from an allocation, ignoring interfaces (the hosting node picks them). */
    public static TakeoverPlan plan(Map<IpAddress, Hosting> before, Allocation after) {
        return plan(before, after, (ip, pnn, current) -> current);
    }

    /**
     * Plan from an allocation. An address that moves gets no interface (the new node picks
     * it); one that stays gets {@code keep}'s interface, an updateip step when that differs.
     */
    public static TakeoverPlan plan(Map<IpAddress, Hosting> before, Allocation after, KeepInterface keep) {
        Map<IpAddress, Hosting> target = new LinkedHashMap<>();
        for (Assignment a : after.assignments()) {
            Hosting old = before.getOrDefault(a.address(), Hosting.NOWHERE);
            String iface = old.pnn() == a.pnn() && old.hosted() ? keep.iface(a.address(), a.pnn(), old.iface()) : null;
            target.put(a.address(), a.assigned() ? new Hosting(a.pnn(), iface) : Hosting.NOWHERE);
        }
        return plan(before, target);
    }
}
