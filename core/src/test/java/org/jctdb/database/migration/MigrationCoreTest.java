package org.jctdb.database.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.MigrationEffect.ReplyToClient;
import org.jctdb.database.migration.MigrationEffect.SendToNode;
import org.jctdb.database.migration.MigrationEffect.StoreRecord;
import org.jctdb.database.migration.PeerMessage.ReplyDmaster;
import org.jctdb.database.migration.PeerMessage.ReqCall;
import org.jctdb.database.migration.PeerMessage.ReqDmaster;
import org.junit.jupiter.api.Test;

class MigrationCoreTest {
    static final DbId DB = DbId.of("locking.tdb");
    static final long GEN = 1024;
    static final VnnMap MAP = new VnnMap(GEN, List.of(0, 1, 2));

    /** A key whose lmaster in MAP is {@code lmaster}. */
    static RecordKey keyWithLmaster(int lmaster) {
        for (int i = 0; ; i++) {
            RecordKey k = RecordKey.of("key" + i);
            if (MAP.lmaster(k) == lmaster) {
                return k;
            }
        }
    }

    static MigrationCore thawed(int pnn) {
        MigrationCore c = new MigrationCore(pnn, 8);
        c.step(new MigrationInput.GenerationChanged(MAP));
        return c;
    }

    static LocalRecord rec(long rsn, int dmaster, String data) {
        return new LocalRecord(new LtdbHeader(rsn, dmaster, 0), data.getBytes());
    }

    @Test
    void dmasterAnswersItsOwnClientLocally() {
        RecordKey k = keyWithLmaster(1);
        List<MigrationEffect> out = thawed(0)
                .step(new MigrationInput.Locked(new RecordInput.ClientCall(7, DB, k), Optional.of(rec(3, 0, "x"))));
        assertThat(out).singleElement().isInstanceOfSatisfying(ReplyToClient.class, r -> {
            assertThat(r.callId()).isEqualTo(7);
            assertThat(r.hops()).isZero();
        });
    }

    @Test
    void aSecondCallForARecordOnItsWayWaitsForTheFirstInsteadOfAskingAgain() {
        RecordKey k = keyWithLmaster(2);
        RecordKey other = keyWithLmaster(1);
        MigrationCore node = thawed(0);
        List<MigrationEffect> first =
                node.step(new MigrationInput.Locked(new RecordInput.ClientCall(1, DB, k), Optional.empty()));
        long reqId = ((ReqCall) ((SendToNode) first.get(0)).message()).reqId();
        assertThat(node.step(new MigrationInput.Locked(new RecordInput.ClientCall(2, DB, k), Optional.empty())))
                .as("collapsed into the first call")
                .isEmpty();
        assertThat(node.step(new MigrationInput.Locked(new RecordInput.ClientCall(3, DB, other), Optional.empty())))
                .as("another record is asked for on its own")
                .singleElement()
                .isInstanceOf(SendToNode.class);
        assertThat(node.waitingCalls()).isEqualTo(3);
        List<MigrationEffect> arrived = node.step(new MigrationInput.Locked(
                new ReplyDmaster(2, GEN, DB, k, reqId, 5, 0, "v".getBytes(), 1), Optional.empty()));
        assertThat(arrived).hasSize(3);
        assertThat(arrived.get(0)).isInstanceOf(StoreRecord.class);
        assertThat(arrived.get(1))
                .isInstanceOfSatisfying(
                        ReplyToClient.class, r -> assertThat(r.callId()).isEqualTo(1));
        // the waiting call is answered in the same step with the record as stored: no second round through
        // the queue, where a peer's call read meanwhile could take the record away first
        assertThat(arrived.get(2)).isInstanceOfSatisfying(ReplyToClient.class, r -> {
            assertThat(r.callId()).isEqualTo(2);
            assertThat(r.header()).isEqualTo(((StoreRecord) arrived.get(0)).header());
            assertThat(r.header().dmaster()).isZero();
            assertThat(r.data()).isEqualTo("v".getBytes());
            assertThat(r.hops()).isZero();
        });
        assertThat(node.waitingCalls()).isEqualTo(1);
    }

    @Test
    void collapsedCallsAreResentAfterARecovery() {
        RecordKey k = keyWithLmaster(2);
        MigrationCore node = thawed(0);
        node.step(new MigrationInput.Locked(new RecordInput.ClientCall(1, DB, k), Optional.empty()));
        node.step(new MigrationInput.Locked(new RecordInput.ClientCall(2, DB, k), Optional.empty()));
        node.step(new MigrationInput.Freeze(GEN + 1));
        List<MigrationEffect> thawed =
                node.step(new MigrationInput.GenerationChanged(new VnnMap(GEN + 1, List.of(0, 1, 2))));
        assertThat(thawed).hasSize(2).allMatch(e -> e instanceof MigrationEffect.Resubmit);
        assertThat(node.waitingCalls()).isZero();
    }

    @Test
    void anAbsentRecordBelongsToItsLmaster() {
        RecordKey k = keyWithLmaster(2);
        List<MigrationEffect> out =
                thawed(0).step(new MigrationInput.Locked(new RecordInput.ClientCall(1, DB, k), Optional.empty()));
        assertThat(out).singleElement().isInstanceOfSatisfying(SendToNode.class, s -> {
            assertThat(s.to()).isEqualTo(2);
            assertThat(s.message()).isInstanceOf(ReqCall.class);
        });
    }

