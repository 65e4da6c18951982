package dev.skiff.control.controller;

/**
 * Level-triggered, idempotent reconciliation of one object, named by its key ({@code namespace/name}).
 *
 * <p>Implementations read desired and observed state from informer caches and write through the API client. The
 * controller never calls {@code reconcile} for one key on two threads at once, but calls it for different keys
 * concurrently, so implementations must be thread-safe across keys. It may block on API calls. A thrown exception
 * requeues the key with per-key exponential backoff.
 */
@FunctionalInterface
public interface Reconciler {

    /** Drives the object named by {@code key} towards its desired state; the object may no longer exist. */
    void reconcile(String key) throws Exception;
}
