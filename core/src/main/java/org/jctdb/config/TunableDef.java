package org.jctdb.config;

import java.util.List;

/**
 * A tunable's name and default. The table keeps CTDB 4.17's order, which is the order
 * {@code listvars} prints; obsolete tunables can still be read and set but are not listed.
 */
public record TunableDef(String name, long defaultValue, boolean obsolete, boolean extension) {

    static TunableDef of(String name, long dflt) {
        return new TunableDef(name, dflt, false, false);
    }

    static TunableDef obsolete(String name, long dflt) {
        return new TunableDef(name, dflt, true, false);
    }

    /** A JCTDB-only tunable: settable and readable, but not in listvars (CTDB lists only its own). */
    static TunableDef extension(String name, long dflt) {
        return new TunableDef(name, dflt, false, true);
    }

    /**
     * CTDB 4.17's tunables with its defaults, except MonitorTimeoutCount: JCTDB counts a
     * timed-out monitor as a failure at once (see README, "Deliberate differences").
     */
    public static final List<TunableDef> ALL = List.of(
            of("SeqnumInterval", 1000),
            of("ControlTimeout", 60),
            of("TraverseTimeout", 20),
            of("KeepaliveInterval", 5),
            of("KeepaliveLimit", 5),
            of("RecoverTimeout", 30), // ctdbd 4.17 answers 30 (its manual page says 120)
            of("RecoverInterval", 1),
            of("ElectionTimeout", 3),
            of("TakeoverTimeout", 9),
            of("MonitorInterval", 15),
            of("TickleUpdateInterval", 20),
            of("EventScriptTimeout", 30),
            of("MonitorTimeoutCount", 1),
            obsolete("EventScriptUnhealthyOnTimeout", 0),
            of("RecoveryGracePeriod", 120),
            of("RecoveryBanPeriod", 300),
            of("DatabaseHashSize", 100001),
            of("DatabaseMaxDead", 5),
            of("RerecoveryTimeout", 10),
            of("EnableBans", 1),
            obsolete("DeterministicIPs", 0),
            obsolete("LCP2PublicIPs", 1),
            obsolete("ReclockPingPeriod", 60),
            of("NoIPFailback", 0),
            obsolete("DisableIPFailover", 0),
            of("VerboseMemoryNames", 0),
            of("RecdPingTimeout", 60),
            of("RecdFailCount", 10),
            of("LogLatencyMs", 0),
            of("RecLockLatencyMs", 1000),
            of("RecoveryDropAllIPs", 120),
            obsolete("VerifyRecoveryLock", 1),
            of("VacuumInterval", 10),
            of("VacuumMaxRunTime", 120),
            of("RepackLimit", 10000),
            obsolete("VacuumLimit", 5000),
            of("VacuumFastPathCount", 60),
            of("MaxQueueDropMsg", 1000000),
            of("AllowUnhealthyDBRead", 0),
            of("StatHistoryInterval", 1),
            of("DeferredAttachTO", 120),
            of("AllowClientDBAttach", 1),
            obsolete("RecoverPDBBySeqNum", 1),
            obsolete("DeferredRebalanceOnNodeAdd", 300),
            of("FetchCollapse", 1),
            of("HopcountMakeSticky", 50),
            of("StickyDuration", 600),
            of("StickyPindown", 200),
            of("NoIPTakeover", 0),
            of("DBRecordCountWarn", 100000),
            of("DBRecordSizeWarn", 10000000),
            of("DBSizeWarn", 100_000_000),
            of("PullDBPreallocation", 10 * 1024 * 1024),
            obsolete("NoIPHostOnAllDisabled", 1),
            obsolete("Samba3AvoidDeadlocks", 0),
            obsolete("TDBMutexEnabled", 1),
            of("LockProcessesPerDB", 200),
            of("RecBufferSizeLimit", 1000000),
            of("QueueBufferSize", 1024),
            of("IPAllocAlgorithm", 2),
            of("AllowMixedVersions", 0),
            // JCTDB's own, not CTDB's, so not in listvars (CTDB's list stays as CTDB prints it):
            // the cluster filesystem probe (docs/design/health.md) ...
            extension("HealthProbeIntervalMs", 1500),
            extension("HealthProbeTimeoutMs", 3000),
            extension("HealthProbeFailCount", 2),
            // ... and the IP failover timers (docs/design/ip-failover.md): report/grant period, how
            // long a node keeps its addresses without a grant, the kernel lifetime of a hosted
            // address, how long a leader waits after a peer's connection closed, and the report
            // period while no node of the cluster lists a public address.
            extension("JctdbIPReportMs", 250),
            extension("JctdbIPHoldMs", 1500),
            extension("JctdbIPLease", 1),
            extension("JctdbIPCrashGraceMs", 500),
            extension("JctdbIPIdleReportMs", 5000),
            // ... and tickles (docs/design/ip-failover.md): how often the kernel's connections to
            // hosted addresses are read (0: never), and whether takeip sends tickle ACKs (0: no).
            extension("JctdbTickleScanMs", 1000),
            extension("JctdbTickleAcks", 1));
}
