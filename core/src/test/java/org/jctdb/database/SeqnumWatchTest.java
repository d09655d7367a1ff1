package org.jctdb.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SeqnumWatchTest {
    private final DbId a = new DbId(1);
    private final DbId b = new DbId(2);

    @Test
    void onlyCountersThatMovedSinceTheLastLookArePropagated() {
        SeqnumWatch w = new SeqnumWatch();
        assertThat(w.changed(Map.of(a, 5))).isEmpty(); // first look: the baseline
        assertThat(w.changed(Map.of(a, 5, b, 0))).isEmpty();
        assertThat(w.changed(Map.of(a, 6, b, 0))).containsExactly(a);
        assertThat(w.changed(Map.of(a, 6, b, 0))).isEmpty();
        assertThat(w.changed(Map.of(a, 7, b, 3))).containsExactly(a, b);
    }

    @Test
    void aRaiseForAnotherNodesChangeDoesNotBounceBack() {
        SeqnumWatch w = new SeqnumWatch();
        w.changed(Map.of(a, 5));
        w.raised(a, 6);
        assertThat(w.changed(Map.of(a, 6))).isEmpty();
        assertThat(w.changed(Map.of(a, 8))).containsExactly(a); // a local write after it still counts
    }
}
