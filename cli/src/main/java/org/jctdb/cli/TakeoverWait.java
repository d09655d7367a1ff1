package org.jctdb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jctdb.control.ClusterView;
import org.jctdb.control.ControlReply;
import org.jctdb.control.NodeView;
import org.jctdb.protocol.NodeFlags;

/**
 * What ctdb 4.17's disable, enable, stop, continue, ban and unban do after changing the flag: wait
 * until the leader sees it, then for a takeover run (ipreallocate), so the next `ip` shows the
 * result. ctdb asks again every -t seconds while no run answers and gives up only at its maximum
 * run time (-T), printing "Maximum runtime exceeded - exiting" and exiting 1; so do we.
 */
final class TakeoverWait {
    static final String MAX_RUNTIME = "Maximum runtime exceeded - exiting";
    /** The hidden ipreallocate option: the run waits until the leader's view shows PNN:MASK:VALUE. */
    static final String UNTIL_FLAGS = "--until-flags";

    private static final long POLL_MS = 100;

    private final DaemonCommand c;
    private final long deadline;

    /** The command's deadline: its -T, less a margin so the answer reaches the caller before it gives up. */
    TakeoverWait(DaemonCommand c) {
        this.c = c;
        this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(c.root().timeLimit * 1000L - 500);
    }

    /**
     * After this node's flag {@code mask} became {@code value}: a takeover run that saw it has finished
     * and every connected node's `ip all` agrees with the leader's. Returns the exit code.
     */
    int afterFlagChange(int mask, int value) throws Exception {
        int me = c.api().view().myPnn();
        String until = me + ":" + mask + ":" + value;
        while (true) {
            if (expired()) {
                return maxRuntime();
            }
            int leader = c.api().view().leader();
            if (leader < 0) {
                Thread.sleep(POLL_MS); // ctdb's run request goes unanswered too, and is sent again
                continue;
            }
            if (leader == me) {
                if (run(until)) {
                    break;
                }
                continue;
            }
            ControlReply r;
            try {
                r = c.api()
                        .forward(leader, forwarded(List.of("ipreallocate", UNTIL_FLAGS, until)), remainingMs() + 5_000)
                        .get(remainingMs() + 5_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return maxRuntime();
            } catch (ExecutionException e) {
                Thread.sleep(POLL_MS); // not connected to it (any more): look for the leader again
                continue;
            }
            if (r.exitCode() == 0) {
                break;
            }
            if (r.stderr().contains(MAX_RUNTIME)) {
                return maxRuntime();
            }
            Thread.sleep(POLL_MS); // the leader changed or went away meanwhile: ask the next one
        }
        return sameEverywhere() ? 0 : maxRuntime();
    }

    /**
     * On the leader: waits until its view shows {@code until} (null: nothing to wait for), then asks
     * for a takeover run and waits for it, asking again every -t seconds. False when this node is no
     * longer the leader (the caller asks the new one) or the deadline passed.
     */
    boolean run(String until) throws Exception {
        while (!expired() && until != null && !flagsSeen(until)) {
            Thread.sleep(POLL_MS);
        }
        while (!expired()) {
            if (c.api().view().leader() != c.api().view().myPnn()) {
                return false;
            }
            try {
                IpCommands.control(c)
                        .requestRun()
                        .get(Math.min(c.root().timeout * 1000L, Math.max(1, remainingMs())), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                // no answer within -t: ask again, as ctdb does
            }
        }
        return false;
    }

    boolean expired() {
        return System.nanoTime() >= deadline;
    }

    int maxRuntime() {
        c.err().println(MAX_RUNTIME);
        return 1;
    }

    private long remainingMs() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private boolean flagsSeen(String until) {
        String[] f = until.split(":");
        int pnn = Integer.parseInt(f[0]);
        int mask = Integer.parseInt(f[1]);
        int value = Integer.parseInt(f[2]);
        ClusterView v = c.api().view();
        return v.isLiveNode(pnn) && (v.node(pnn).flags() & mask) == value;
    }

    /** Checks a hidden {@value #UNTIL_FLAGS} value; null when it is malformed. */
    static String parseUntil(String s) {
        return s != null && s.matches("\\d+:\\d+:\\d+") ? s : null;
    }

    /** The same -t and the remaining -T on the node a step is forwarded to. */
    private List<String> forwarded(List<String> argv) {
        List<String> out = new ArrayList<>(List.of(
                "-t",
                String.valueOf(c.root().timeout),
                "-T",
                String.valueOf(Math.max(1, (remainingMs() + 500) / 1000))));
        out.addAll(argv);
        return out;
    }

    /**
     * Waits until every connected node's `ip all` equals the leader's: a node learns the new assignment
     * with its next grant, up to a report interval after the run.
     */
    boolean sameEverywhere() throws Exception {
        while (!expired()) {
            ClusterView v = c.api().view();
            if (v.leader() >= 0) {
                Map<String, Integer> leaders = assignment(v.leader());
                boolean same = leaders != null;
                for (NodeView n : v.nodes()) {
                    if (!same) {
                        break;
                    }
                    if (n.pnn() != v.leader() && !n.deleted() && !NodeFlags.has(n.flags(), NodeFlags.DISCONNECTED)) {
                        same = leaders.equals(assignment(n.pnn()));
                    }
                }
                if (same) {
                    return true;
                }
            }
            Thread.sleep(POLL_MS);
        }
        return false;
    }

    /** Address to PNN from node {@code pnn}'s `-X ip all`; null if it did not answer. */
    private Map<String, Integer> assignment(int pnn) throws Exception {
        ControlReply r;
        try {
            r = pnn == c.api().view().myPnn()
                    ? null
                    : c.api()
                            .forward(pnn, List.of("-X", "ip", "all"))
                            .get(Math.max(1, Math.min(remainingMs(), c.root().timeout * 1000L)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        }
        Map<String, Integer> m = new TreeMap<>();
        if (r == null) {
            for (IpCommands.Row row : IpCommands.rows(IpCommands.control(c).snapshot(), true)) {
                m.put(row.ip(), row.pnn());
            }
            return m;
        }
        if (r.exitCode() != 0) {
            return null;
        }
        for (String line : r.stdout().lines().skip(1).toList()) {
            String[] f = line.split("\\|");
            if (f.length < 3 || !f[2].matches("-?\\d{1,9}")) {
                return null; // not what `ip all -X` prints: count the node as not agreeing yet
            }
            m.put(f[1], Integer.parseInt(f[2]));
        }
        return m;
    }
}
