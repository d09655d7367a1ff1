package org.jctdb.ip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the leader knows about one node's addresses, from its reports and step answers. */
final class PeerRecord {
    final int pnn;
    long lastReportAt = -1;
    /** When the last report we granted arrived: the node's hold ends by this + its holdMs. */
    long lastGrantedAt = -1;
    long closedAt = -1;
    /** Start of its current run of reports; a node back from silence may claim addresses it lost. */
    long aliveSince = -1;
    boolean canHost;
    long holdMs;
    long leaseSeconds;
    int failures;
    final Map<String, HostedAddress> hosted = new LinkedHashMap<>();
    List<IpMessage.Listed> listed = List.of();

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
        setHosted(r.hosted());
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

    List<HostedAddress> hostedList() {
        return new ArrayList<>(hosted.values());
    }
}
