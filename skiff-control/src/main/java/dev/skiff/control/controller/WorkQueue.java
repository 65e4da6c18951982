package dev.skiff.control.controller;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The work queue of a controller: mirrors client-go's {@code workqueue.Type}.
 *
 * <ul>
 *   <li>A key added while it is already waiting is stored once (dedup: reconciles are level-triggered, so many
 *       events for one object collapse into one reconcile).</li>
 *   <li>A key handed out by {@link #poll()} is <em>processing</em> until {@link #done}; adding it meanwhile marks it
 *       dirty, and it is queued again only at {@code done}, so two workers never process one key at once.</li>
 * </ul>
 *
 * <p>Thread-safe; no method blocks (the controller pumps keys into its executor instead of parking worker threads).
 */
public final class WorkQueue<K> {

    private final ArrayDeque<K> queue = new ArrayDeque<>();
    /** Keys that need processing: queued, or added again while processing. */
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private boolean shutDown;

    /** Marks the key as needing a reconcile. */
    public synchronized void add(K key) {
        if (shutDown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.addLast(key);
        }
    }

    /** The next key to process, now marked processing; {@code null} when none is ready. */
    public synchronized K poll() {
        K key = queue.pollFirst();
        if (key != null) {
            dirty.remove(key);
            processing.add(key);
        }
        return key;
    }

    /** Ends the processing of a key; re-queues it if it was added meanwhile. */
    public synchronized void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.addLast(key);
        }
    }

    /** Keys waiting to be handed out (not counting processing ones). */
    public synchronized int size() {
        return queue.size();
    }

    /** After this, adds are ignored. */
    public synchronized void shutDown() {
        shutDown = true;
        queue.clear();
        dirty.clear();
    }
}
