package org.jctdb.database.recovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.migration.VnnMap;
import org.jctdb.database.recovery.RecoveryEffect.Aborted;
import org.jctdb.database.recovery.RecoveryEffect.SendToMember;

/**
 * The leader's database recovery for one generation, as a pure state machine: freeze every member,
 * collect every database, merge, push the result to every member, thaw. Each step waits for every
 * member; a lost member, a refusal or a step taking longer than {@code stepTimeoutMs} aborts the run,
 * and the leader starts a new one in a new generation (members stay frozen in between).
 *
 * <p>Volatile records: per key the copy with the highest rsn ({@link RecordMerge#mergeVolatile}), taken
 * only from the members whose databases descend from the newest push any member applied (thawed or
 * not): a member left out of a push (partitioned away, restarted, or cut off while a recovery ran) may
 * hold copies with high rsns from a history the others have left, and may even believe itself the data
 * master of records the push gave to the leader. Persistent and replicated databases: the whole copy
 * with the highest sequence number among the members whose persistent databases descend from the
 * newest push (CTDB compares sequence numbers across all nodes, so a node coming back with a longer
 * but abandoned history would overwrite commits acknowledged since).
 */
public final class DbRecoveryRun {
    public enum Phase {
        FREEZE,
        COLLECT,
        PUSH,
        THAW,
        DONE,
        ABORTED
    }

    private final int leader;
    private final VnnMap map;
    private final List<Integer> members;
    private final long stepTimeoutMs;
    private long started;
    private Phase phase = Phase.FREEZE;
    private long phaseStartedAt;
    private final TreeSet<Integer> waiting = new TreeSet<>();
    private final TreeMap<Integer, RecoveryReply.Collected> collected = new TreeMap<>();
    private List<DatabaseContent> pushed = List.of();
    private List<Integer> trusted = List.of();
    private final Map<DbId, Integer> persistentFrom = new HashMap<>();
    private int conflicts;

    /** {@code map}: the new generation's vnn map; {@code members}: every active node, the leader included. */
    public DbRecoveryRun(int leader, VnnMap map, List<Integer> members, long stepTimeoutMs) {
        if (!members.contains(leader)) {
            throw new IllegalArgumentException("the leader " + leader + " must be a member of " + members);
        }
        this.leader = leader;
        this.map = map;
        this.members = List.copyOf(new TreeSet<>(members));
        this.stepTimeoutMs = stepTimeoutMs;
    }

    public long generation() {
        return map.generation();
    }

    public Phase phase() {
        return phase;
    }

    public List<Integer> members() {
        return members;
    }

    public List<RecoveryEffect> start(long now) {
        List<RecoveryEffect> out = new ArrayList<>();
        begin(Phase.FREEZE, now, m -> new RecoveryRequest.Freeze(leader, generation()), out);
        started = now;
        return out;
    }

    public List<RecoveryEffect> onReply(RecoveryReply r, long now) {
        List<RecoveryEffect> out = new ArrayList<>();
        if (phase == Phase.DONE || phase == Phase.ABORTED || !members.contains(r.from())) {
            return out;
        }
        if (r instanceof RecoveryReply.Refused f) {
            if (f.generation() == generation()) {
                abort("node " + f.from() + " has seen generation " + f.seen(), out);
            }
            return out;
        }
        if (r.generation() != generation() || !waiting.contains(r.from()) || !answers(r)) {
            return out; // stale, duplicate or out of step
        }
        if (r instanceof RecoveryReply.Collected c) {
            collected.put(c.from(), c);
        }
        waiting.remove(r.from());
        if (!waiting.isEmpty()) {
            return out;
        }
        if (phase == Phase.FREEZE) {
            begin(Phase.COLLECT, now, m -> new RecoveryRequest.Collect(leader, generation()), out);
        } else if (phase == Phase.COLLECT) {
            pushed = merge();
            begin(Phase.PUSH, now, m -> new RecoveryRequest.Push(leader, generation(), pushed), out);
        } else if (phase == Phase.PUSH) {
            begin(Phase.THAW, now, m -> new RecoveryRequest.Thaw(leader, generation(), map), out);
        } else if (phase == Phase.THAW) {
            phase = Phase.DONE;
            out.add(new RecoveryEffect.Completed(new RecoverySummary(
                    generation(), members, trusted, persistentFrom, pushed, conflicts, now - started)));
        } else {
            throw new IllegalStateException("phase " + phase);
        }
        return out;
    }

