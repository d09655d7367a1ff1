package org.jctdb.lab.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jctdb.lab.report.RunData.NodeSample;
import org.jctdb.lab.report.RunData.Sample;

/**
 * A run's samples aggregated per pixel column of the time line, so a 30-minute run of 18,000
 * samples draws in one pass and short events stay visible: a column shows the worst node state,
 * an overlap or an empty address if any sample in it had one, and a client error if any had one.
 */
final class TimelineColumns {
    /** Node states from best to worst; a status not listed ranks just above OK. */
    static final List<String> STATES =
            List.of("OK", "OTHER", "DISABLED", "INACTIVE", "STOPPED", "UNHEALTHY", "BANNED", "DISCONNECTED", "UNKNOWN");

    static final int NO_DATA = -1;
    /** Address codes besides a node number. */
    static final int NOWHERE = -2;

    static final int OVERLAP = -3;

    /** [node][column]: index into STATES, or NO_DATA. */
    final int[][] state;
    /** [address][column]: hosting node, NOWHERE, OVERLAP or NO_DATA. */
    final int[][] host;
    /** [address][column]: the client failed to reach it in some sample of the column. */
    final boolean[][] unreachable;
    /** [column]: the most processes holding the cluster lock in a sample of the column, or NO_DATA. */
    final int[] lockHolders;

    private TimelineColumns(int nodes, int addresses, int columns) {
        state = new int[nodes][columns];
        host = new int[addresses][columns];
        unreachable = new boolean[addresses][columns];
        lockHolders = new int[columns];
        Arrays.fill(lockHolders, NO_DATA);
        for (int[] row : state) {
            Arrays.fill(row, NO_DATA);
        }
        for (int[] row : host) {
            Arrays.fill(row, NO_DATA);
        }
    }

    /** Columns of {@code spanMs / columns} ms each; a sample covers the time until the next (at most 5 intervals). */
    static TimelineColumns of(RunData run, List<String> ips, int columns, long spanMs) {
        TimelineColumns c = new TimelineColumns(run.nodeCount(), ips.size(), columns);
        List<Sample> samples = run.samples();
        long maxCover = 5 * run.info().sampleIntervalMs();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            long until = i + 1 < samples.size()
                    ? samples.get(i + 1).t()
                    : s.t() + run.info().sampleIntervalMs();
            until = Math.min(until, s.t() + maxCover);
            int from = column(s.t(), columns, spanMs);
            int to = Math.max(from, column(until, columns, spanMs) - 1);
            for (int col = from; col <= to && col < columns; col++) {
                c.add(s, ips, col);
            }
        }
        return c;
    }

    static int column(long t, int columns, long spanMs) {
        long col = spanMs <= 0 ? 0 : t * columns / spanMs;
        return (int) Math.max(0, Math.min(columns, col));
    }

    private void add(Sample s, List<String> ips, int col) {
        lockHolders[col] = Math.max(lockHolders[col], s.lockHolders());
        for (NodeSample n : s.nodes()) {
            if (n.pnn() < state.length) {
                state[n.pnn()][col] = Math.max(state[n.pnn()][col], rank(n.status()));
            }
        }
        for (int a = 0; a < ips.size(); a++) {
            String ip = ips.get(a);
            List<Integer> hosts = s.hosts(ip);
            int code = hosts.isEmpty() ? NOWHERE : hosts.size() > 1 ? OVERLAP : hosts.get(0);
            int prev = host[a][col];
            // Overlap beats nowhere beats a host: the rare bad states must stay visible when squeezed.
            if (prev == NO_DATA || code == OVERLAP || (code == NOWHERE && prev != OVERLAP)) {
                host[a][col] = code;
            }
            unreachable[a][col] |= !s.reached(ip);
        }
    }

    /** Rank of a status such as "UNHEALTHY" or "UNHEALTHY|DISABLED" (the worst of its flags). */
    static int rank(String status) {
        int worst = 0;
        for (String flag : status.split("\\|")) {
            int i = STATES.indexOf(flag.trim().toUpperCase(Locale.ROOT));
            worst = Math.max(worst, i < 0 ? STATES.indexOf("OTHER") : i);
        }
        return worst;
    }
}
