package org.jctdb.ip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the leader knows about one node's addresses, from its reports and step answers. */
final class PeerRecord {
    final int pnn;
    long lastReportAt = -1;
    /** When the last report we granted arrived: the node's hold ends by this + its holdMs. */
    long lastGrantedAt = -1;

    long closedAt = -1;
    /** Start of its current run of reports; a node back from silence may claim addresses it lost. */
    long aliveSince = -1;

    /** Which run of its daemon reports (report numbers start again with each). */
    long incarnation;

    long chainSeq = -1;
    /** When this leader first heard of the node's current promise chain: the chain began no later. */
    long chainKnownSince = -1;
    /** The node's promise not to vouch lasts at least until then (a grant's send time plus the promise time). */
    long promisedUntil = Long.MIN_VALUE;
    /**
     * A time after its last grant's hold ended at which no majority can have been vouching for it:
     * its hold ended there for good (valid only while at or after lastGrantedAt + holdMs).
     */
    long gapAt = Long.MIN_VALUE;
    /** Report number -> when this leader granted it. */
    private final TreeMap<Long, Long> grantsSent = new TreeMap<>();

    /**
     * When this leader sent the newest of its grants that the node's reports say it received: a node
     * whose reports get through while the leader's grants to it do not (after a cut link, TCP retries
     * one direction seconds later than the other) acknowledges only grants older than its current run
     * of reports.
     */
    long ackedGrantSentAt = Long.MIN_VALUE;

    /** It reported for a hold period without acknowledging a grant sent since: logged once. */
    boolean grantsLost;

    /** Its last report was not granted (it claims an address given elsewhere): logged once. */
    boolean withheld;

    boolean canHost;
    long holdMs;
    long leaseSeconds;
    final Map<String, HostedAddress> hosted = new LinkedHashMap<>();
    List<IpMessage.Listed> listed = List.of();
    /** Which version of its list {@code listed} is; false until a report sent it whole. */
    long listedVersion = -1;

    boolean listingKnown;
    Set<String> downIfaces = Set.of();

    private final long promiseMs;

    PeerRecord(int pnn, FailoverTiming defaults) {
        this.pnn = pnn;
        this.promiseMs = defaults.promiseMs();
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
        if (r.listed() != null) {
            listed = r.listed();
            listedVersion = r.listedVersion();
            listingKnown = true;
        } else if (r.listedVersion() != listedVersion) {
            listingKnown = false; // the grant asks for it whole; plan nothing until it comes
        }
        downIfaces = Set.copyOf(r.downIfaces());
        setHosted(r.hosted());
        promise(r, now);
    }

    private void promise(IpMessage.Report r, long now) {
        if (r.incarnation() != incarnation) {
            incarnation = r.incarnation();
            grantsSent.clear();
            chainSeq = -1;
        }
        IpMessage.Promise p = r.promise();
        if (p == null) {
            chainSeq = -1;
            chainKnownSince = -1;
            promisedUntil = Long.MIN_VALUE;
            return;
        }
        if (p.chainSeq() != chainSeq) {
            chainSeq = p.chainSeq();
            chainKnownSince = now;
            promisedUntil = Long.MIN_VALUE;
        }
        Long sent = grantsSent.get(p.lastGrantSeq());
        if (sent != null) {
            ackedGrantSentAt = Math.max(ackedGrantSentAt, sent);
        }
        if (sent != null && p.lastGrantSeq() >= chainSeq) {
            promisedUntil = Math.max(promisedUntil, sent + promiseMs);
        }
    }

    /** This leader granted report {@code seq} at {@code now}. */
    void granted(long seq, long now) {
        grantsSent.put(seq, now);
        while (grantsSent.size() > HostingNode.MAX_PENDING_REPORTS) {
            grantsSent.pollFirstEntry();
        }
    }

    /** Its promise began by {@code from} and lasts past {@code until}. */
    boolean promisedThrough(long from, long until) {
        return chainKnownSince >= 0 && chainKnownSince <= from && promisedUntil > until;
    }

    /** When its hold from this leader's grants (or the grant assumed at a new term) ends. */
    long grantHoldEnd() {
        return lastGrantedAt + holdMs;
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

    /**
     * Whether this leader's grants reach the node: it acknowledged one sent since its current run of
     * reports began. Only then may it be given an address it does not host (it refuses a take
     * without a current grant, and a run that fails there costs it banning credits).
     */
    boolean grantsReach() {
        return aliveSince >= 0 && ackedGrantSentAt >= aliveSince;
    }

    /** Reporting recently enough that its hold is still running, and its connection has not closed since. */
    boolean alive(long now) {
        return lastReportAt >= 0 && now - lastReportAt < holdMs && closedAt < lastReportAt;
    }

    /**
     * Whether the addresses it may still have are surely gone: its hold ended for good (a gap after
     * its last grant's hold, see {@link #gapAt}) and the kernel lifetime has run out since, or its
     * process died and the guard had time.
     */
    boolean addressesGone(long now, long crashGraceMs) {
        if (lifetimeOver(now)) {
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
        return lastGrantedAt < 0 || (gapAt >= grantHoldEnd() && now - gapAt >= FailoverTiming.expiryMs(leaseSeconds));
    }

    List<HostedAddress> hostedList() {
        return new ArrayList<>(hosted.values());
    }
}
