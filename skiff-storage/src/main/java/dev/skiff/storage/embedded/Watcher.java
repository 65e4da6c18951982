package dev.skiff.storage.embedded;

import dev.skiff.storage.KeyRange;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import dev.skiff.storage.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a cursor over the revision sequence, run on its own virtual thread. It waits for the committed revision
 * to pass the cursor, takes the next events from the {@link EventRing} (or from disk when the ring no longer holds
 * them), hands those in its range to the listener and advances. Being a cursor over dense revisions, it cannot skip
 * or repeat an event, and a slow listener delays only itself.
 */
final class Watcher implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
    private static final int MAX_EVENTS_PER_STEP = 1024;
    private static final long WAIT_NANOS = EventRing.nanos(1000);

    /** What a watcher needs from its store. */
    interface Source {
        EventRing ring();

        long compactRevision();

        /** Events re-read from disk; see {@link StoreReader#events}. Throws if the store is closed. */
        List<WatchEvent> eventsFromDisk(long from, long to, int max);
    }

    private final Source source;
    private final KeyRange range;
    private final WatchListener listener;
    private final Runnable onFinished;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private long next;

    Watcher(Source source, KeyRange range, long afterRevision, WatchListener listener, Runnable onFinished) {
        this.source = source;
        this.range = range;
        this.listener = listener;
        this.onFinished = onFinished;
        this.next = afterRevision + 1;
    }

    void start() {
        Thread.ofVirtual().name("skiff-watch-" + range).start(this::run);
    }

    @Override
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            source.ring().publishWakeup();
        }
    }

    private void run() {
        try {
            while (true) {
                if (cancelled.get() || source.ring().closed()) {
                    end(new WatchEnd.Cancelled());
                    return;
                }
                long compact = source.compactRevision();
                if (next < compact) {
                    end(new WatchEnd.Compacted(compact));
                    return;
                }
                long committed = source.ring().awaitBeyond(next - 1, WAIT_NANOS);
                if (committed < next) {
                    continue;
                }
                List<WatchEvent> events = collect(next, Math.min(committed, next + MAX_EVENTS_PER_STEP - 1));
                if (events == null) {
                    continue;
                }
                for (WatchEvent event : events) {
                    if (cancelled.get()) {
                        break;
                    }
                    if (range.contains(event.key())) {
                        listener.onEvent(event);
                    }
                    next = event.revision() + 1;
                }
                if (!cancelled.get() && next > source.ring().committedRevision()) {
                    listener.onProgress(next - 1);
                }
            }
        } catch (RuntimeException | Error e) {
            if (cancelled.get() || source.ring().closed()) {
                end(new WatchEnd.Cancelled());
            } else {
                LOG.warn("watch on {} failed", range, e);
                end(new WatchEnd.Failed(e));
            }
        } catch (InterruptedException e) {
            end(new WatchEnd.Cancelled());
        } finally {
            onFinished.run();
        }
    }

    /** Events {@code from..to} in order, or null when they were compacted away (the loop then ends the watch). */
    private List<WatchEvent> collect(long from, long to) {
        List<WatchEvent> events = new ArrayList<>((int) (to - from + 1));
        for (long revision = from; revision <= to; revision++) {
            WatchEvent event = source.ring().get(revision);
            if (event == null) {
                List<WatchEvent> fromDisk = source.eventsFromDisk(revision, to, MAX_EVENTS_PER_STEP);
                if (fromDisk.isEmpty() || fromDisk.getFirst().revision() != revision) {
                    if (revision < source.compactRevision()) {
                        return events.isEmpty() ? null : events;
                    }
                    throw new IllegalStateException("revision " + revision + " is missing from the event log");
                }
                events.addAll(fromDisk);
                return events;
            }
            events.add(event);
        }
        return events;
    }

    private void end(WatchEnd end) {
        if (ended.compareAndSet(false, true)) {
            try {
                listener.onEnd(end);
            } catch (RuntimeException e) {
                LOG.warn("watch listener failed on end {}", end, e);
            }
        }
    }
}
