package org.jctdb.database.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.MigrationEffect.ReplyToClient;
import org.jctdb.database.migration.MigrationEffect.RequestRecovery;
import org.jctdb.database.migration.MigrationEffect.Resubmit;
import org.jctdb.database.migration.MigrationEffect.SendToNode;
import org.jctdb.database.migration.MigrationEffect.StoreRecord;
import org.jctdb.database.migration.PeerMessage.ReplyDmaster;
import org.jctdb.database.migration.PeerMessage.ReplyError;
import org.jctdb.database.migration.PeerMessage.ReqCall;
import org.jctdb.database.migration.PeerMessage.ReqDmaster;
import org.jctdb.database.migration.RecordInput.ClientCall;

/**
 * One node's part of CTDB's record migration for volatile databases, as a pure state machine.
 *
 * <p>Every record has one data master (dmaster), the only node that may serve it, and one location
 * master (lmaster, from the {@link VnnMap}) that always knows who the dmaster is. A call for a record
 * this node is not dmaster of goes to the dmaster this node last heard of, or to the lmaster, which
 * forwards it to the dmaster in its header. The dmaster hands the record over through the lmaster
 * (REQ_DMASTER, then REPLY_DMASTER to the new dmaster), and the new dmaster stores it with rsn + 1, so
 * the current dmaster's copy always has the highest rsn of its generation.
 *
 * <p>Nothing here waits: busy chain locks come back as {@link MigrationEffect.WaitForChain}; time plays
 * no part (a call that cannot finish waits for the next recovery, which resends it).
 */
public final class MigrationCore {
    private final int pnn;
    private final int hopLimit;
    private VnnMap map; // null until the first recovery thaws this node
    private boolean frozen = true; // like CTDB, a starting node is in recovery until the first one ends
    private long nextReqId = 1;
    private final Map<Long, ClientCall> pending = new LinkedHashMap<>(); // sent, waiting for the record
    private final List<ClientCall> held = new ArrayList<>(); // arrived while frozen
    private final List<RecordInput> early = new ArrayList<>(); // from a newer generation, before our thaw
    // calls for a record another pending call already asked for, by that call's request id (fetch collapse)
    private final Map<Long, List<ClientCall>> collapsed = new LinkedHashMap<>();

    private long answeredLocally;
    private long migratedIn;
    private long migratedOut;
    private long redirects;
    private long busyWaits;
    private long staleDropped;
    private long hopLimitHits;
    private int maxHops;

    /** {@code hopLimit}: a call forwarded more often than this is failed and a recovery requested. */
    public MigrationCore(int pnn, int hopLimit) {
        if (hopLimit < 2) {
            throw new IllegalArgumentException("hop limit must be at least 2 (origin -> lmaster -> dmaster)");
        }
        this.pnn = pnn;
        this.hopLimit = hopLimit;
    }

    public int pnn() {
        return pnn;
    }

    public boolean frozen() {
        return frozen;
    }

    /** The map of the generation this node serves in, or empty before the first recovery. */
    public Optional<VnnMap> map() {
        return Optional.ofNullable(map);
    }

    /** Client calls not answered yet (sent or held during a recovery). */
    public int waitingCalls() {
        int n = pending.size() + held.size();
        for (List<ClientCall> l : collapsed.values()) {
            n += l.size();
        }
        return n;
    }

    public MigrationStats stats() {
        return new MigrationStats(
                answeredLocally, migratedIn, migratedOut, redirects, busyWaits, staleDropped, hopLimitHits, maxHops);
    }

    public List<MigrationEffect> step(MigrationInput input) {
        List<MigrationEffect> out = new ArrayList<>();
        if (input instanceof MigrationInput.Locked l) {
            RecordInput in = l.input();
            if (in instanceof ClientCall c) {
                clientCall(c, l.local(), out);
            } else if (in instanceof ReqCall c) {
                if (current(c, c)) {
                    reqCall(c, l.local(), out);
                }
            } else if (in instanceof ReqDmaster m) {
                if (current(m, m)) {
                    reqDmaster(m, l.local(), out);
                }
            } else if (in instanceof ReplyDmaster m) {
                if (current(m, m)) {
                    becomeDmaster(m.db(), m.key(), m.rsn(), m.flags(), m.data(), m.reqId(), m.hops(), out);
                }
            } else {
                throw new IllegalStateException("unknown record input " + in);
            }
        } else if (input instanceof MigrationInput.RecordBusy b) {
            busyWaits++;
            out.add(new MigrationEffect.WaitForChain(b.input()));
        } else if (input instanceof MigrationInput.Freeze) {
            frozen = true; // pending calls stay; they are resent in the next generation
        } else if (input instanceof MigrationInput.GenerationChanged g) {
            thaw(g.map(), out);
        } else if (input instanceof ReplyError e) {
            if (current(e, null)) {
                hopLimitHits++; // the call stays pending: the recovery asked for resends it
            }
        } else {
            throw new IllegalStateException("unknown migration input " + input);
        }
        return out;
    }

