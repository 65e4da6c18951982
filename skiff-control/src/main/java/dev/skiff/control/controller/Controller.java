package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Reconciler} like client-go's controller pattern: informer events put keys on a deduplicating
 * {@link WorkQueue}; up to {@code workers} keys reconcile at once on the injected executor; a failure requeues the
 * key after its {@link Backoff}, a success forgets the key's failures.
 *
 * <p>Keys enqueued before {@link #start()} wait: as upstream's {@code WaitForCacheSync}, the owner starts the
 * controller once its informers have synced, so reconciles never act on a partial cache. Workers are not parked
 * threads: a finished reconcile pumps the next key into the executor, so a shared executor is never starved by
 * idle workers.
 *
 * <p>Thread-safe. {@link #close()} stops handing out keys; reconciles in flight finish on their own.
 */
public final class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    private final String name;
    private final Reconciler reconciler;
    private final int workers;
    private final ScheduledExecutorService executor;
    private final WorkQueue<String> queue = new WorkQueue<>();
    private final Backoff<String> backoff;
    private int active;
    private boolean started;
    private boolean closed;

    public Controller(String name, Reconciler reconciler, int workers, ScheduledExecutorService executor,
                      Backoff<String> backoff) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.name = Objects.requireNonNull(name);
        this.reconciler = Objects.requireNonNull(reconciler);
        this.workers = workers;
        this.executor = Objects.requireNonNull(executor);
        this.backoff = Objects.requireNonNull(backoff);
    }

    public Controller(String name, Reconciler reconciler, int workers, ScheduledExecutorService executor) {
        this(name, reconciler, workers, executor, Backoff.defaults());
    }

    public String name() {
        return name;
    }

    /** Queues a reconcile of the key. */
    public void enqueue(String key) {
        queue.add(key);
        pump();
    }

    /** Queues a reconcile of the key after a delay (upstream's {@code AddAfter}, e.g. to re-check minReadySeconds). */
    public void enqueueAfter(String key, Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            enqueue(key);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        try {
            executor.schedule(() -> enqueue(key), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: executor shut down, dropping delayed {}", name, key);
        }
    }

    /** Enqueues the key of every object the informer reports added, updated or deleted. */
    public void watch(SharedIndexInformer<? extends HasMetadata> informer) {
        watch(informer, key -> { });
    }

    /**
     * As {@link #watch(SharedIndexInformer)}, first handing a deleted object's key to {@code onDeleted} (e.g. to
     * drop the owner's expectations, as upstream's deleteReplicaSet/deleteJob do).
     */
    public void watch(SharedIndexInformer<? extends HasMetadata> informer, Consumer<String> onDeleted) {
        informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
            @Override
            public void onAdd(HasMetadata obj) {
                enqueue(Keys.of(obj));
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                enqueue(Keys.of(newObj));
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                onDeleted.accept(Keys.of(obj));
                enqueue(Keys.of(obj));
            }
        });
    }

    /**
     * Enqueues the controlling owner of every object the informer reports, if that owner is of {@code ownerKind}:
     * upstream's {@code handleObject}/{@code resolveControllerRef} mapping (a ReplicaSet's events wake its
     * Deployment). An update that moves the controller reference wakes both the old and the new owner.
     */
    public void watchOwned(SharedIndexInformer<? extends HasMetadata> informer, String ownerKind) {
        informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
            @Override
            public void onAdd(HasMetadata obj) {
                enqueueOwner(obj, ownerKind);
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                enqueueOwner(newObj, ownerKind);
                OwnerReference before = Keys.controllerOf(oldObj);
                OwnerReference after = Keys.controllerOf(newObj);
                if (before != null && (after == null || !Objects.equals(before.getUid(), after.getUid()))) {
                    enqueueOwner(oldObj, ownerKind);
                }
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                enqueueOwner(obj, ownerKind);
            }
        });
    }

    /** Enqueues the object's controlling owner if it is of the given kind; answers whether it did. */
    public boolean enqueueOwner(HasMetadata obj, String ownerKind) {
        OwnerReference ref = Keys.controllerOf(obj);
        if (ref == null || !ownerKind.equals(ref.getKind())) {
            return false;
        }
        enqueue(Keys.of(obj.getMetadata().getNamespace(), ref.getName()));
        return true;
    }

    /** Begins handing keys to workers; call once the informers have synced. */
    public void start() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            started = true;
        }
        pump();
    }

    private void pump() {
        while (true) {
            String key;
            synchronized (this) {
                if (!started || closed || active >= workers) {
                    return;
                }
                key = queue.poll();
                if (key == null) {
                    return;
                }
                active++;
            }
            try {
                executor.execute(() -> process(key));
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    active--;
                }
                queue.done(key);
                return;
            }
        }
    }

    private void process(String key) {
        try {
            reconciler.reconcile(key);
            backoff.forget(key);
        } catch (Exception e) {
            Duration wait = backoff.when(key);
            if (e instanceof KubernetesClientException k && k.getCode() == 409) {
                // A write raced another writer from a stale cache: routine for level-triggered controllers (upstream
                // logs it quietly too); the retry reads the newer object.
                LOG.debug("{}: reconcile of {} conflicted (retry in {})", name, key, wait);
            } else {
                LOG.warn("{}: reconcile of {} failed (retry in {}): {}", name, key, wait, e.toString());
                LOG.debug("{}: reconcile of {} failed", name, key, e);
            }
            enqueueAfter(key, wait);
        } finally {
            queue.done(key);
            synchronized (this) {
                active--;
            }
            pump();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        queue.shutDown();
    }
}
