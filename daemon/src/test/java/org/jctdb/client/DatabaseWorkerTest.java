package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jctdb.database.LockWaiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DatabaseWorker#executeNow}: at once only where that keeps {@link DatabaseWorker#execute}'s order. */
class DatabaseWorkerTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final DatabaseWorker worker = new DatabaseWorker(new LockWaiter(Path.of("/nonexistent")), loop);
    private final List<String> order = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * Runs {@code body} on the worker's thread (a task of the loop, not of the worker), then waits until the worker
     * has run what was queued: three times a task queued behind everything, for tasks that queue tasks that queue.
     */
    private void onLoop(Runnable body) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                body.run();
            } finally {
                ran.countDown();
            }
        });
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            CountDownLatch drained = new CountDownLatch(1);
            worker.execute(drained::countDown);
            assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void runsAtOnceOnItsThreadWhenNothingIsQueued() throws InterruptedException {
        onLoop(() -> {
            worker.executeNow(() -> order.add("now"));
            order.add("after the call");
        });
        assertThat(order).containsExactly("now", "after the call");
    }

    @Test
    void waitsBehindTasksQueuedBeforeIt() throws InterruptedException {
        onLoop(() -> {
            worker.execute(() -> order.add("queued first"));
            worker.executeNow(() -> order.add("now"));
            order.add("after the call");
        });
        assertThat(order).containsExactly("after the call", "queued first", "now");
    }

    @Test
    void insideATaskOfTheWorkerRunsAfterIt() throws InterruptedException {
        onLoop(() -> worker.execute(() -> {
            worker.executeNow(() -> order.add("nested"));
            order.add("end of the task");
        }));
        assertThat(order).containsExactly("end of the task", "nested");
    }

    @Test
    void fromAnotherThreadIsQueued() throws InterruptedException {
        Thread caller = Thread.currentThread();
        CountDownLatch ran = new CountDownLatch(1);
        worker.executeNow(() -> {
            order.add(Thread.currentThread() == caller ? "caller's thread" : "worker's thread");
            ran.countDown();
        });
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("worker's thread");
    }

    @Test
    void aFailingTaskRunAtOnceDoesNotReachTheCaller() throws InterruptedException {
        onLoop(() -> {
            worker.executeNow(() -> {
                throw new IllegalStateException("boom");
            });
            worker.executeNow(() -> order.add("next"));
        });
        assertThat(order).containsExactly("next");
    }
}
