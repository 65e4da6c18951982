package dev.skiff.node.agent;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue with client-go's workqueue guarantees: a key added many times before it is processed is processed
 * once, and a key is never processed by two workers at once (one added while it is processed runs again after).
 * That makes level-triggered reconciling safe: the handler always looks at the latest state, and per key it runs
 * alone. Workers are virtual threads, so a handler may block on the API server. Thread-safe.
 */
public final class KeyedQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedQueue.class);

    private final Consumer<String> handler;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Thread[] workers;
    private boolean closed;

    public KeyedQueue(String name, int workerCount, Consumer<String> handler) {
        this.handler = handler;
        this.workers = new Thread[workerCount];
        for (int i = 0; i < workerCount; i++) {
            workers[i] = Thread.ofVirtual().name(name + "-" + i).start(this::work);
        }
    }

    public synchronized void add(String key) {
        if (closed || !dirty.add(key)) {
            return;
        }
        // A key being processed is queued again only when its worker finishes (see done).
        if (!processing.contains(key)) {
            queue.add(key);
            notify();
        }
    }

    private synchronized String take() throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        String key = queue.poll();
        dirty.remove(key);
        processing.add(key);
        return key;
    }

    private synchronized void done(String key) {
        processing.remove(key);
        if (dirty.contains(key) && !closed) {
            queue.add(key);
            notify();
        }
    }

    private void work() {
        try {
            for (String key = take(); key != null; key = take()) {
                try {
                    handler.accept(key);
                } catch (RuntimeException e) {
                    LOG.warn("reconciling {} failed", key, e);
                } finally {
                    done(key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (Thread w : workers) {
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
