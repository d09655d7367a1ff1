package org.jctdb.ip;

import java.util.ArrayList;
import java.util.List;
import org.jctdb.config.Tunables;

/**
 * The timers that keep a public address on at most one node (docs/design/ip-failover.md).
 *
 * @param reportMs      a node reports (and asks for a grant) this often; also the refresh period
 *                      of its addresses' kernel lifetime
 * @param holdMs        a node keeps its addresses only until holdMs after sending the last
 *                      report the leader granted; then it releases them and stops refreshing
 * @param leaseSeconds  kernel lifetime (valid_lft) of a hosted address: it vanishes this long
 *                      after its last refresh even if the daemon is frozen or dead
 * @param crashGraceMs  after a peer's connection closes (its process died), how long the leader
 *                      waits for the node's guard to remove its addresses
 * @param takeoverMs    deadline of one step of a takeover run (CTDB's TakeoverTimeout)
 * @param idleReportMs  the report period while the leader finds no public address on any node:
 *                      nothing to hold, so no reason to pay for four round trips a second
 */
public record FailoverTiming(
        long reportMs, long holdMs, long leaseSeconds, long crashGraceMs, long takeoverMs, long idleReportMs) {
    /** The kernel deletes an expired address up to a quarter second late; we allow twice that. */
    public static final long KERNEL_SLACK_MS = 500;
    /** A refresh must land this long before the lifetime runs out. */
    public static final long REFRESH_MARGIN_MS = 250;
    /**
     * The longest a leader whose lock file was replaced goes on granting: the fcntl helper's 5 s
     * re-check, its probe and the delivery of its verdict (docs/design/leader-and-lock.md, case 4;
     * the simulator's longest is 5.0 s).
     */
    public static final long STALE_LEAD_MS = 5_500;
    /** What the failover of a silent node should stay within (the target). */
    public static final long SILENT_FAILOVER_TARGET_MS = 5_000;

    public static FailoverTiming fromTunables(Tunables t) {
        return new FailoverTiming(
                t.get("JctdbIPReportMs"),
                t.get("JctdbIPHoldMs"),
                t.get("JctdbIPLease"),
                t.get("JctdbIPCrashGraceMs"),
                t.millis("TakeoverTimeout"),
                t.get("JctdbIPIdleReportMs"));
    }

    /**
     * How long after sending a granted report a node's addresses are surely gone: it stops
     * refreshing at the end of its hold, and the kernel drops them a lease (plus slack) later.
     */
    public static long goneAfterMs(long holdMs, long leaseSeconds) {
        return holdMs + expiryMs(leaseSeconds);
    }

    /** From a node's last refresh of an address until the kernel has surely deleted it. */
    public static long expiryMs(long leaseSeconds) {
        return leaseSeconds * 1000 + KERNEL_SLACK_MS;
    }

    /**
     * How long after its latest grant a node refuses to vouch for others (two report intervals: a
     * leader that grants every report interval keeps the promise unbroken through one lost grant, and
     * a node that lost its leader vouches well before the hold D of the others runs out).
     */
    public long promiseMs() {
        return 2 * reportMs;
    }

    public long goneAfterMs() {
        return goneAfterMs(holdMs, leaseSeconds);
    }

    /** Worst case from a node going silent to its addresses being free for others. */
    public long silentFailoverMs() {
        return reportMs + goneAfterMs();
    }

    /** Settings that break the budget, each naming the tunable; empty when all is well. */
    public List<String> violations() {
        List<String> out = new ArrayList<>();
        if (reportMs < 50) {
            out.add("JctdbIPReportMs=" + reportMs + " is below 50 ms");
        }
        if (idleReportMs < reportMs) {
            out.add("JctdbIPIdleReportMs=" + idleReportMs + " is below JctdbIPReportMs=" + reportMs);
        }
        if (leaseSeconds < 1) {
            out.add("JctdbIPLease=" + leaseSeconds + " must be at least 1 s (the kernel's unit)");
        }
        if (holdMs < 3 * reportMs) {
            out.add("JctdbIPHoldMs=" + holdMs + " must be at least 3 x JctdbIPReportMs (" + 3 * reportMs
                    + " ms), or one late grant makes a node drop its addresses");
        }
        if (reportMs + REFRESH_MARGIN_MS >= leaseSeconds * 1000) {
            out.add("JctdbIPLease=" + leaseSeconds + " s must exceed JctdbIPReportMs + " + REFRESH_MARGIN_MS
                    + " ms, or hosted addresses lapse between refreshes");
        }
        if (crashGraceMs > goneAfterMs()) {
            out.add("JctdbIPCrashGraceMs=" + crashGraceMs + " exceeds JctdbIPHoldMs + JctdbIPLease + " + KERNEL_SLACK_MS
                    + " ms (" + goneAfterMs() + " ms); it would only slow failover");
        }
        if (silentFailoverMs() > SILENT_FAILOVER_TARGET_MS) {
            out.add("JctdbIPReportMs + JctdbIPHoldMs + JctdbIPLease + " + KERNEL_SLACK_MS + " ms = "
                    + silentFailoverMs() + " ms exceeds the " + SILENT_FAILOVER_TARGET_MS
                    + " ms failover budget for a silent node");
        }
        return out;
    }
}
