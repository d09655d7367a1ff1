package org.jctdb.database.recovery;

/** What a {@link DbRecoveryRun} asks the leader's shell to do. */
public sealed interface RecoveryEffect {

    /** Send a request to a member; to the leader itself, hand it to its own {@link RecoveryMember}. */
    record SendToMember(int to, RecoveryRequest request) implements RecoveryEffect {}

    /** Every member serves the new generation with the merged databases. */
    record Completed(RecoverySummary summary) implements RecoveryEffect {}

    /** The run cannot finish; the leader starts again with a new generation (members stay frozen). */
    record Aborted(long generation, String reason) implements RecoveryEffect {}
}
