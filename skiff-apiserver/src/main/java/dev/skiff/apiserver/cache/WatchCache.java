package dev.skiff.apiserver.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.registry.ObjectList;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.selection.Selection;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.Watch;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch cache of one resource: every current object (as JSON plus what filters need) and a window of recent
 * events, kept up to date by one storage watch, serving lists and watches from memory.
 *
 * <p>Consistency: the cache knows the revision up to which it has applied storage's changes (events, and progress
 * notifications for changes elsewhere). A consistent list first waits until that revision reaches storage's
 * current one; if the engine cannot prove progress in time, the caller reads storage instead. A watch from a
 * revision older than the window gets 410 Gone from the cache; the API server then serves it from storage while
 * storage still has that history (after a restart the window starts at the restart), and clients re-list only when
 * storage has compacted it, as with kube-apiserver.
 *
 * <p>Thread-safe: event application takes the write lock; reads and watch registration the read lock, so a new
 * watch sees exactly the events after its snapshot.
 */
public final class WatchCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);
    private static final int WATCHER_QUEUE = 10_000;

    /** A consistent read of the cache: the matching objects at {@code revision}. */
    public record Snapshot(List<CachedObject> items, long revision) {
    }

    private final ResourceType type;
    private final ObjectStore store;
    private final ObjectMapper json;
    private final int capacity;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Condition advanced = lock.writeLock().newCondition();
    private final TreeMap<String, CachedObject> objects = new TreeMap<>();
    private final ArrayDeque<CacheEvent> window = new ArrayDeque<>();
    private final Set<CacheWatcher> watchers = ConcurrentHashMap.newKeySet();
    private long revision;
    private long windowFloor;
    private volatile boolean ready;
    private volatile boolean closed;
    private Watch storageWatch;

    public WatchCache(ResourceType type, ObjectStore store, ObjectMapper json, int capacity) {
        this.type = type;
        this.store = store;
        this.json = json;
        this.capacity = capacity;
    }

    public ResourceType type() {
        return type;
    }

    /** Whether the cache has loaded and follows storage. */
    public boolean ready() {
        return ready;
    }

    /** Loads the current objects and starts following storage. Blocks for the initial list. */
    public WatchCache start() {
        load();
        return this;
    }

    private void load() {
        ObjectList initial = store.list(type, "", 0, null, 0, o -> true);
        lock.writeLock().lock();
        try {
            objects.clear();
            window.clear();
            for (ObjectNode object : initial.items()) {
                CachedObject cached = cache(object, revisionOf(object));
                objects.put(key(cached), cached);
            }
            revision = initial.revision();
            windowFloor = initial.revision();
            ready = true;
        } finally {
            lock.writeLock().unlock();
        }
        storageWatch = store.watch(type, "", initial.revision(), ObjectStore.EVERYTHING, this::apply,
                this::ended, this::progress);
    }

    private void ended(ApiException end) {
        if (closed) {
            return;
        }
        // The storage watch ended (history compacted under a slow cache, or a failure): start over, and end
        // every client watch so that clients re-list, since the window no longer connects.
        LOG.warn("watch cache for {} lost its storage watch ({}); reloading", type.groupResource(),
                end == null ? "cancelled" : end.getMessage());
        ready = false;
        watchers.forEach(CacheWatcher::stop);
        try {
            load();
        } catch (RuntimeException e) {
            LOG.error("watch cache for {} could not reload; serving from storage", type.groupResource(), e);
        }
    }

    private void apply(ObjectEvent event) {
        CachedObject current = cache(event.object(), event.revision());
        String key = key(current);
        lock.writeLock().lock();
        try {
            CachedObject previous = objects.get(key);
            if (event.type() == ObjectEvent.Type.DELETED) {
                objects.remove(key);
            } else {
                objects.put(key, current);
            }
            CacheEvent cacheEvent = new CacheEvent(event.type(), current, previous, event.revision());
            window.addLast(cacheEvent);
            while (window.size() > capacity) {
                windowFloor = window.removeFirst().revision();
            }
            revision = Math.max(revision, event.revision());
            for (CacheWatcher watcher : watchers) {
                watcher.offer(cacheEvent);
            }
            advanced.signalAll();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void progress(long storageRevision) {
        lock.writeLock().lock();
        try {
            if (storageRevision > revision) {
                // Progress moves the revision (and so consistent reads and bookmarks) forward even when the
                // latest writes were to other resources.
                revision = storageRevision;
                advanced.signalAll();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Waits until the cache has applied storage up to {@code target}; false if that took longer than {@code max}. */
    public boolean awaitRevision(long target, Duration max) {
        lock.writeLock().lock();
        try {
            long nanos = max.toNanos();
            while (revision < target) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The objects of {@code namespace} ("" for all) matching {@code filter}, at the cache's revision. */
    public Snapshot list(String namespace, Selection filter) {
        lock.readLock().lock();
        try {
            List<CachedObject> items = new ArrayList<>();
            for (CachedObject object : scope(namespace).values()) {
                if (filter.matches(object.labels(), object.fields())) {
                    items.add(object);
                }
            }
            return new Snapshot(items, revision);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The cached object {@code namespace/name} ({@code namespace} empty for cluster-scoped types), if the cache holds
     * it. The cache may lag storage by a moment: callers that need certainty about absence read storage.
     */
    public java.util.Optional<CachedObject> get(String namespace, String name) {
        lock.readLock().lock();
        try {
            return java.util.Optional.ofNullable(objects.get(namespace.isEmpty() ? name : namespace + "/" + name));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Watches {@code namespace} through {@code filter}. With {@code afterRevision} null the current matching objects
     * come first as ADDED events; otherwise the events after that revision (410 if the window no longer reaches
     * back that far). Returns a handle that stops the watch.
     */
    public Runnable watch(String namespace, Selection filter, Long afterRevision, CacheSink sink) {
        WatchStart start = afterRevision == null ? new WatchStart.Snapshot(0) : new WatchStart.After(afterRevision);
        CacheWatch watch = register(namespace, filter, start, false, sink);
        watch.start();
        return watch::stop;
    }

    /**
     * Registers a watch of {@code namespace} through {@code filter} from {@code start}; it collects events at once
     * and delivers them once {@link CacheWatch#start() started}. A snapshot with {@code bookmarks} ends with the
     * initial-events-end BOOKMARK, as kube-apiserver's watch-list does.
     *
     * <p>Blocks up to 3 s when {@code start} asks for a revision the cache has not reached (then 504, as upstream's
     * "Too large resource version"); throws 410 when an {@link WatchStart.After} revision is older than the window.
     */
    public CacheWatch register(String namespace, Selection filter, WatchStart start, boolean bookmarks,
            CacheSink sink) {
        long needed = switch (start) {
            case WatchStart.Snapshot snapshot -> snapshot.minRevision();
            case WatchStart.After after -> after.revision();
            case WatchStart.Latest latest -> 0;
        };
        if (needed > revision() && !awaitRevision(needed, Duration.ofSeconds(3))) {
            throw tooLargeResourceVersion(needed, revision());
        }
        CacheWatcher watcher = new CacheWatcher(namespace, filter, sink, bookmarks, WATCHER_QUEUE);
        List<CacheEvent> backlog = new ArrayList<>();
        long startRevision;
        long initialEventsEnd = -1;
        lock.readLock().lock();
        try {
            switch (start) {
                case WatchStart.Snapshot snapshot -> {
                    for (CachedObject object : scope(namespace).values()) {
                        if (watcher.visible(object)) {
                            backlog.add(new CacheEvent(ObjectEvent.Type.ADDED, object, null, object.revision()));
                        }
                    }
                    startRevision = revision;
                    if (bookmarks) {
                        initialEventsEnd = revision;
                    }
                }
                case WatchStart.After after -> {
                    if (after.revision() < windowFloor) {
                        throw ApiException.expired("too old resource version: " + after.revision() + " ("
                                + windowFloor + ")");
                    }
                    for (CacheEvent event : window) {
                        if (event.revision() > after.revision()) {
                            backlog.add(event);
                        }
                    }
                    startRevision = after.revision();
                }
                case WatchStart.Latest latest -> startRevision = revision;
            }
            watchers.add(watcher);
        } finally {
            lock.readLock().unlock();
        }
        return new Registration(watcher, backlog, startRevision, initialEventsEnd);
    }

    /** A registered watch and what it delivers first. */
    private final class Registration implements CacheWatch {

        private final CacheWatcher watcher;
        private final List<CacheEvent> backlog;
        private final long startRevision;
        private final long initialEventsEnd;

        Registration(CacheWatcher watcher, List<CacheEvent> backlog, long startRevision, long initialEventsEnd) {
            this.watcher = watcher;
            this.backlog = backlog;
            this.startRevision = startRevision;
            this.initialEventsEnd = initialEventsEnd;
        }

        @Override
        public long startRevision() {
            return startRevision;
        }

        @Override
        public void start() {
            watcher.start(backlog, startRevision, initialEventsEnd, () -> watchers.remove(watcher));
        }

        @Override
        public void bookmark() {
            // Under the read lock no event is being applied, so the bookmark queues behind every event up to the
            // revision it reports, and ahead of any later one.
            lock.readLock().lock();
            try {
                watcher.offerBookmark(revision);
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public void stop() {
            if (watcher.stop()) {
                watchers.remove(watcher);
            }
        }
    }

    /** 504 as upstream reports a resourceVersion storage has not reached in time; clients retry after a second. */
    public static ApiException tooLargeResourceVersion(long requested, long current) {
        return new ApiException(new dev.skiff.apiserver.status.Status("Failure",
                "Timeout: Too large resource version: " + requested + ", current: " + current, "Timeout",
                new dev.skiff.apiserver.status.Status.Details(null, null, null, null, null, 1), 504));
    }

    /** The revision the cache has caught up to. */
    public long revision() {
        lock.readLock().lock();
        try {
            return revision;
        } finally {
            lock.readLock().unlock();
        }
    }

    private Map<String, CachedObject> scope(String namespace) {
        if (namespace.isEmpty() || !type.namespaced()) {
            return objects;
        }
        return objects.subMap(namespace + "/", true, namespace + "0", false);
    }

    private static String key(CachedObject object) {
        return object.namespace().isEmpty() ? object.name() : object.namespace() + "/" + object.name();
    }

    private CachedObject cache(ObjectNode object, long rev) {
        try {
            return new CachedObject(object.path("metadata").path("namespace").asText(""),
                    object.path("metadata").path("name").asText(), json.writeValueAsBytes(object), rev,
                    Selection.labelsOf(object), Selection.fieldsOf(object, type));
        } catch (JsonProcessingException e) {
            throw ApiException.internal("cannot encode a cached object: " + e.getMessage());
        }
    }

    private static long revisionOf(ObjectNode object) {
        return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
    }

    @Override
    public void close() {
        closed = true;
        if (storageWatch != null) {
            storageWatch.cancel();
        }
        watchers.forEach(CacheWatcher::stop);
    }

    /** How long a consistent list may wait for the cache before reading storage. */
    public static Duration freshnessBudget() {
        return Duration.ofMillis(TimeUnit.MILLISECONDS.toMillis(250));
    }
}
