package dev.skiff.control.controller;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Controllers#start} assembles before anything runs: the shared informers to sync, what to close, and the
 * controllers to start once the caches are warm (upstream's {@code WaitForCacheSync} before {@code Run}). Each area
 * of controllers adds its own informers and controllers here, so the composition reads one area at a time.
 *
 * <p>Not thread-safe: used by the thread that composes the controllers only.
 */
final class ControllerWiring {

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Runnable> starts = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    /** Registers a shared informer (started and synced before any controller starts) and returns it. */
    <T> SharedIndexInformer<T> informer(SharedIndexInformer<T> informer) {
        informers.add(informer);
        return informer;
    }

    /** Registers a controller run by a {@link Controller} loop: closed on shutdown, its loop started after sync. */
    <C extends AutoCloseable> C controller(C owner, Controller loop) {
        return controller(owner, loop.name(), loop::start);
    }

    /** Registers a controller with its own start action (e.g. one that also schedules a periodic check). */
    <C extends AutoCloseable> C controller(C owner, String name, Runnable start) {
        closeables.add(owner);
        starts.add(start);
        names.add(name);
        return owner;
    }

    /** Registers something to close on shutdown that is not a controller (e.g. an executor the wiring made). */
    void closeable(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    List<SharedIndexInformer<?>> informers() {
        return informers;
    }

    List<AutoCloseable> closeables() {
        return closeables;
    }

    /** Starts the registered controllers, in registration order; returns their names. */
    List<String> startControllers() {
        starts.forEach(Runnable::run);
        return List.copyOf(names);
    }
}