    /** A member disconnected, crashed or became inactive: this generation cannot complete. */
    public List<RecoveryEffect> onMemberLost(int node, long now) {
        List<RecoveryEffect> out = new ArrayList<>();
        if (members.contains(node) && phase != Phase.DONE && phase != Phase.ABORTED) {
            abort("member " + node + " lost in phase " + phase, out);
        }
        return out;
    }

    public List<RecoveryEffect> tick(long now) {
        List<RecoveryEffect> out = new ArrayList<>();
        if (phase != Phase.DONE && phase != Phase.ABORTED && now - phaseStartedAt >= stepTimeoutMs) {
            abort("phase " + phase + " not answered by nodes " + waiting + " within " + stepTimeoutMs + " ms", out);
        }
        return out;
    }

    private boolean answers(RecoveryReply r) {
        switch (phase) {
            case FREEZE:
                return r instanceof RecoveryReply.Frozen;
            case COLLECT:
                return r instanceof RecoveryReply.Collected;
            case PUSH:
                return r instanceof RecoveryReply.Pushed;
            case THAW:
                return r instanceof RecoveryReply.Thawed;
            default:
                return false;
        }
    }

    private void begin(Phase next, long now, IntFunction<RecoveryRequest> request, List<RecoveryEffect> out) {
        phase = next;
        phaseStartedAt = now;
        waiting.clear();
        waiting.addAll(members);
        for (int m : members) {
            out.add(new SendToMember(m, request.apply(m)));
        }
    }

    private void abort(String why, List<RecoveryEffect> out) {
        phase = Phase.ABORTED;
        out.add(new Aborted(generation(), why));
    }

    private List<DatabaseContent> merge() {
        long newestContent = 0;
        long newestPersistent = 0;
        for (RecoveryReply.Collected c : collected.values()) {
            newestContent = Math.max(newestContent, c.contentGeneration());
            newestPersistent = Math.max(newestPersistent, c.persistentGeneration());
        }
        Set<Integer> persistentLine = new HashSet<>();
        List<Integer> trustedNodes = new ArrayList<>();
        Map<DbId, DatabaseKind> kinds = new TreeMap<>(Comparator.comparingLong(DbId::unsigned));
        Map<DbId, TreeMap<Integer, DatabaseContent>> byDb = new HashMap<>();
        for (RecoveryReply.Collected c : collected.values()) {
            if (c.contentGeneration() == newestContent) {
                trustedNodes.add(c.from());
            }
            if (c.persistentGeneration() == newestPersistent) {
                persistentLine.add(c.from());
            }
            for (DatabaseContent d : c.databases()) {
                DatabaseKind known = kinds.putIfAbsent(d.db(), d.kind());
                if (known != null && known != d.kind()) {
                    throw new IllegalStateException("database " + d.db() + " is " + known + " on one node and "
                            + d.kind() + " on node " + c.from());
                }
                byDb.computeIfAbsent(d.db(), k -> new TreeMap<>()).put(c.from(), d);
            }
        }
        trusted = List.copyOf(trustedNodes);
        List<DatabaseContent> result = new ArrayList<>();
        for (Map.Entry<DbId, DatabaseKind> e : kinds.entrySet()) {
            TreeMap<Integer, DatabaseContent> copies = byDb.get(e.getKey());
            if (e.getValue() == DatabaseKind.VOLATILE) {
                TreeMap<Integer, SortedMap<RecordKey, LocalRecord>> usable = new TreeMap<>();
                for (Map.Entry<Integer, DatabaseContent> c : copies.entrySet()) {
                    if (trusted.contains(c.getKey())) {
                        usable.put(c.getKey(), c.getValue().records());
                    }
                }
                RecordMerge.Merged m = RecordMerge.mergeVolatile(usable);
                conflicts += m.conflicts();
                result.add(
                        new DatabaseContent(e.getKey(), e.getValue(), RecordMerge.volatilePush(m.records(), leader)));
            } else {
                TreeMap<Integer, DatabaseContent> line = new TreeMap<>(copies);
                line.keySet().retainAll(persistentLine);
                int from = RecordMerge.highestSeqnum(line.isEmpty() ? copies : line);
                persistentFrom.put(e.getKey(), from);
                result.add(copies.get(from));
            }
        }
        return result;
    }
}
