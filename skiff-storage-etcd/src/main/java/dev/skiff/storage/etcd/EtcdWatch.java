package dev.skiff.storage.etcd;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Watch;
import dev.skiff.storage.WatchEnd;
import dev.skiff.storage.WatchEvent;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SPI watch over an etcd watch, which it re-creates itself after a lost stream.
 *
 * <p>jetcd can resume a broken watch on its own, but it resumes from the header revision of the "created" response
 * when no event has arrived yet, which skips the history a watch from a past revision had still to replay. So this
 * class owns the position instead: {@code nextRevision} is one past the last event handed to the listener, every
 * etcd watch is started there, and events below it (a replay after a reconnect) are dropped. Each etcd watch gets a
 * generation number; callbacks from a superseded one are ignored, so a late callback can neither duplicate nor end
 * anything.
 *
 * <p>Progress: etcd's periodic progress notifications are passed on as
 * {@link dev.skiff.storage.WatchListener#onProgress}, so a cache can prove it is current when the latest writes were
 * elsewhere. etcd sends them every {@code --experimental-watch-progress-notify-interval} (ten minutes unless
 * configured; {@link LocalEtcd} sets 100 ms).
 *
 * <p>Lost streams are retried with backoff; if etcd stays unreachable for {@link #GIVE_UP_AFTER}, the watch ends with
 * {@link WatchEnd.Failed} and the caller re-lists, as it would after a compaction.
 */
final class EtcdWatch implements Watch {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    /** What a watch needs from its backend. */
    interface Host {
        io.etcd.jetcd.Watch watchClient();

        KeySpace keySpace();

        /** etcd reported its compaction point; returns the store's (SPI) compaction point that follows from it. */
        long compactedTo(long etcdCompactRevision);

        /** The watch ended; forget it. */
        void ended(EtcdWatch watch);
    }

    private final Host host;
    private final KeySpace.Bounds bounds;
    private final SerialDelivery delivery;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock.
    private long nextRevision;
    private int generation;
    private io.etcd.jetcd.Watch.Watcher watcher;
    private boolean ended;
    private long failingSinceNanos = -1;
    private long progress;
    private int failures;

    EtcdWatch(Host host, KeySpace.Bounds bounds, long startRevision, SerialDelivery delivery) {
        this.host = host;
        this.bounds = bounds;
        this.nextRevision = startRevision;
        this.delivery = delivery;
    }

    /** Opens (or re-opens) the etcd watch at {@code nextRevision}. */
    void start() {
        int gen;
        long from;
        lock.lock();
        try {
            if (ended) {
                return;
            }
            gen = ++generation;
            from = nextRevision;
        } finally {
            lock.unlock();
        }
        WatchOption.Builder option = WatchOption.builder()
                .withRevision(from)
                .withPrevKV(true)
                .withCreateNotify(true)
                .withProgressNotify(true);
        if (bounds.end() != null) {
            option.withRange(bounds.end());
        }
        io.etcd.jetcd.Watch.Watcher opened;
        try {
            opened = host.watchClient().watch(bounds.start(), option.build(), new Callbacks(gen));
        } catch (RuntimeException e) {
            // The client is closed (the backend is closing) or refused outright: nothing to resume.
            finish(gen, new WatchEnd.Failed(e));
            return;
        }
        boolean stale;
        lock.lock();
        try {
            stale = gen != generation || ended;
            if (!stale) {
                watcher = opened;
            }
        } finally {
            lock.unlock();
        }
        if (stale) {
            opened.close();
        }
    }

    @Override
    public void cancel() {
        finish(-1, new WatchEnd.Cancelled());
    }

    /** Ends the watch with {@code end} unless it has ended already. */
    void end(WatchEnd end) {
        finish(-1, end);
    }

    /**
     * Ends the watch with {@code end}, once. {@code gen} -1 ends whatever runs (cancel); otherwise only the given
     * generation may end it, so a superseded etcd watch cannot.
     */
    private void finish(int gen, WatchEnd end) {
        io.etcd.jetcd.Watch.Watcher toClose;
        lock.lock();
        try {
            if (ended || (gen != -1 && gen != generation)) {
                return;
            }
            ended = true;
            generation++;
            toClose = watcher;
            watcher = null;
            // Queued under the lock, so no event of this watch can be queued after its end.
            delivery.end(end);
        } finally {
            lock.unlock();
        }
        if (toClose != null) {
            toClose.close();
        }
        host.ended(this);
    }

    private void onResponse(int gen, WatchResponse response) {
        lock.lock();
        try {
            if (gen != generation || ended) {
                return;
            }
            failures = 0;
            failingSinceNanos = -1;
            if (response.isProgressNotify()) {
                progressed(response.getHeader().getRevision());
                return;
            }
            long floor = nextRevision;
            long last = -1;
            for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
                long revision = event.getKeyValue().getModRevision();
                if (revision < floor) {
                    continue; // already delivered before the stream was re-created
                }
                WatchEvent mapped = map(event);
                if (mapped != null) {
                    delivery.event(mapped);
                }
                last = revision;
            }
            if (last >= 0) {
                nextRevision = last + 1;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * etcd's periodic progress notification: it sends one only to a watch that has caught up with the store, on the
     * same channel as the watch's events and after them, with the store revision at that moment, so every event up
     * to it has arrived. (Progress on request is not used: in etcd 3.4 releases like the one Debian ships, its
     * answer travels outside the event channel and can overtake events still queued for the stream, etcd issue
     * 15220.) Marks that go backwards, or that lie below what was already delivered, are dropped.
     */
    private void progressed(long revision) {
        if (revision > progress && revision >= nextRevision - 1) {
            progress = revision;
            delivery.progress(revision);
        }
    }

    private WatchEvent map(io.etcd.jetcd.watch.WatchEvent event) {
        KeySpace keys = host.keySpace();
        io.etcd.jetcd.KeyValue kv = event.getKeyValue();
        KeyValue previous = present(event.getPrevKV()) ? EtcdBackend.toKeyValue(keys, event.getPrevKV()) : null;
        return switch (event.getEventType()) {
            case PUT -> new WatchEvent.Put(EtcdBackend.toKeyValue(keys, kv), previous);
            case DELETE -> new WatchEvent.Delete(keys.strip(kv.getKey()), kv.getModRevision(), previous);
            case UNRECOGNIZED -> {
                LOG.warn("ignoring an etcd watch event of unknown type at revision {}", kv.getModRevision());
                yield null;
            }
        };
    }

    /** jetcd hands an absent prev_kv over as an empty record; a real key always has version 1 or more. */
    private static boolean present(io.etcd.jetcd.KeyValue kv) {
        return kv != null && kv.getVersion() > 0;
    }

    private void onFailure(int gen, Throwable error) {
        Throwable cause = EtcdErrors.unwrap(error);
        if (cause instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
            finish(gen, new WatchEnd.Compacted(host.compactedTo(compacted.getCompactedRevision())));
            return;
        }
        retry(gen, cause);
    }

    /** The etcd watch of generation {@code gen} broke: drop it and open a new one at our position, or give up. */
    private void retry(int gen, Throwable cause) {
        io.etcd.jetcd.Watch.Watcher toClose = null;
        long delayMillis = -1;
        long position;
        lock.lock();
        try {
            if (gen != generation || ended) {
                return;
            }
            position = nextRevision;
            long now = System.nanoTime();
            if (failingSinceNanos < 0) {
                failingSinceNanos = now;
            }
            if (now - failingSinceNanos <= GIVE_UP_AFTER.toNanos()) {
                generation++; // supersede the broken etcd watch before anything else can use it
                toClose = watcher;
                watcher = null;
                delayMillis = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(failures, 10));
                failures++;
            }
        } finally {
            lock.unlock();
        }
        if (delayMillis < 0) {
            LOG.warn("etcd watch at revision {} could not be re-established for {}; ending it", position,
                    GIVE_UP_AFTER, cause);
            finish(gen, new WatchEnd.Failed(cause)); // generation is still gen, so this applies
            return;
        }
        LOG.debug("etcd watch at revision {} broke ({}); re-creating it in {} ms", position, cause, delayMillis);
        if (toClose != null) {
            toClose.close();
        }
        CompletableFuture.runAsync(this::start,
                CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
    }

    /** jetcd's listener for one generation. */
    private final class Callbacks implements io.etcd.jetcd.Watch.Listener {
        private final int gen;

        Callbacks(int gen) {
            this.gen = gen;
        }

        @Override
        public void onNext(WatchResponse response) {
            onResponse(gen, response);
        }

        @Override
        public void onError(Throwable throwable) {
            onFailure(gen, throwable);
        }

        @Override
        public void onCompleted() {
            // Called when we close the etcd watch (then this generation is already superseded and it is ignored),
            // or when the server ended the stream on its own: re-create it.
            retry(gen, new IllegalStateException("etcd ended the watch stream"));
        }
    }
}
