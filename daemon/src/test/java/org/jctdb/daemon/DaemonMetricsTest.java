package org.jctdb.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.jctdb.leader.LockResult;
import org.junit.jupiter.api.Test;

/** The lock bookkeeping of {@link DaemonMetrics}: which report moves the state, what counts as an attempt. */
class DaemonMetricsTest {
    private final DaemonMetrics m = new DaemonMetrics();

    @Test
    void aLockAttemptIsTimedFromTheFirstAskToTheAnswer() {
        assertThat(m.lockState()).isEqualTo("none");
        m.lockAcquiring();
        m.lockAcquiring(); // asked again while pending: still one attempt
        m.lockResult(LockResult.CONTENTION);
        assertThat(m.lockState()).isEqualTo("contention");
        m.lockAcquiring();
        m.lockResult(LockResult.TAKEN);
        m.lockResult(LockResult.TAKEN); // a report without an attempt is counted, not timed
        assertThat(value("jctdb_cluster_lock_acquire_seconds", "contention")).isEqualTo(1);
        assertThat(value("jctdb_cluster_lock_acquire_seconds", "taken")).isEqualTo(1);
        assertThat(value("jctdb_cluster_lock_results", "taken")).isEqualTo(2);
    }

    @Test
    void heldLockStatesFollowTheBackendUntilReleased() {
        m.lockAcquiring();
        m.lockResult(LockResult.TAKEN);
        m.lockResult(LockResult.UNRESPONSIVE);
        assertThat(m.lockState()).isEqualTo("unresponsive");
        m.lockResult(LockResult.RESPONSIVE_AGAIN);
        assertThat(m.lockState()).isEqualTo("taken");
        m.lockResult(LockResult.LOST);
        assertThat(m.lockState()).isEqualTo("lost");
        m.lockReleased();
        assertThat(m.lockState()).isEqualTo("none");
        assertThat(MetricsEndpoint.LOCK_STATES).contains("taken", "contention", "timeout", "error", "lost");
    }

    /** A counter's value or a histogram's count, of the data point whose only label has {@code label}. */
    private double value(String family, String label) {
        for (MetricSnapshot s : m.registry.scrape()) {
            if (!s.getMetadata().getName().equals(family)) {
                continue;
            }
            for (DataPointSnapshot d : s.getDataPoints()) {
                if (d.getLabels().getValue(0).equals(label)) {
                    return d instanceof HistogramSnapshot.HistogramDataPointSnapshot h
                            ? h.getCount()
                            : ((CounterSnapshot.CounterDataPointSnapshot) d).getValue();
                }
            }
        }
        return 0;
    }
}
