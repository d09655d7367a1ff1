package org.jctdb.database.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.recovery.MemberEffect.Reply;

/**
 * One node's side of database recovery: frozen from start until the first recovery thaws it, fenced
 * by generation (a request older than one already seen is refused), and the gate that holds attaches
 * and persistent commits while the node is not serving. A node thaws only in a generation whose push
 * it applied, so every node serving a generation started it with the same databases.
 */
public final class RecoveryMember {
    private final int pnn;
    private long seen;
    private long served; // generation this node last thawed in, 0 = none since start
    private long content; // generation of the last push applied, thawed or not
    private boolean thawed;
    private boolean locksHeld;
    private boolean freezing;
    private long frozenFor;
    private int frozenLeader = -1;
    private long pushedFor;
    private final List<MemberInput.ClientWaits> gate = new ArrayList<>();

    private long persistent; // generation of the last push applied to the persistent databases

    /**
     * {@code persistentGeneration}: the generation of the last recovery push this node's persistent
     * databases received, which the shell stores next to them and gives back after a restart (0 if never).
     */
    public RecoveryMember(int pnn, long persistentGeneration) {
        this.pnn = pnn;
        this.persistent = persistentGeneration;
    }

    public long persistentGeneration() {
        return persistent;
    }

    public boolean thawed() {
        return thawed;
    }

    public long servedGeneration() {
        return served;
    }

    /** The generation of the last push this node applied: its volatile data descend from it. */
    public long contentGeneration() {
        return content;
    }

    public long seenGeneration() {
        return seen;
    }

    public int waiting() {
        return gate.size();
    }

    public List<MemberEffect> step(MemberInput in) {
        List<MemberEffect> out = new ArrayList<>();
        if (in instanceof MemberInput.Request r) {
            request(r.request(), out);
        } else if (in instanceof MemberInput.FreezeDone) {
            freezing = false;
            locksHeld = true;
            if (frozenFor != 0) {
                out.add(new Reply(frozenLeader, new RecoveryReply.Frozen(pnn, frozenFor)));
            }
        } else if (in instanceof MemberInput.LocalCollected c) {
            if (c.generation() == frozenFor && locksHeld) {
                out.add(new Reply(
                        frozenLeader,
                        new RecoveryReply.Collected(pnn, c.generation(), content, persistent, c.databases())));
            }
        } else if (in instanceof MemberInput.PushApplied p) {
            if (p.generation() == frozenFor && locksHeld) {
                pushedFor = p.generation();
                content = p.generation();
                persistent = p.generation();
                out.add(new Reply(frozenLeader, new RecoveryReply.Pushed(pnn, p.generation())));
            }
        } else if (in instanceof MemberInput.ClientWaits w) {
            if (thawed) {
                out.add(new MemberEffect.Proceed(w.requestId(), w.kind()));
            } else {
                gate.add(w);
            }
        } else if (in instanceof MemberInput.LeaderLost) {
            stopServing(out);
        } else {
            throw new IllegalStateException("unknown member input " + in);
        }
        return out;
    }

    private void request(RecoveryRequest req, List<MemberEffect> out) {
        long g = req.generation();
        if (g < seen) {
            out.add(new Reply(req.leader(), new RecoveryReply.Refused(pnn, g, seen)));
            return;
        }
        seen = g;
        if (req instanceof RecoveryRequest.Freeze) {
            stopServing(out);
            frozenFor = g;
            frozenLeader = req.leader();
            if (locksHeld) {
                out.add(new Reply(req.leader(), new RecoveryReply.Frozen(pnn, g)));
            }
        } else if (req instanceof RecoveryRequest.Collect) {
            if (g == frozenFor && locksHeld) {
                out.add(new MemberEffect.CollectDatabases(g));
            }
        } else if (req instanceof RecoveryRequest.Push p) {
            if (g == frozenFor && locksHeld) {
                out.add(new MemberEffect.ReplaceDatabases(g, asStoredHere(p.databases())));
            }
        } else if (req instanceof RecoveryRequest.Thaw t) {
            if (thawed && served == g) {
                out.add(new Reply(req.leader(), new RecoveryReply.Thawed(pnn, g))); // a repeated thaw
            } else if (g == frozenFor && pushedFor == g && locksHeld) {
                thawed = true;
                locksHeld = false;
                served = g;
                frozenFor = 0;
                out.add(new MemberEffect.ThawDatabases(t.map()));
                out.add(new Reply(req.leader(), new RecoveryReply.Thawed(pnn, g)));
                for (MemberInput.ClientWaits w : gate) {
                    out.add(new MemberEffect.Proceed(w.requestId(), w.kind()));
                }
                gate.clear();
            }
        } else {
            throw new IllegalStateException("unknown recovery request " + req);
        }
    }

    private void stopServing(List<MemberEffect> out) {
        thawed = false;
        if (!locksHeld && !freezing) {
            freezing = true;
            out.add(new MemberEffect.FreezeDatabases());
        }
    }

    private List<DatabaseContent> asStoredHere(List<DatabaseContent> pushed) {
        List<DatabaseContent> out = new ArrayList<>();
        for (DatabaseContent d : pushed) {
            if (d.kind() != DatabaseKind.VOLATILE) {
                out.add(d);
                continue;
            }
            TreeMap<RecordKey, LocalRecord> recs = new TreeMap<>();
            d.records().forEach((k, r) -> recs.put(k, RecordMerge.storedAt(r, pnn)));
            out.add(new DatabaseContent(d.db(), d.kind(), recs));
        }
        return out;
    }
}
