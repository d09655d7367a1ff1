package org.jctdb.leader;

import java.util.List;
import org.jctdb.leader.LeaderMessage.Phase;
import org.jctdb.leader.LeaderMessage.RecoveryAck;

/**
 * The part of a node that follows a leader's recovery: recovery mode, events, the vnnmap.
 * Only called with leader messages that already passed the generation fence. Re-sent
 * requests are answered again, so the leader may repeat them when messages get lost.
 */
final class Participant {
    private final int me;
    private RecoveryMode mode = RecoveryMode.ACTIVE;
    private long startedGeneration = Generation.NONE;
    private Boolean startOk;
    private long appliedGeneration = Generation.NONE;
    private long appliedBoot;
    private Boolean finishOk;
    private List<Integer> vnnMap = List.of();

    Participant(int me) {
        this.me = me;
    }

    /** Returns the reply to send to the leader, or null. */
    LeaderMessage onLeaderMessage(LeaderMessage.FromLeader m, List<Effect> out) {
        long gen = m.generation();
        if (m instanceof LeaderMessage.Announce) {
            boolean current = gen == appliedGeneration || gen == startedGeneration;
            return current ? null : new LeaderMessage.RecoveryNeeded(me, appliedGeneration);
        }
        if (m instanceof LeaderMessage.StartRecovery) {
            if (gen == startedGeneration) {
                return startOk == null ? null : new RecoveryAck(me, gen, Phase.START, startOk);
            }
            startedGeneration = gen;
            startOk = null;
            mode = RecoveryMode.ACTIVE;
            out.add(new Effect.SetRecoveryMode(RecoveryMode.ACTIVE, gen));
            out.add(new Effect.RunEvent(RecoveryEvent.STARTRECOVERY, gen));
            return null;
        }
        if (m instanceof LeaderMessage.FinishRecovery f) {
            if (gen != startedGeneration || !Boolean.TRUE.equals(startOk)) {
                out.add(new Effect.Log(
                        Effect.Level.WARN,
                        "finish-recovery for generation " + gen
                                + " but this node did not complete startrecovery for it"));
                return new RecoveryAck(me, gen, Phase.FINISH, false);
            }
            if (gen == appliedGeneration) {
                return finishOk == null ? null : new RecoveryAck(me, gen, Phase.FINISH, finishOk);
            }
            appliedGeneration = gen;
            appliedBoot = f.boot();
            finishOk = null;
            vnnMap = f.vnnMap();
            mode = RecoveryMode.NORMAL;
            out.add(new Effect.SetVnnMap(gen, vnnMap));
            out.add(new Effect.SetRecoveryMode(RecoveryMode.NORMAL, gen));
            out.add(new Effect.RunEvent(RecoveryEvent.RECOVERED, gen));
            return null;
        }
        return null;
    }

    /** Returns the ack for the leader, or null if the result is stale. */
    RecoveryAck eventDone(RecoveryEvent event, long gen, boolean ok, List<Effect> out) {
        if (!ok) {
            out.add(new Effect.Log(
                    Effect.Level.WARN, "event " + event.scriptArgument() + " failed for generation " + gen));
        }
        if (event == RecoveryEvent.STARTRECOVERY && gen == startedGeneration && startOk == null) {
            startOk = ok;
            return new RecoveryAck(me, gen, Phase.START, ok);
        }
        if (event == RecoveryEvent.RECOVERED && gen == appliedGeneration && finishOk == null) {
            finishOk = ok;
            return new RecoveryAck(me, gen, Phase.FINISH, ok);
        }
        return null;
    }

    RecoveryMode mode() {
        return mode;
    }

    long appliedGeneration() {
        return appliedGeneration;
    }

    long appliedBoot() {
        return appliedBoot;
    }

    List<Integer> vnnMap() {
        return vnnMap;
    }
}
