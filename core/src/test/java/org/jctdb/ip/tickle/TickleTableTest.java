package org.jctdb.ip.tickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TickleTableTest {
    private static final String IP = "198.18.5.1";

    private static TickleConnection conn(String client, int port) {
        return TickleConnection.parse(client + " " + IP + ":" + port);
    }

    @Test
    void registeredConnectionsAreListedSortedAndFilteredByPort() {
        TickleTable t = new TickleTable(0);
        assertThat(t.add(conn("198.18.9.2:40000", 445))).isTrue();
        assertThat(t.add(conn("198.18.9.1:40001", 2049))).isTrue();
        assertThat(t.add(conn("198.18.9.1:40001", 2049))).as("again").isFalse();
        assertThat(t.list(IP, 0)).containsExactly(conn("198.18.9.2:40000", 445), conn("198.18.9.1:40001", 2049));
        assertThat(t.list(IP, 2049)).containsExactly(conn("198.18.9.1:40001", 2049));
        assertThat(t.list("198.18.5.2", 0)).isEmpty();
        assertThat(t.remove(conn("198.18.9.2:40000", 445))).isTrue();
        assertThat(t.remove(conn("198.18.9.2:40000", 445))).isFalse();
    }

    @Test
    void kernelScanAddsConnectionsAndForgetsRegisteredOnesThatClosed() {
        TickleTable t = new TickleTable(0);
        TickleConnection smb = conn("198.18.9.2:40000", 445);
        TickleConnection nfs = conn("198.18.9.3:800", 2049);
        TickleConnection notHere = TickleConnection.parse("198.18.9.3:800 198.18.5.9:22");
        t.add(smb); // smbd registered it, and the kernel shows it
        t.observe(Set.of(IP), List.of(smb, nfs, notHere));
        assertThat(t.list(IP, 0)).containsExactlyInAnyOrder(smb, nfs);
        assertThat(t.list("198.18.5.9", 0)).as("not a hosted address").isEmpty();
        t.observe(Set.of(IP), List.of(nfs));
        assertThat(t.list(IP, 0)).as("smb closed").containsExactly(nfs);
        TickleConnection added = conn("198.18.9.4:1", 80);
        t.add(added); // addtickle of a connection the kernel never showed stays
        t.observe(Set.of(IP), List.of());
        assertThat(t.list(IP, 0)).containsExactly(added);
    }

    @Test
    void onlyChangedListsAreSentExceptOnTheFullUpdate() {
        TickleTable t = new TickleTable(3);
        t.add(conn("198.18.9.2:40000", 445));
        assertThat(t.updates(Set.of(IP, "198.18.5.2"), false))
                .containsExactly(new TickleList(3, IP, List.of(conn("198.18.9.2:40000", 445))));
        assertThat(t.updates(Set.of(IP), false)).isEmpty();
        assertThat(t.updates(Set.of(IP, "198.18.5.2"), true)).hasSize(2);
    }

    @Test
    void aPeersListReplacesOursUnlessWeHostTheAddress() {
        TickleTable t = new TickleTable(0);
        t.add(conn("198.18.9.9:1", 445));
        TickleList l = new TickleList(1, IP, List.of(conn("198.18.9.2:40000", 445)));
        assertThat(t.fromPeer(l, true)).isEqualTo(TickleTable.PeerOutcome.IGNORED_HOSTED_HERE);
        assertThat(t.list(IP, 0)).containsExactly(conn("198.18.9.9:1", 445));
        assertThat(t.fromPeer(l, false)).isEqualTo(TickleTable.PeerOutcome.REPLACED);
        assertThat(t.list(IP, 0)).containsExactly(conn("198.18.9.2:40000", 445));
        assertThat(t.updates(Set.of(), true)).as("not hosted: nothing to send").isEmpty();
    }

    @Test
    void hostileListsAreRefusedWithAReason() {
        TickleTable t = new TickleTable(0);
        assertThatThrownBy(() -> t.fromPeer(new TickleList(1, "198.18.5.2", List.of(conn("198.18.9.2:1", 445))), false))
                .hasMessageContaining("is not to 198.18.5.2");
        assertThatThrownBy(() -> t.fromPeer(new TickleList(0, IP, List.of()), false))
                .hasMessageContaining("from this node");
        List<TickleConnection> many = new ArrayList<>();
        for (int i = 0; i <= TickleList.MAX_CONNECTIONS; i++) {
            many.add(conn("198.18.9." + (i % 250) + ":" + (i / 250 + 1), 445));
        }
        assertThatThrownBy(() -> t.fromPeer(new TickleList(1, IP, many), false)).hasMessageContaining("at most");
        assertThat(t.list(IP, 0)).isEmpty();
    }

    @Test
    void aHostSendsAtMostTheLimit() {
        TickleTable t = new TickleTable(0);
        for (int i = 0; i < TickleList.MAX_CONNECTIONS + 5; i++) {
            t.add(conn("198.18.9." + (i % 250) + ":" + (i / 250 + 1), 445));
        }
        TickleList sent = t.updates(Set.of(IP), false).get(0);
        assertThat(sent.connections()).hasSize(TickleList.MAX_CONNECTIONS);
        assertThat(new TickleTable(1).fromPeer(sent, false)).isEqualTo(TickleTable.PeerOutcome.REPLACED);
    }

    @Test
    void takeoverHandsOutTheListOnceAndSendsTheEmptyList() {
        TickleTable t = new TickleTable(2);
        TickleList l = new TickleList(1, IP, List.of(conn("198.18.9.2:40000", 445), conn("198.18.9.3:7", 445)));
        t.fromPeer(l, false);
        assertThat(t.takeover(IP)).containsExactlyElementsOf(new TreeSet<>(l.connections()));
        assertThat(t.takeover(IP)).isEmpty();
        assertThat(t.updates(Set.of(IP), false)).containsExactly(new TickleList(2, IP, List.of()));
    }

    /** Whatever a node registered before, the last list from the host is what it knows. */
    @Property(tries = 200)
    void theLastPeerListWins(@ForAll @IntRange(max = 20) int before, @ForAll @IntRange(max = 20) int after) {
        TickleTable t = new TickleTable(0);
        for (int i = 0; i < before; i++) {
            t.add(conn("198.18.9." + i + ":1000", 445));
        }
        List<TickleConnection> peer = new ArrayList<>();
        for (int i = 0; i < after; i++) {
            peer.add(conn("198.18.8." + i + ":2000", 445 + i % 2));
        }
        t.fromPeer(new TickleList(1, IP, peer), false);
        assertThat(t.list(IP, 0)).containsExactlyElementsOf(new TreeSet<>(peer));
        assertThat(t.takeover(IP)).hasSize(after);
        assertThat(t.list(IP, 0)).isEmpty();
    }
}
