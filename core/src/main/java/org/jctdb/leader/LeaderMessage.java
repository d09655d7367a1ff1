package org.jctdb.leader;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Messages exchanged between the leader cores of different nodes. The transport carries them as
 * JSON; the {@code type} property names the record. Every message that a leader sends carries its
 * generation, which receivers use as a fencing token (see docs/design/leader-and-lock.md).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LeaderMessage.Announce.class, name = "announce"),
    @JsonSubTypes.Type(value = LeaderMessage.StartRecovery.class, name = "start-recovery"),
    @JsonSubTypes.Type(value = LeaderMessage.FinishRecovery.class, name = "finish-recovery"),
    @JsonSubTypes.Type(value = LeaderMessage.RecoveryAck.class, name = "recovery-ack"),
    @JsonSubTypes.Type(value = LeaderMessage.RecoveryNeeded.class, name = "recovery-needed"),
    @JsonSubTypes.Type(value = LeaderMessage.Refused.class, name = "refused"),
    @JsonSubTypes.Type(value = LeaderMessage.Resign.class, name = "resign"),
    @JsonSubTypes.Type(value = LeaderMessage.Candidate.class, name = "candidate"),
    @JsonSubTypes.Type(value = LeaderMessage.Follow.class, name = "follow"),
})
public sealed interface LeaderMessage {

    /** The node that sent the message. */
    int from();

    /** Messages that only a leader sends; each is fenced by its generation. */
    sealed interface FromLeader extends LeaderMessage {
        long generation();

        /** Random per start of the leader's daemon: a restarted node must not pass for its old self. */
        long boot();
    }

    /** The leader is alive; sent to every node once per broadcast interval. */
    record Announce(int from, long generation, long boot) implements FromLeader {}

    /** Enter recovery mode for this generation and run the startrecovery event. */
    record StartRecovery(int from, long generation, long boot) implements FromLeader {}

    /** Install this map of active nodes, return to NORMAL and run the recovered event. */
    record FinishRecovery(int from, long generation, long boot, List<Integer> vnnMap) implements FromLeader {
        public FinishRecovery {
            vnnMap = List.copyOf(vnnMap);
        }
    }

    /** The leader steps down (lost capability, stopped, banned, shut down). */
    record Resign(int from, long generation, long boot) implements FromLeader {}

    /** A recovery step of this generation finished on the sending node. */
    record RecoveryAck(int from, long generation, Phase phase, boolean ok) implements LeaderMessage {}

    /** The sending node is not in the leader's current generation and asks for a recovery. */
    record RecoveryNeeded(int from, long generation) implements LeaderMessage {}

    /**
     * The sending node refused a leader message of {@code refusedGeneration} because it has already
     * seen {@code seenGeneration}, which is newer.
     */
    record Refused(int from, long refusedGeneration, long seenGeneration) implements LeaderMessage {}

    /** Whether the sending node can lead (for the no-lock rule) and the newest generation it has seen. */
    record Candidate(int from, boolean canLead, long seenGeneration) implements LeaderMessage {}

    /**
     * The answer to an {@link Announce}: the sending node heard the leader's announcement of
     * {@code generation} (and {@code boot}) and follows it. The leader counts these answers to
     * know that a majority still hears it (the quorum rule, docs/design/leader-and-lock.md).
     */
    record Follow(int from, long generation, long boot) implements LeaderMessage {}

    /** The two steps of a recovery. */
    enum Phase {
        START,
        FINISH
    }
}