    /**
     * Messages of another generation are dropped: the recovery in between fences them. Nodes thaw one
     * after the other, so a message of a newer generation can reach this node before its own thaw;
     * that one is kept and handled after the thaw (CTDB has installed the new map before any thaw,
     * and its frozen databases requeue such a packet until the thaw).
     */
    private boolean current(PeerMessage m, RecordInput keep) {
        long mine = map == null ? Long.MIN_VALUE : map.generation();
        if (frozen && m.generation() > mine && keep != null) {
            early.add(keep);
            return false;
        }
        if (frozen || map == null || m.generation() != mine) {
            staleDropped++;
            return false;
        }
        return true;
    }

    private void thaw(VnnMap next, List<MigrationEffect> out) {
        map = next;
        frozen = false;
        for (RecordInput m : early) {
            out.add(new Resubmit(m)); // handled now if it belongs to this generation, dropped if not
        }
        early.clear();
        // CTDB resends every pending call with a new request id when a database thaws.
        List<ClientCall> again = new ArrayList<>(pending.values());
        again.addAll(held);
        collapsed.values().forEach(again::addAll);
        pending.clear();
        held.clear();
        collapsed.clear();
        for (ClientCall c : again) {
            out.add(new Resubmit(c));
        }
    }

    private void clientCall(ClientCall c, Optional<LocalRecord> local, List<MigrationEffect> out) {
        if (frozen || map == null) {
            held.add(c);
            return;
        }
        LocalRecord rec = local.orElseGet(() -> LocalRecord.initial(map.lmaster(c.key())));
        if (rec.header().dmaster() == pnn) {
            answeredLocally++;
            out.add(new ReplyToClient(c.callId(), c.db(), c.key(), rec.header(), rec.data(), 0));
            return;
        }
        // Like CTDB, ask the dmaster this node last heard of; it redirects through the lmaster if wrong.
        int to = rec.header().dmaster();
        if (!map.contains(to)) {
            to = map.lmaster(c.key());
        }
        if (to == pnn) {
            held.add(c);
            out.add(new RequestRecovery("record " + c.key() + " of db " + c.db() + ": lmaster " + pnn
                    + " names dmaster " + rec.header().dmaster() + ", not in the vnn map"));
            return;
        }
        // CTDB's fetch collapse (FetchCollapse, on by default): while a call for this record is on its way,
        // another one waits for it and is then handled again (usually answered here at once), instead of
        // sending its own request and making the record bounce between nodes with several callers each.
        for (Map.Entry<Long, ClientCall> p : pending.entrySet()) {
            if (p.getValue().db().equals(c.db()) && p.getValue().key().equals(c.key())) {
                collapsed.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(c);
                return;
            }
        }
        long reqId = nextReqId++;
        pending.put(reqId, c);
        out.add(new SendToNode(to, new ReqCall(pnn, map.generation(), c.db(), c.key(), pnn, reqId, 0)));
    }

    private void reqCall(ReqCall c, Optional<LocalRecord> local, List<MigrationEffect> out) {
        maxHops = Math.max(maxHops, c.hops());
        if (c.hops() > hopLimit) {
            hopLimitHits++;
            if (c.origin() != pnn) {
                out.add(new SendToNode(
                        c.origin(), new ReplyError(pnn, map.generation(), c.reqId(), PeerMessage.Reason.HOP_LIMIT)));
            }
            out.add(new RequestRecovery("call for record " + c.key() + " of db " + c.db() + " from node " + c.origin()
                    + " forwarded " + c.hops() + " times"));
            return;
        }
        int lmaster = map.lmaster(c.key());
        LocalRecord rec = local.orElseGet(() -> LocalRecord.initial(lmaster));
        if (rec.header().dmaster() == pnn) {
            if (c.origin() == pnn) {
                // Our own call came back after the record reached us another way.
                complete(c.reqId(), c.db(), c.key(), rec.header(), rec.data(), c.hops(), out);
            } else {
                handOver(c, rec, lmaster, out);
            }
            return;
        }
        int next = pnn == lmaster ? rec.header().dmaster() : lmaster;
        if (!map.contains(next)) {
            out.add(new RequestRecovery("lmaster " + pnn + " names dmaster " + next + " for record " + c.key()
                    + " of db " + c.db() + ", not in the vnn map"));
            return;
        }
        redirects++;
        out.add(new SendToNode(
                next, new ReqCall(pnn, c.generation(), c.db(), c.key(), c.origin(), c.reqId(), c.hops() + 1)));
    }

