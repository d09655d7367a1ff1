package org.jctdb.database.recovery;

import java.util.List;
import org.jctdb.database.migration.VnnMap;

/** What a {@link RecoveryMember} asks its shell to do, in order. */
public sealed interface MemberEffect {

    /**
     * Stop record migration (MigrationCore Freeze) and take every database's locks without blocking;
     * answer {@link MemberInput.FreezeDone}. Clients keep their chain locks until they release them.
     */
    record FreezeDatabases() implements MemberEffect {}

    /** Read every database (under the held locks); answer {@link MemberInput.LocalCollected}. */
    record CollectDatabases(long generation) implements MemberEffect {}

    /** Replace every database by these contents, exactly as given; answer {@link MemberInput.PushApplied}. */
    record ReplaceDatabases(long generation, List<DatabaseContent> databases) implements MemberEffect {
        public ReplaceDatabases {
            databases = List.copyOf(databases);
        }
    }

    /** Release the locks and serve in the new generation (MigrationCore GenerationChanged). */
    record ThawDatabases(VnnMap map) implements MemberEffect {}

    record Reply(int to, RecoveryReply reply) implements MemberEffect {}

    /** A request held during the recovery may run now. */
    record Proceed(long requestId, MemberInput.Gated kind) implements MemberEffect {}
}
