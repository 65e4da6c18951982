package dev.skiff.control.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    @Test
    void dropsEventsBeyondThePendingLimitAndAcceptsAgainOnceTheyAreWritten() {
        List<Runnable> executor = new ArrayList<>();   // tasks held, run by the test
        List<String> written = new ArrayList<>();
        EventQueue q = new EventQueue(executor::add, 2);

        assertThat(q.submit(() -> written.add("a"))).isTrue();
        assertThat(q.submit(() -> written.add("b"))).isTrue();
        assertThat(q.submit(() -> written.add("c"))).as("two pending: dropped").isFalse();

        executor.removeFirst().run();
        assertThat(q.submit(() -> written.add("d"))).as("one written, room again").isTrue();
        executor.forEach(Runnable::run);
        assertThat(written).containsExactly("a", "b", "d");
    }

    @Test
    void aFailingWriteStillFreesItsPlace() {
        List<Runnable> executor = new ArrayList<>();
        EventQueue q = new EventQueue(executor::add, 1);
        q.submit(() -> {
            throw new IllegalStateException("API down");
        });
        try {
            executor.removeFirst().run();
        } catch (IllegalStateException expected) {
            // the executor's thread would log it
        }
        assertThat(q.submit(() -> { })).isTrue();
    }

    @Test
    void aRejectingExecutorDropsTheEventWithoutLeakingItsPlace() {
        EventQueue q = new EventQueue(r -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }, 1);
        assertThat(q.submit(() -> { })).isFalse();
        assertThat(q.submit(() -> { })).isFalse();
    }
}
