package dev.skiff.control.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The informers of one process, one per kind over every namespace (client-go's {@code SharedInformerFactory}):
 * {@link #informer} hands every caller the same {@link SharedIndexInformer}, to which each component adds its own
 * event handlers and indexers; {@link #start} starts the ones not yet running and waits for their first list.
 *
 * <p>A handler added to an informer that is already running first receives an {@code onAdd} for every object in its
 * cache (fabric8 replays the store to a late listener, as client-go does), so components may join in any order. A
 * component reads the shared caches and must not close them: {@link #close()} belongs to whoever created this
 * registry, after the components using it have stopped.
 *
 * <p>Informers have no resync (0): components react to changes and requeue on their own, as upstream's do.
 * Informers with a selector (one namespace, a label or field) are not shared here; components keep those.
 *
 * <p>Thread-safe. {@link #start} blocks (bounded by its timeout).
 */
public final class SharedInformers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedInformers.class);
    /** How long {@link #start} waits for an informer's first list before failing. */
    public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
    private final List<SharedIndexInformer<?>> unstarted = new ArrayList<>();
    /** The first list of every informer started so far. */
    private final List<CompletableFuture<Void>> syncs = new ArrayList<>();
    private boolean closed;

    /** @param client the client every informer watches through; not closed here */
    public SharedInformers(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The process's informer for every object of {@code type} (all namespaces, no selector), created on first use
     * and not started until {@link #start}.
     *
     * @throws IllegalStateException once closed
     */
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
        if (closed) {
            throw new IllegalStateException("shared informers are closed");
        }
        return (SharedIndexInformer<T>) informers.computeIfAbsent(type, t -> {
            SharedIndexInformer<T> created = client.resources(type).inAnyNamespace().runnableInformer(0);
            unstarted.add(created);
            return created;
        });
    }

    /**
     * Starts every informer created so far and not yet started, and waits until every started informer has listed
     * (WaitForCacheSync), including those another caller is starting concurrently. Idempotent.
     *
     * @throws IllegalStateException if an informer fails or does not sync within {@link #SYNC_TIMEOUT}
     */
    public void start() {
        List<CompletableFuture<Void>> synced;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("shared informers are closed");
            }
            // start() only begins the list+watch; the wait happens outside the lock.
            for (SharedIndexInformer<?> informer : unstarted) {
                syncs.add(informer.start().toCompletableFuture());
            }
            unstarted.clear();
            synced = new ArrayList<>(syncs);
        }
        try {
            CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new))
                    .get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while shared informers synced", e);
        } catch (Exception e) {
            throw new IllegalStateException("shared informers did not sync", e);
        }
    }

    /** The kinds with an informer, for logs and tests. */
    public synchronized List<Class<?>> kinds() {
        return List.copyOf(informers.keySet());
    }

    /** Stops every informer. Idempotent. */
    @Override
    public void close() {
        List<SharedIndexInformer<?>> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(informers.values());
            unstarted.clear();
        }
        for (SharedIndexInformer<?> informer : all) {
            try {
                informer.close();
            } catch (RuntimeException e) {
                LOG.debug("closing an informer failed", e);
            }
        }
    }
}
