package org.jctdb.database.migration;

import java.util.Optional;

/** Everything {@link MigrationCore} reacts to. */
public sealed interface MigrationInput
        permits MigrationInput.Locked,
                MigrationInput.RecordBusy,
                MigrationInput.Freeze,
                MigrationInput.GenerationChanged,
                PeerMessage.ReplyError {

    /**
     * {@code input}, delivered while the shell holds the record's chain lock; {@code local} is this
     * node's copy as read under that lock (empty when the node has none). The shell applies the
     * resulting {@link MigrationEffect.StoreRecord}s before it releases the lock.
     */
    record Locked(RecordInput input, Optional<LocalRecord> local) implements MigrationInput {}

    /** The chain lock of {@code input}'s record is held by a client: the daemon never waits for it. */
    record RecordBusy(RecordInput input) implements MigrationInput {}

    /** A recovery froze this node's databases: serve nothing until the next generation. */
    record Freeze(long generation) implements MigrationInput {}

    /** A recovery finished on this node: thaw with the map of the new generation. */
    record GenerationChanged(VnnMap map) implements MigrationInput {}
}
