package org.jctdb.database.recovery;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;
import org.jctdb.database.migration.VnnMap;

/** What the recovery leader asks each member, in this order; every request names its generation. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RecoveryRequest.Freeze.class, name = "freeze"),
    @JsonSubTypes.Type(value = RecoveryRequest.Collect.class, name = "collect"),
    @JsonSubTypes.Type(value = RecoveryRequest.Push.class, name = "push"),
    @JsonSubTypes.Type(value = RecoveryRequest.Thaw.class, name = "thaw"),
})
public sealed interface RecoveryRequest {

    int leader();

    long generation();

    /** Stop serving every database and take all their locks (CTDB: recovery mode ACTIVE, DB_FREEZE). */
    record Freeze(int leader, long generation) implements RecoveryRequest {}

    /** Send every database's records (CTDB: PULL_DB / DB_PULL, GET_DB_SEQNUM). */
    record Collect(int leader, long generation) implements RecoveryRequest {}

    /** Replace every database with these contents in one transaction each (CTDB: WIPE_DATABASE, DB_PUSH). */
    record Push(int leader, long generation, List<DatabaseContent> databases) implements RecoveryRequest {
        public Push {
            databases = List.copyOf(databases);
        }
    }

    /** Serve again in the new generation with this map (CTDB: SETVNNMAP, DB_THAW, recovery mode NORMAL). */
    record Thaw(int leader, long generation, VnnMap map) implements RecoveryRequest {
        public Thaw {
            Objects.requireNonNull(map, "map");
        }
    }
}
