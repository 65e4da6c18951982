package dev.skiff.control.scheduler.loop;

import dev.skiff.control.informers.SharedInformers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scheduling loop's handlers on the process's informers: each informer callback becomes a delta posted to the
 * loop (the only thread touching the snapshot), and {@link #close()} detaches the handlers, or closes the informers
 * when the loop made them for itself.
 *
 * <p>Thread-safe for the loop's use: {@link #watch} is called while starting, {@link #close()} once.
 */
final class LoopWatches implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopWatches.class);

    private final SharedInformers shared;
    private final boolean owned;
    private final Consumer<Runnable> post;
    private final List<Runnable> detach = new ArrayList<>();

    /**
     * @param owned whether {@code shared} belongs to the loop alone (closed with it)
     * @param post  hands a delta to the loop; must not block
     */
    LoopWatches(SharedInformers shared, boolean owned, Consumer<Runnable> post) {
        this.shared = shared;
        this.owned = owned;
        this.post = post;
    }

    /**
     * Adds a handler posting {@code upsert}/{@code delete} deltas to the shared informer of {@code type}; returns
     * the delta that applies the informer's whole cache (for the first cycle, once {@link #start()} returned).
     */
    synchronized <T extends HasMetadata> Runnable watch(Class<T> type, Consumer<T> upsert, Consumer<T> delete) {
        SharedIndexInformer<T> informer = shared.informer(type);
        ResourceEventHandler<T> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                post.accept(() -> upsert.accept(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                post.accept(() -> upsert.accept(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                post.accept(() -> delete.accept(obj));
            }
        };
        informer.addEventHandler(handler);
        detach.add(() -> informer.removeEventHandler(handler));
        return () -> informer.getStore().list().forEach(upsert);
    }

    /** Starts the informers not yet running and waits for their first lists (see {@link SharedInformers#start}). */
    void start() {
        shared.start();
    }

    /** Detaches the handlers, or closes the informers the loop owns. Idempotent. */
    @Override
    public synchronized void close() {
        if (owned) {
            shared.close();
            return;
        }
        for (Runnable d : detach) {
            try {
                d.run();
            } catch (RuntimeException e) {
                LOG.debug("removing a handler failed", e);
            }
        }
        detach.clear();
    }
}