    @Test
    void aNodeThatIsNeitherDmasterNorLmasterRedirectsToTheLmaster() {
        RecordKey k = keyWithLmaster(2);
        ReqCall c = new ReqCall(0, GEN, DB, k, 0, 5, 0);
        List<MigrationEffect> out = thawed(1).step(new MigrationInput.Locked(c, Optional.of(rec(4, 0, "old"))));
        assertThat(out).singleElement().isInstanceOfSatisfying(SendToNode.class, s -> {
            assertThat(s.to()).isEqualTo(2);
            assertThat(((ReqCall) s.message()).hops()).isEqualTo(1);
        });
    }

    @Test
    void theLmasterForwardsToTheDmasterInItsHeader() {
        RecordKey k = keyWithLmaster(2);
        ReqCall c = new ReqCall(0, GEN, DB, k, 0, 5, 1);
        List<MigrationEffect> out = thawed(2).step(new MigrationInput.Locked(c, Optional.of(rec(4, 1, ""))));
        assertThat(out)
                .singleElement()
                .isInstanceOfSatisfying(
                        SendToNode.class, s -> assertThat(s.to()).isEqualTo(1));
    }

    @Test
    void handOverGoesThroughTheLmasterAndRaisesTheRsnAtTheNewDmaster() {
        RecordKey k = keyWithLmaster(2);
        // node 1 is dmaster, node 0 asks
        List<MigrationEffect> atOld = thawed(1)
                .step(new MigrationInput.Locked(new ReqCall(2, GEN, DB, k, 0, 9, 1), Optional.of(rec(4, 1, "data"))));
        assertThat(atOld.get(0)).isInstanceOfSatisfying(StoreRecord.class, st -> {
            assertThat(st.header().dmaster()).isZero();
            assertThat(st.header().rsn()).isEqualTo(4);
            assertThat(st.header().has(LtdbHeader.FLAG_MIGRATED_WITH_DATA)).isTrue();
        });
        ReqDmaster toLmaster = (ReqDmaster) ((SendToNode) atOld.get(1)).message();
        assertThat(((SendToNode) atOld.get(1)).to()).isEqualTo(2);

        List<MigrationEffect> atLmaster =
                thawed(2).step(new MigrationInput.Locked(toLmaster, Optional.of(rec(3, 1, "older"))));
        assertThat(((StoreRecord) atLmaster.get(0)).header().dmaster()).isZero();
        ReplyDmaster reply = (ReplyDmaster) ((SendToNode) atLmaster.get(1)).message();

        MigrationCore origin = thawed(0);
        origin.step(new MigrationInput.Locked(new RecordInput.ClientCall(42, DB, k), Optional.of(rec(3, 1, "older"))));
        // the origin's request id is 1 (its first call); the reply of this test carries 9, so send a matching one
        ReplyDmaster matching = new ReplyDmaster(2, GEN, DB, k, 1, reply.rsn(), reply.flags(), reply.data(), 2);
        List<MigrationEffect> atNew = origin.step(new MigrationInput.Locked(matching, Optional.empty()));
        assertThat(((StoreRecord) atNew.get(0)).header()).isEqualTo(new LtdbHeader(5, 0, reply.flags()));
        assertThat(atNew.get(1)).isInstanceOfSatisfying(ReplyToClient.class, r -> {
            assertThat(r.callId()).isEqualTo(42);
            assertThat(new String(r.data())).isEqualTo("data");
        });
    }

    @Test
    void busyChainLockIsWaitedForNeverBlockedOn() {
        RecordInput in = new RecordInput.ClientCall(1, DB, keyWithLmaster(0));
        assertThat(thawed(0).step(new MigrationInput.RecordBusy(in)))
                .containsExactly(new MigrationEffect.WaitForChain(in));
    }

    @Test
    void messagesOfAnOlderGenerationAreDroppedAndNewerOnesWaitForTheThaw() {
        RecordKey k = keyWithLmaster(0);
        MigrationCore c = thawed(0);
        assertThat(c.step(new MigrationInput.Locked(new ReqCall(1, GEN - 1, DB, k, 1, 1, 0), Optional.empty())))
                .isEmpty();
        c.step(new MigrationInput.Freeze(GEN + 1));
        ReqCall early = new ReqCall(1, GEN + 1, DB, k, 1, 2, 0);
        assertThat(c.step(new MigrationInput.Locked(early, Optional.empty()))).isEmpty();
        assertThat(c.step(new MigrationInput.GenerationChanged(new VnnMap(GEN + 1, List.of(0, 1, 2)))))
                .contains(new MigrationEffect.Resubmit(early));
    }

    @Test
    void callsWaitingDuringARecoveryAreResentAfterIt() {
        MigrationCore c = new MigrationCore(0, 8);
        RecordInput.ClientCall call = new RecordInput.ClientCall(3, DB, keyWithLmaster(1));
        assertThat(c.step(new MigrationInput.Locked(call, Optional.empty()))).isEmpty();
        assertThat(c.step(new MigrationInput.GenerationChanged(MAP)))
                .containsExactly(new MigrationEffect.Resubmit(call));
    }

    @Test
    void aCallForwardedTooOftenFailsBackToItsOriginAndAsksForARecovery() {
        RecordKey k = keyWithLmaster(2);
        List<MigrationEffect> out = thawed(1)
                .step(new MigrationInput.Locked(new ReqCall(2, GEN, DB, k, 0, 4, 9), Optional.of(rec(1, 2, ""))));
        assertThat(out).hasSize(2);
        assertThat(((SendToNode) out.get(0)).message()).isInstanceOf(PeerMessage.ReplyError.class);
        assertThat(out.get(1)).isInstanceOf(MigrationEffect.RequestRecovery.class);
    }
}
