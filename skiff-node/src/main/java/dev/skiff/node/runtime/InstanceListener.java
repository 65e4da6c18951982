package dev.skiff.node.runtime;

/**
 * Receives a runtime's {@link InstanceEvent}s. A runtime calls one listener from one thread at a time, never from
 * inside a runtime method and never while holding a runtime lock: a slow listener delays only its own deliveries,
 * never the runtime or other listeners. A listener should not throw; if it does, the runtime logs the exception and
 * keeps delivering.
 */
@FunctionalInterface
public interface InstanceListener {

    void onEvent(InstanceEvent event);
}
