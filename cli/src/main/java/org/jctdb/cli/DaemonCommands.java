package org.jctdb.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jctdb.control.ClusterView;
import picocli.CommandLine.Command;

/** Commands about the daemon itself: uptime, version, ping, getpid, getreclock, shutdown. */
final class DaemonCommands {
    /** C's ctime() layout, which CTDB prints. */
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneId.systemDefault());

    private DaemonCommands() {}

    static String ctime(long epochMillis) {
        return CTIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static String age(long fromMillis, long toMillis) {
        long s = Math.max(0, (toMillis - fromMillis) / 1000);
        return String.format("(%03d %02d:%02d:%02d)", s / 86400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    }

    @Command(name = "uptime", description = "Show how long the daemon has run and when the last recovery was.")
    static final class Uptime extends DaemonCommand {
        @Override
        public Integer call() {
            ClusterView v = api().view();
            long now = System.currentTimeMillis();
            if (style().json()) {
                printJson(Map.of(
                        "pnn",
                        v.myPnn(),
                        "current_time",
                        now / 1000.0,
                        "start_time",
                        v.startTimeMillis() / 1000.0,
                        "last_recovery_started",
                        v.lastRecoveryStartMillis() / 1000.0,
                        "last_recovery_finished",
                        v.lastRecoveryEndMillis() / 1000.0));
                return 0;
            }
            out().printf("Current time of node %-4d     :                %s%n", v.myPnn(), ctime(now));
            out().printf(
                            "Ctdbd start time              : %s %s%n",
                            age(v.startTimeMillis(), now), ctime(v.startTimeMillis()));
            out().printf(
                            "Time of last recovery/failover: %s %s%n",
                            age(v.lastRecoveryEndMillis(), now), ctime(v.lastRecoveryEndMillis()));
            out().printf(
                            "Duration of last recovery/failover: %f seconds%n",
                            (v.lastRecoveryEndMillis() - v.lastRecoveryStartMillis()) / 1000.0);
            return 0;
        }
    }

    @Command(name = "version", description = "Show the version.")
    static final class Version extends DaemonCommand {
        @Override
        public Integer call() {
            if (style().json()) {
                printJson(Map.of("version", api().version()));
            } else {
                out().println(api().version());
            }
            return 0;
        }
    }

    @Command(name = "ping", description = "Check that the daemon answers.")
    static final class Ping extends DaemonCommand {
        @Override
        public Integer call() {
            long start = System.nanoTime();
            int pnn = api().view().myPnn();
            double secs = (System.nanoTime() - start) / 1e9;
            if (style().json()) {
                printJson(Map.of("pnn", pnn, "time", secs, "clients", api().clients()));
            } else {
                out().printf("response from %d time=%.6f sec  (%d clients)%n", pnn, secs, api().clients());
            }
            return 0;
        }
    }

    @Command(name = "getpid", description = "Show the process id of the daemon.")
    static final class GetPid extends DaemonCommand {
        @Override
        public Integer call() {
            if (style().json()) {
                printJson(Map.of("pid", api().pid()));
            } else {
                out().println(api().pid());
            }
            return 0;
        }
    }

    @Command(name = "getreclock", description = "Show the cluster lock, if one is configured.")
    static final class GetReclock extends DaemonCommand {
        @Override
        public Integer call() {
            if (style().json()) {
                Map<String, Object> m = new HashMap<>();
                m.put("cluster_lock", api().view().clusterLock().orElse(null));
                printJson(m);
            } else {
                api().view().clusterLock().ifPresent(out()::println);
            }
            return 0;
        }
    }

    @Command(name = "shutdown", description = "Stop the daemon of this node (or of the node given with -n).")
    static final class Shutdown extends DaemonCommand {
        @Override
        public Integer call() {
            api().shutdown("requested by the shutdown command");
            return 0;
        }
    }
}
