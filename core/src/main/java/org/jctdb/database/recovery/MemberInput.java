package org.jctdb.database.recovery;

import java.util.List;

/** What a {@link RecoveryMember} reacts to: the leader's requests and its shell's answers. */
public sealed interface MemberInput {

    record Request(RecoveryRequest request) implements MemberInput {}

    /** The shell holds every database's locks now (taken without blocking, helpers waiting for busy ones). */
    record FreezeDone() implements MemberInput {}

    /** The shell read every database for the collect step of {@code generation}. */
    record LocalCollected(long generation, List<DatabaseContent> databases) implements MemberInput {
        public LocalCollected {
            databases = List.copyOf(databases);
        }
    }

    /** The shell replaced every database with the pushed contents of {@code generation}. */
    record PushApplied(long generation) implements MemberInput {}

    /** A client asks for something that must not run during a recovery; answered by {@link MemberEffect.Proceed}. */
    record ClientWaits(long requestId, Gated kind) implements MemberInput {}

    /**
     * No leader has been heard for the leader timeout: stop serving until a recovery, as CTDB's election
     * sets recovery mode ACTIVE. Bounds how long a cut-off node serves records the others took over.
     */
    record LeaderLost() implements MemberInput {}

    /** Requests that wait for a recovery instead of failing (CTDB defers attaches; it fails TRANS3_COMMIT). */
    enum Gated {
        ATTACH,
        TRANS3_COMMIT
    }
}
