package org.jctdb.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepalivesTest {
    private static final long MS = 1_000_000L;

    private final List<Keepalives> checked = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private long now = 1_000 * MS;
    private final Keepalives k = new Keepalives(1_000, 2_000, checked, () -> now);
    private final EmbeddedChannel ch = channel(k);

    /** A connection with {@code keepalives} first, recording the events it tells the next handler. */
    private EmbeddedChannel channel(Keepalives keepalives) {
        return new EmbeddedChannel(keepalives, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(
                        evt == Keepalives.MISSED
                                ? "missed"
                                : ((IdleStateEvent) evt).state().toString());
            }
        });
    }

    private List<String> checkAt(long ms) {
        now = 1_000 * MS + ms * MS;
        events.clear();
        k.check(now);
        return List.copyOf(events);
    }

    private void readAt(long ms) {
        now = 1_000 * MS + ms * MS;
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        ch.readInbound(); // released by the test: nothing after the handler consumes it
    }

    private void writeAt(long ms) {
        now = 1_000 * MS + ms * MS;
        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1}));
        ch.<Object>readOutbound();
    }

    @Test
    void aSilentPeerIsMissedHalfAnIntervalLateThenDroppedAtTheLimitCountingTheDropAsTheLast() {
        assertThat(checked).containsExactly(k);
        writeAt(500); // writes keep the writer side quiet
        assertThat(checkAt(900)).isEmpty();
        readAt(950);
        writeAt(1_450);
        assertThat(checkAt(2_400)).isEmpty(); // 1.45 intervals of silence
        assertThat(checkAt(2_450)).containsExactly("missed", "WRITER_IDLE"); // 1.5; nothing written for 1 s
        assertThat(checkAt(2_700)).isEmpty();
        assertThat(checkAt(2_950)).containsExactly("READER_IDLE"); // 2 intervals = the limit
        assertThat(checkAt(9_000)).containsExactly("WRITER_IDLE"); // the drop is told once
    }

    @Test
    void aCheckBeforeTheNextCheckTimeTellsNothingAndOneAtItTellsSomething() {
        Keepalives slow = new Keepalives(1_000, 5_000, checked, () -> now);
        EmbeddedChannel c = channel(slow);
        long start = now;
        assertThat(slow.nextCheckAt()).isEqualTo(start + 1_000 * MS); // nothing written for an interval
        long[] reads = {300, 2_000}; // then silence: misses, the drop, and keepalives written every interval
        int r = 0;
        int told = 0;
        for (long ms = 0; ms <= 12_000; ms++) {
            now = start + ms * MS;
            if (r < reads.length && reads[r] == ms) {
                c.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
                c.readInbound();
                r++;
            }
            long next = slow.nextCheckAt();
            events.clear();
            slow.check(now);
            if (now < next) {
                assertThat(events)
                        .as("at %d ms, next check at %d ms", ms, (next - start) / MS)
                        .isEmpty();
            } else {
                assertThat(events).as("at %d ms", ms).isNotEmpty();
                told += events.size();
            }
        }
        // misses at 1.8 s and 3.5 .. 6.5 s, the drop at 7 s, a keepalive written every second
        assertThat(told).isEqualTo(1 + 4 + 1 + 12);
        c.close();
        assertThat(slow.nextCheckAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLateCheckTellsEveryMissDueButNoneAtOrPastTheLimit() {
        Keepalives slow = new Keepalives(1_000, 5_000, checked, () -> now);
        EmbeddedChannel c = channel(slow);
        now = 1_000 * MS + 3_600 * MS;
        slow.check(now);
        assertThat(events).containsExactly("missed", "missed", "missed", "WRITER_IDLE"); // 1.5, 2.5, 3.5
        events.clear();
        now = 1_000 * MS + 60_000 * MS;
        slow.check(now);
        assertThat(events).containsExactly("missed", "READER_IDLE", "WRITER_IDLE"); // 4.5, then the drop at 5
        c.close();
    }

    @Test
    void aReadStartsTheCountAgainAndAClosedConnectionLeavesTheChecks() {
        assertThat(checkAt(1_600)).containsExactly("missed", "WRITER_IDLE");
        readAt(1_700);
        writeAt(2_500);
        assertThat(checkAt(3_100)).isEmpty();
        assertThat(checkAt(3_200)).containsExactly("missed");
        ch.close();
        assertThat(checked).isEmpty();
        assertThat(checkAt(60_000)).isEmpty();
    }

    @Test
    void theCheckPeriodIsAQuarterSecondAndFinerForShortIntervals() {
        assertThat(Keepalives.checkMillis(5_000)).isEqualTo(250);
        assertThat(Keepalives.checkMillis(1_000)).isEqualTo(125);
        assertThat(Keepalives.checkMillis(1)).isEqualTo(1);
    }

    @Test
    void everyReadAndWriteTellsTheMeshItsNextCheckMayHaveMovedSoNoCheckWakesForNothing() {
        List<Long> movedTo = new ArrayList<>();
        List<Keepalives> live = new ArrayList<>();
        Keepalives[] self = new Keepalives[1];
        self[0] = new Keepalives(1_000, 2_000, live, () -> now, () -> movedTo.add(self[0].nextCheckAt()));
        now = 1_000 * MS;
        EmbeddedChannel c = channel(self[0]);
        assertThat(movedTo).containsExactly(2_000 * MS); // begun: a keepalive due an interval on
        now = 1_400 * MS;
        c.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1}));
        c.<Object>readOutbound();
        // Written: the keepalive is off to 2,400; the first miss (1.5 intervals of silence) is at 2,500.
        assertThat(movedTo).last().isEqualTo(2_400 * MS);
        now = 2_300 * MS;
        c.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1}));
        c.<Object>readOutbound();
        assertThat(movedTo).last().isEqualTo(2_500 * MS); // now the miss comes first
        now = 2_450 * MS;
        c.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        c.readInbound();
        assertThat(movedTo).last().isEqualTo(3_300 * MS); // read in time: no miss check at 2,500
        events.clear();
        self[0].check(3_300 * MS);
        assertThat(events).containsExactly("WRITER_IDLE"); // the check it was moved to has work
        // A write within one check period (125 ms) of the one before moves the check by under a point
        // of the grid: not told (traffic does not re-arm the mesh's timer per frame); one after a pause is.
        int told = movedTo.size();
        now = 3_424 * MS;
        c.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1}));
        c.<Object>readOutbound();
        assertThat(movedTo).hasSize(told);
        now = 3_549 * MS;
        c.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1}));
        c.<Object>readOutbound();
        assertThat(movedTo).hasSize(told + 1);
        c.close();
    }
}
