package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jctdb.control.ClusterView;
import org.jctdb.database.migration.VnnMap;
import org.junit.jupiter.api.Test;

/**
 * GETVNNMAP between the database thaw and the leader's FINISH: ctdbd has installed the new vnnmap before
 * any database thaws, so a client that got a record call answered must see that generation, not "no
 * generation" (a restarted node) or the previous one.
 */
class ControlsVnnMapTest {
    private static ClusterView view(long generation, List<Integer> map) {
        return new ClusterView(1, List.of(), generation, map, 1, 0, 0, 0, 0, Optional.empty());
    }

    @Test
    void aRestartedNodeWhoseDatabasesThawedShowsTheirGeneration() {
        var m = Controls.vnnMap(
                view(ClusterView.INVALID_GENERATION, List.of()), Optional.of(new VnnMap(7, List.of(0, 1))));
        assertThat(m.generation()).isEqualTo(7);
        assertThat(m.map()).containsExactly(0, 1);
    }

    @Test
    void aNodeWhoseDatabasesThawedBeforeTheFinishShowsTheNewGeneration() {
        var m = Controls.vnnMap(view(5, List.of(0)), Optional.of(new VnnMap(7, List.of(0, 1))));
        assertThat(m.generation()).isEqualTo(7);
        assertThat(m.map()).containsExactly(0, 1);
    }

    @Test
    void otherwiseTheViewsMap() {
        assertThat(Controls.vnnMap(view(7, List.of(0, 1)), Optional.of(new VnnMap(7, List.of(0, 1))))
                        .generation())
                .isEqualTo(7);
        // frozen (nothing served) or an older served map: the view's
        assertThat(Controls.vnnMap(view(9, List.of(1)), Optional.empty()).generation())
                .isEqualTo(9);
        var m = Controls.vnnMap(view(9, List.of(1)), Optional.of(new VnnMap(7, List.of(0, 1))));
        assertThat(m.generation()).isEqualTo(9);
        assertThat(m.map()).containsExactly(1);
    }
}
