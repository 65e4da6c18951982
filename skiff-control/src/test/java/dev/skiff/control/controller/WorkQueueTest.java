package dev.skiff.control.controller;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkQueueTest {

    @Test
    void aKeyAddedTwiceWhileWaitingIsHandedOutOnce() {
        WorkQueue<String> queue = new WorkQueue<>();
        queue.add("a");
        queue.add("b");
        queue.add("a");
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.poll()).isEqualTo("b");
        assertThat(queue.poll()).isNull();
    }

    @Test
    void aKeyAddedWhileProcessingWaitsUntilDone() {
        WorkQueue<String> queue = new WorkQueue<>();
        queue.add("a");
        assertThat(queue.poll()).isEqualTo("a");
        queue.add("a");
        queue.add("a");
        // Not handed out a second time while the first worker still holds it.
        assertThat(queue.poll()).isNull();
        queue.done("a");
        assertThat(queue.poll()).isEqualTo("a");
        queue.done("a");
        assertThat(queue.poll()).isNull();
    }

    @Test
    void doneWithoutNewAddsForgetsTheKey() {
        WorkQueue<String> queue = new WorkQueue<>();
        queue.add("a");
        queue.poll();
        queue.done("a");
        assertThat(queue.size()).isZero();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void shutDownIgnoresAdds() {
        WorkQueue<String> queue = new WorkQueue<>();
        queue.add("a");
        queue.shutDown();
        queue.add("b");
        assertThat(queue.poll()).isNull();
    }
}
