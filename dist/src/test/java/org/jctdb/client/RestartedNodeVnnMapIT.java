package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.jctdb.bench.RawCtdbClient;
import org.jctdb.database.LtdbHeader;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.ControlData;
import org.jctdb.protocol.ctdb.ControlOpcode;
import org.jctdb.protocol.ctdb.CtdbHeader;
import org.jctdb.protocol.ctdb.CtdbPacket;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.VnnMap;
import org.jctdb.testing.LocalClusterHarness;
import org.junit.jupiter.api.Test;

/**
 * A restarted node serves volatile record calls only in a generation its GETVNNMAP already shows, as ctdbd
 * does (its recovery installs the vnnmap on every node before any database thaws, and attaches and record
 * calls wait until then). A client connects to the restarted node as soon as its socket exists; its attach
 * and its record call wait for the first recovery; the GETVNNMAP asked right after the answer must name a
 * generation and a map that contains the record's data master.
 */
class RestartedNodeVnnMapIT {
    private static final long INVALID = 0xffffffffL; // the view's "no generation" on the wire

    @Test
    void recordCallsOfARestartedNodeRunInTheGenerationItsVnnMapShows() throws Exception {
        try (LocalClusterHarness cluster = LocalClusterHarness.up(2)) {
            Path socket = cluster.nodeDir(1).resolve("run/ctdbd.socket");
            LocalClusterHarness.signal(cluster.pid(1), "KILL");
            Files.deleteIfExists(socket);
            CompletableFuture<LocalClusterHarness.Result> start = CompletableFuture.supplyAsync(() -> {
                try {
                    return cluster.startNode(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long until = System.nanoTime() + 60_000_000_000L;
            RawCtdbClient c = null;
            while (c == null) {
                assertThat(System.nanoTime()).as("node 1's socket within 60 s").isLessThan(until);
                try {
                    c = new RawCtdbClient(socket);
                } catch (java.io.IOException notYet) {
                    Thread.sleep(5);
                }
            }
            try (RawCtdbClient client = c) {
                int db = ControlData.decodeU32(
                        client.control(ControlOpcode.DB_ATTACH, ControlData.cString("it_vnnmap.tdb"))
                                .data()
                                .toArray(),
                        "db id");
                CtdbPacket.ReplyCall r = (CtdbPacket.ReplyCall) client.call(
                        CtdbHeader.REQ_CALL,
                        new CtdbPacket.ReqCall(
                                CtdbWire.CALL_IMMEDIATE_MIGRATION,
                                db,
                                CtdbWire.FETCH_WITH_HEADER_FUNC,
                                0,
                                Bytes.of("k".getBytes(StandardCharsets.US_ASCII)),
                                Bytes.EMPTY));
                VnnMap map = VnnMap.decode(client.control(ControlOpcode.GETVNNMAP, new byte[0])
                        .data()
                        .toArray());
                LtdbHeader h = LtdbHeader.decode(r.data().toArray());
                assertThat(Integer.toUnsignedLong(map.generation()))
                        .as("GETVNNMAP right after a record call was answered")
                        .isNotEqualTo(INVALID);
                assertThat(h.dmaster()).isEqualTo(1);
                assertThat(map.map()).as("the vnnmap of that generation").contains(1);
            }
            assertThat(start.get().exitCode()).isZero();
        }
    }
}
