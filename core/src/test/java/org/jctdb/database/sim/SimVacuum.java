package org.jctdb.database.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordInput;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.migration.VnnMap;
import org.jctdb.database.vacuum.VacuumRules;

/**
 * Vacuuming in the database simulator, as the daemon's shell does it with {@link VacuumRules}: a node serving
 * a generation hands the empty records it is data master but not location master of to their location master
 * (VACUUM_FETCH: it migrates them to itself with a call of no client) and offers the empty records it is
 * location and data master of to every other vnnmap node
 * (TRY_DELETE_RECORDS over the simulated network, which loses messages on crashes and partitions); a node
 * drops stale copies unless frozen or a client holds the chain; when every node answered and nobody kept a
 * copy, the location master deletes the record if, in the same generation and not frozen, the copy is still
 * the offered one. Checked at every deletion: no node serving that generation keeps a copy with a higher
 * rsn or one that names itself data master.
 */
final class SimVacuum {
    private final DbSimulation sim;
    long deletes;
    long offered;
    long handedOver;

    SimVacuum(DbSimulation sim) {
        this.sim = sim;
    }

    private static boolean serving(SimDbNode nd) {
        return nd.alive
                && !nd.migration.frozen()
                && !nd.locksHeld
                && !nd.freezing
                && nd.migration.map().isPresent();
    }

    /** One vacuuming pass on every node. */
    void pass(RecordKey[] keys) {
        for (SimDbNode nd : sim.nodes) {
            if (serving(nd)) {
                pass(nd, keys);
            }
        }
    }

    private void pass(SimDbNode nd, RecordKey[] keys) {
        VnnMap map = nd.migration.map().get();
        Map<RecordKey, Long> offer = new TreeMap<>();
        for (RecordKey k : keys) {
            LocalRecord copy = nd.vol.get(k);
            if (nd.chainHeld.containsKey(k)) {
                continue;
            }
            int lmaster = map.lmaster(k);
            switch (VacuumRules.plan(nd.pnn, lmaster, Optional.ofNullable(copy))) {
                case DELETE_HERE -> offer.put(k, copy.header().rsn());
                case HAND_TO_LMASTER -> {
                    // VACUUM_FETCH: the lmaster migrates the record to itself (a call without a client);
                    // a later pass there offers it
                    handedOver++;
                    SimDbNode lm = sim.nodes[lmaster];
                    sim.net(nd.pnn, lmaster, () -> {
                        // as the daemon: any generation (a migration call is harmless), lmaster there too
                        if (serving(lm) && lm.migration.map().get().lmaster(k) == lm.pnn) {
                            sim.deliverRecord(lm, new RecordInput.ClientCall(sim.nextId(), DbSimulation.VOL, k));
                        }
                    });
                }
                case SKIP -> {}
            }
        }
        if (offer.isEmpty()) {
            return;
        }
        offered += offer.size();
        List<Integer> peers = new ArrayList<>();
        map.nodes().stream().distinct().filter(p -> p != nd.pnn).forEach(peers::add);
        int inc = nd.incarnation;
        Set<RecordKey> kept = new HashSet<>();
        int[] waiting = {peers.size()};
        boolean[] refused = {false};
        if (peers.isEmpty()) {
            finish(nd, inc, map.generation(), offer, kept);
            return;
        }
        for (int p : peers) {
            SimDbNode peer = sim.nodes[p];
            sim.net(nd.pnn, p, () -> {
                boolean ok = serving(peer);
                Set<RecordKey> keptThere = new HashSet<>();
                if (ok) {
                    offer.forEach((k, rsn) -> {
                        LocalRecord c = peer.vol.get(k);
                        if (peer.chainHeld.containsKey(k)
                                || !VacuumRules.mayDropCopy(
                                        peer.pnn,
                                        peer.migration.map().get().generation(),
                                        map.generation(),
                                        rsn,
                                        Optional.ofNullable(c))) {
                            keptThere.add(k);
                        } else {
                            peer.vol.remove(k);
                        }
                    });
                }
                sim.net(p, nd.pnn, () -> {
                    refused[0] |= !ok;
                    kept.addAll(keptThere);
                    if (--waiting[0] == 0 && !refused[0]) {
                        finish(nd, inc, map.generation(), offer, kept);
                    }
                });
            });
        }
    }

    private void finish(SimDbNode nd, int inc, long generation, Map<RecordKey, Long> offer, Set<RecordKey> kept) {
        if (nd.incarnation != inc || !serving(nd) || nd.migration.map().get().generation() != generation) {
            return;
        }
        offer.forEach((k, rsn) -> {
            if (kept.contains(k) || nd.chainHeld.containsKey(k)) {
                return;
            }
            if (VacuumRules.mayDelete(nd.pnn, rsn, true, Optional.ofNullable(nd.vol.get(k)))) {
                for (SimDbNode o : sim.nodes) {
                    LocalRecord c = o.vol.get(k);
                    if (o != nd
                            && c != null
                            && serving(o)
                            && o.migration.map().get().generation() == generation
                            && (c.header().rsn() > rsn || c.header().dmaster() == o.pnn)) {
                        sim.fail("vacuum on node " + nd.pnn + " deleted " + k + " at rsn " + rsn + " while node "
                                + o.pnn + " serving generation " + generation + " holds " + c);
                    }
                }
                nd.vol.remove(k);
                deletes++;
            }
        });
    }
}
