package dev.skiff.storage.embedded;

import dev.skiff.storage.WatchEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The most recent committed events, one per revision, and the committed revision that watchers wait on.
 *
 * <p>Every revision is exactly one event, so revision {@code r} lives in slot {@code r & mask}; a slot holding another
 * revision means {@code r} has been overwritten and must be read from disk. Only the writer thread appends; any
 * number of watcher threads read. Publishing the committed revision (volatile) after filling the slots makes the
 * slots visible to readers.
 */
final class EventRing {

    private final AtomicReferenceArray<WatchEvent> slots;
    private final int mask;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile long committedRevision;
    private volatile boolean closed;

    EventRing(int size, long committedRevision) {
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.committedRevision = committedRevision;
    }

    long committedRevision() {
        return committedRevision;
    }

    /** Appends the events of one committed batch (consecutive revisions) and wakes the watchers. Writer only. */
    void publish(List<WatchEvent> events, long newCommittedRevision) {
        for (WatchEvent event : events) {
            slots.set((int) (event.revision() & mask), event);
        }
        lock.lock();
        try {
            committedRevision = newCommittedRevision;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter without advancing (a watcher was cancelled and must notice). */
    void publishWakeup() {
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The event at {@code revision} if still in memory, else null. */
    WatchEvent get(long revision) {
        WatchEvent event = slots.get((int) (revision & mask));
        return event != null && event.revision() == revision ? event : null;
    }

    /**
     * Blocks until the committed revision exceeds {@code revision}, the ring is closed, the wait is interrupted or
     * {@code maxNanos} pass. Returns the committed revision then.
     */
    long awaitBeyond(long revision, long maxNanos) throws InterruptedException {
        if (committedRevision > revision || closed) {
            return committedRevision;
        }
        lock.lock();
        try {
            long remaining = maxNanos;
            // One wait only: a wakeup without progress (a cancellation) returns so the caller re-checks its state.
            if (committedRevision <= revision && !closed && remaining > 0) {
                advanced.awaitNanos(remaining);
            }
            return committedRevision;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter for good. */
    void close() {
        lock.lock();
        try {
            closed = true;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean closed() {
        return closed;
    }

    static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
