package org.jctdb.ip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the leader knows about one node's addresses, from its reports and step answers. */
final class PeerRecord {
    final int pnn;
    long lastReportAt = -1;
    /** When the last report we granted arrived: the node's hold ends by this + its holdMs. */
    long lastGrantedAt = -1;

    long closedAt = -1;
    /** Start of its current run of reports; a node back from silence may claim addresses it lost. */
    long aliveSince = -1;

    /** Its last report was not granted (it claims an address given elsewhere): logged once. */
    boolean withheld;

    boolean canHost;
    long holdMs;
    long leaseSeconds;
    final Map<String, HostedAddress> hosted = new LinkedHashMap<>();
    List<IpMessage.Listed> listed = List.of();
    Set<String> downIfaces = Set.of();

    PeerRecord(int pnn, FailoverTiming defaults) {
        this.pnn = pnn;
        this.holdMs = defaults.holdMs();
        this.leaseSeconds = defaults.leaseSeconds();
    }

    void report(IpMessage.Report r, long now) {
        if (!alive(now)) {
            aliveSince = now;
        }
        lastReportAt = now;
        lastGrantedAt = now;
        closedAt = -1;
        canHost = r.canHost();
        holdMs = r.holdMs();
        leaseSeconds = r.leaseSeconds();
        listed = r.listed();
        downIfaces = Set.copyOf(r.downIfaces());
        setHosted(r.hosted());
    }

    /** The node can host {@code l}: one of its interfaces is up there (CTDB's "available" addresses). */
    boolean available(IpMessage.Listed l) {
        if (downIfaces.isEmpty()) {
            return !l.ifaces().isEmpty(); // the usual case, asked nodes x addresses times per run
        }
        return l.ifaces().stream().anyMatch(i -> !downIfaces.contains(i));
    }

    /** How many of its addresses each interface carries. */
    Map<String, Integer> interfaceReferences() {
        Map<String, Integer> refs = new HashMap<>();
        for (HostedAddress a : hosted.values()) {
            if (a.iface() != null) {
                refs.merge(a.iface(), 1, Integer::sum);
            }
        }
        return refs;
    }

    void setHosted(List<HostedAddress> list) {
        hosted.clear();
        for (HostedAddress a : list) {
            hosted.put(a.ip(), a);
        }
    }

    /** Reporting recently enough that its hold is still running, and its connection has not closed since. */
    boolean alive(long now) {
        return lastReportAt >= 0 && now - lastReportAt < holdMs && closedAt < lastReportAt;
    }

    /**
     * Whether the addresses it may still have are surely gone: its hold plus the kernel
     * lifetime have run out since the last grant, or its process died and the guard had time.
     */
    boolean addressesGone(long now, long crashGraceMs) {
        if (lastGrantedAt < 0) {
            return true;
        }
        if (now - lastGrantedAt >= FailoverTiming.goneAfterMs(holdMs, leaseSeconds)) {
            return true;
        }
        return closedAt >= lastReportAt && closedAt >= 0 && now - closedAt >= crashGraceMs;
    }

    /**
     * Whether an address it may have configured since its last grant has surely expired, even if
     * its process died: a takeip script started before the crash may add the address after the
     * guard has cleaned up, so the crash grace does not count here.
     */
    boolean lifetimeOver(long now) {
        return lastGrantedAt < 0 || now - lastGrantedAt >= FailoverTiming.goneAfterMs(holdMs, leaseSeconds);
    }

    List<HostedAddress> hostedList() {
        return new ArrayList<>(hosted.values());
    }
}
