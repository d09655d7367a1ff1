package org.jctdb.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jctdb.leader.LockResult;

/** A listener that queues results, with bounded waits for tests. */
final class LockEvents implements LockListener {
    record Event(LockResult result, String detail) {}

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final LockResult ignored;

    LockEvents() {
        this(null);
    }

    private LockEvents(LockResult ignored) {
        this.ignored = ignored;
    }

    /**
     * A listener that drops one kind of result, for a test about something else: e.g. UNRESPONSIVE,
     * which a loaded machine can cause in any test whose helper re-checks its file (slow to fork).
     */
    static LockEvents ignoring(LockResult result) {
        return new LockEvents(result);
    }

    @Override
    public void onLockResult(LockResult result, String detail) {
        if (result != ignored) {
            queue.add(new Event(result, detail));
        }
    }

    Event next(Duration within) throws InterruptedException {
        Event e = queue.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("a lock result within " + within).isNotNull();
        return e;
    }

    Event expect(LockResult result, Duration within) throws InterruptedException {
        Event e = next(within);
        assertThat(e.result()).as("lock result (detail: " + e.detail() + ")").isEqualTo(result);
        return e;
    }

    void expectNothing(Duration during) throws InterruptedException {
        Event e = queue.poll(during.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("no lock result").isNull();
    }
}