    /** This node is dmaster and gives the record to {@code c.origin()}, telling the lmaster on the way. */
    private void handOver(ReqCall c, LocalRecord rec, int lmaster, List<MigrationEffect> out) {
        migratedOut++;
        int flags = rec.header().flags() & ~LtdbHeader.FLAG_AUTOMATIC;
        if (!rec.isEmpty()) {
            flags |= LtdbHeader.FLAG_MIGRATED_WITH_DATA;
        }
        long rsn = rec.header().rsn();
        byte[] data = rec.data();
        // Our copy now names the new dmaster, so calls reaching us are redirected.
        out.add(new StoreRecord(c.db(), c.key(), new LtdbHeader(rsn, c.origin(), flags), data));
        long gen = map.generation();
        if (lmaster == pnn) {
            out.add(new SendToNode(
                    c.origin(), new ReplyDmaster(pnn, gen, c.db(), c.key(), c.reqId(), rsn, flags, data, c.hops())));
        } else {
            out.add(new SendToNode(
                    lmaster,
                    new ReqDmaster(pnn, gen, c.db(), c.key(), c.origin(), c.reqId(), rsn, flags, data, c.hops())));
        }
    }

    private void reqDmaster(ReqDmaster m, Optional<LocalRecord> local, List<MigrationEffect> out) {
        if (map.lmaster(m.key()) != pnn) {
            out.add(new RequestRecovery(
                    "REQ_DMASTER for record " + m.key() + " reached node " + pnn + ", which is not its lmaster"));
            return;
        }
        LocalRecord rec = local.orElseGet(() -> LocalRecord.initial(pnn));
        if (rec.header().dmaster() != m.from()) {
            // The sender is not the dmaster we know: refuse; its copy keeps the data for the recovery.
            out.add(new RequestRecovery("REQ_DMASTER for record " + m.key() + " from node " + m.from() + " but lmaster "
                    + pnn + " knows node " + rec.header().dmaster() + " as dmaster"));
            return;
        }
        if (m.newDmaster() == pnn) {
            becomeDmaster(m.db(), m.key(), m.rsn(), m.flags(), m.data(), m.reqId(), m.hops(), out);
            return;
        }
        out.add(new StoreRecord(m.db(), m.key(), new LtdbHeader(m.rsn(), m.newDmaster(), m.flags()), m.data()));
        out.add(new SendToNode(
                m.newDmaster(),
                new ReplyDmaster(
                        pnn, m.generation(), m.db(), m.key(), m.reqId(), m.rsn(), m.flags(), m.data(), m.hops())));
    }

    private void becomeDmaster(
            DbId db, RecordKey key, long rsn, int flags, byte[] data, long reqId, int hops, List<MigrationEffect> out) {
        migratedIn++;
        // rsn + 1: the new dmaster's copy is newer than every copy left behind (CTDB's store does the same).
        LtdbHeader header = new LtdbHeader(rsn + 1, pnn, flags);
        out.add(new StoreRecord(db, key, header, data));
        complete(reqId, db, key, header, data, hops, out);
    }

    private void complete(
            long reqId, DbId db, RecordKey key, LtdbHeader header, byte[] data, int hops, List<MigrationEffect> out) {
        ClientCall c = pending.remove(reqId);
        if (c != null) {
            out.add(new ReplyToClient(c.callId(), db, key, header, data, hops));
        }
        // The calls collapsed behind this one are answered in the same step, under the same chain lock
        // (the record is ours now), as ctdbd runs its deferred fetches before it reads the next packet: handed
        // back to the queue, a peer's REQ_CALL read meanwhile took the record away before they ran, and
        // each of them then asked for it again.
        List<ClientCall> waiting = collapsed.remove(reqId);
        if (waiting != null) {
            for (ClientCall w : waiting) {
                answeredLocally++;
                out.add(new ReplyToClient(w.callId(), db, key, header, data, 0));
            }
        }
    }
}
