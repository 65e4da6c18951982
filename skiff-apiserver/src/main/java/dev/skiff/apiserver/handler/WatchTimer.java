package dev.skiff.apiserver.handler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The lifetime of one watch, run on its request thread: it lasts until the client or the server ends it, or until its
 * timeout, and in the meantime asks for a BOOKMARK when one is due. The schedule is upstream's cacheWatcher's: a
 * bookmark every interval (kube-apiserver: a minute), and one 2 s before the deadline, so that a client re-watching
 * after the timeout resumes from as recent a resourceVersion as possible.
 */
final class WatchTimer {

    /** kube-apiserver's --min-request-timeout: without timeoutSeconds a watch lasts a random 30 to 60 minutes. */
    static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;
    private static final long PRE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final LongSupplier nanoTime;
    private final long deadline;
    private final long interval;

    WatchTimer(long timeoutSeconds, Duration bookmarkInterval, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.interval = bookmarkInterval.toNanos();
        this.deadline = nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(effectiveTimeout(timeoutSeconds));
    }

    /** The timeout a watch gets: the client's, or (as upstream spreads reconnects) a random 30–60 minutes. */
    static long effectiveTimeout(long timeoutSeconds) {
        if (timeoutSeconds > 0) {
            return timeoutSeconds;
        }
        return ThreadLocalRandom.current().nextLong(MIN_REQUEST_TIMEOUT_SECONDS, 2 * MIN_REQUEST_TIMEOUT_SECONDS);
    }

    /**
     * When the next bookmark is due after {@code now}: an interval on, or 2 s before the deadline if that comes
     * first; -1 when that moment has passed (no more bookmarks for this watch).
     */
    long nextBookmark(long now) {
        long next = now + interval;
        long preTimeout = deadline - PRE_TIMEOUT_NANOS;
        if (preTimeout - next < 0) {
            next = preTimeout;
        }
        return next - now <= 0 ? -1 : next;
    }

    /**
     * Waits until {@code done} completes or the deadline passes, calling {@code bookmark} (if not null) whenever one
     * is due. Returns true if the watch ran to its timeout.
     */
    boolean await(CompletableFuture<?> done, Runnable bookmark) {
        long next = bookmark == null ? -1 : nextBookmark(nanoTime.getAsLong());
        while (true) {
            long now = nanoTime.getAsLong();
            if (deadline - now <= 0) {
                return !done.isDone();
            }
            long wakeAt = next != -1 && next - deadline < 0 ? next : deadline;
            try {
                done.get(Math.max(0, wakeAt - now), TimeUnit.NANOSECONDS);
                return false;
            } catch (TimeoutException e) {
                // a bookmark is due, or the deadline has come
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                return false;
            }
            now = nanoTime.getAsLong();
            if (next != -1 && now - next >= 0 && deadline - now > 0) {
                bookmark.run();
                next = nextBookmark(now);
            }
        }
    }
}
