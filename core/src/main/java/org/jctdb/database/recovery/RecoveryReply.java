package org.jctdb.database.recovery;

import java.util.List;

/** A member's answers to {@link RecoveryRequest}s. */
public sealed interface RecoveryReply {

    int from();

    long generation();

    record Frozen(int from, long generation) implements RecoveryReply {
    }

    /** {@code servedGeneration}: the last generation this member was thawed in (0: none since it started). */
    record Collected(int from, long generation, long servedGeneration, List<DatabaseContent> databases)
            implements RecoveryReply {
        public Collected {
            databases = List.copyOf(databases);
        }
    }

    record Pushed(int from, long generation) implements RecoveryReply {
    }

    record Thawed(int from, long generation) implements RecoveryReply {
    }

    /** The member has seen generation {@code seen}, newer than the request's. */
    record Refused(int from, long generation, long seen) implements RecoveryReply {
    }
}
