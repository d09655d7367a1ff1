package org.jctdb.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jctdb.database.Database;
import org.jctdb.database.DbId;
import org.jctdb.database.SeqnumWatch;
import org.jctdb.database.TdbException;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell of {@link SeqnumWatch} on the database thread: every SeqnumInterval milliseconds (the tunable,
 * read at each round) the TDB change counters of the databases a client asked ENABLE_SEQNUM on are read,
 * and UPDATE_SEQNUM (no reply) goes to every active node for each one that moved; an UPDATE_SEQNUM from
 * another node raises our counter (smbd's caches on this node then see the change), as CTDB does. While
 * no database has them enabled a round would read nothing: none runs until ENABLE_SEQNUM.
 */
final class SeqnumPropagation {
    private static final Logger log = LoggerFactory.getLogger("jctdb.client");

    private final CtdbService s;
    private final SeqnumWatch watch = new SeqnumWatch();

    /** A round is scheduled (database thread): none while no database has sequence numbers enabled. */
    private boolean scheduled;

    SeqnumPropagation(CtdbService service) {
        this.s = service; // no database has sequence numbers enabled yet: no round until one does
    }

    /**
     * ENABLE_SEQNUM succeeded (database thread): the rounds run from the next point of their grid.
     * Until then a round would read nothing, so none is scheduled.
     */
    void enabled() {
        if (!scheduled) {
            schedule();
        }
    }

    private void schedule() {
        long interval = Math.max(10, s.host().tunables().get("SeqnumInterval"));
        s.worker().scheduleOnGrid(this::round, interval); // shares the other timers' wake-ups
        scheduled = true;
    }

    private void round() {
        scheduled = false;
        boolean any = false;
        try {
            Map<DbId, Integer> now = new HashMap<>();
            for (Database d : s.databases().list()) {
                if (d.file().seqnumEnabled()) {
                    now.put(d.id(), d.tdbSeqnum());
                }
            }
            any = !now.isEmpty();
            List<DbId> moved = watch.changed(now);
            for (DbId db : moved) {
                for (int pnn : s.activePeers()) {
                    s.forward(
                            pnn,
                            ControlOpcode.UPDATE_SEQNUM.code(),
                            CtdbWire.CTRL_FLAG_NOREPLY,
                            ControlData.u32(db.value()));
                }
            }
        } catch (TdbException | RuntimeException e) {
            log.warn("sequence number check failed: {}", e.toString());
            any = true; // keep trying, as before
        } finally {
            if (any) {
                schedule();
            }
        }
    }

    /** UPDATE_SEQNUM from another node. Runs on the database thread. */
    void updated(DbId db) {
        s.worker().execute(() -> {
            Optional<Database> d = s.databases().byId(db);
            if (d.isEmpty()) {
                log.debug("UPDATE_SEQNUM for database {}, not attached here", db);
                return;
            }
            try {
                d.get().file().incrementSeqnum();
                watch.raised(db, d.get().tdbSeqnum());
            } catch (TdbException e) {
                log.warn("UPDATE_SEQNUM of {}: {}", d.get().name(), e.toString());
            }
        });
    }
}
