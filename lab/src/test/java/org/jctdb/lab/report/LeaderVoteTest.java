package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jctdb.lab.report.RunData.NodeSample;
import org.junit.jupiter.api.Test;

class LeaderVoteTest {
    private static NodeSample node(int pnn, boolean reachable, int leader) {
        return new NodeSample(pnn, reachable, "OK", leader, 0, 0);
    }

    private static int vote(NodeSample... nodes) {
        return LeaderVote.of(List.of(nodes), NodeSample::reachable, NodeSample::leader);
    }

    @Test
    void theMostNamedLeaderOfTheReachableNodesWins() {
        assertThat(vote(node(0, true, 2), node(1, true, 2), node(2, true, 0))).isEqualTo(2);
        assertThat(vote(node(0, false, 1), node(1, false, 1), node(2, true, 0)))
                .as("unreachable nodes do not vote")
                .isEqualTo(0);
    }

    @Test
    void aTieGoesToTheLowestPnnAndNoAnswerIsMinusOne() {
        assertThat(vote(node(0, true, 2), node(1, true, 1))).isEqualTo(1);
        assertThat(vote(node(0, true, -1), node(1, false, 1))).isEqualTo(-1);
        assertThat(vote()).isEqualTo(-1);
    }
}
