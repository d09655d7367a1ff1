package org.jctdb.database.recovery;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** A member's answers to {@link RecoveryRequest}s. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RecoveryReply.Frozen.class, name = "frozen"),
    @JsonSubTypes.Type(value = RecoveryReply.Collected.class, name = "collected"),
    @JsonSubTypes.Type(value = RecoveryReply.Pushed.class, name = "pushed"),
    @JsonSubTypes.Type(value = RecoveryReply.Thawed.class, name = "thawed"),
    @JsonSubTypes.Type(value = RecoveryReply.Refused.class, name = "refused"),
})
public sealed interface RecoveryReply {

    int from();

    long generation();

    record Frozen(int from, long generation) implements RecoveryReply {}

    /**
     * {@code contentGeneration}: the generation whose push this member's volatile databases descend from,
     * thawed or not (0: none since it started, its volatile databases began empty).
     * {@code persistentGeneration}: the same for its persistent databases, kept across restarts.
     */
    record Collected(
            int from,
            long generation,
            long contentGeneration,
            long persistentGeneration,
            List<DatabaseContent> databases)
            implements RecoveryReply {
        public Collected {
            databases = List.copyOf(databases);
        }
    }

    record Pushed(int from, long generation) implements RecoveryReply {}

    record Thawed(int from, long generation) implements RecoveryReply {}

    /** The member has seen generation {@code seen}, newer than the request's. */
    record Refused(int from, long generation, long seen) implements RecoveryReply {}
}
