package dev.skiff.node.agent.eviction;

/** What the storage policy concluded about one pod. */
public sealed interface Verdict {

    /** Within every limit. */
    record Within() implements Verdict {
    }

    /**
     * Evict the pod: kill its containers at once, phase Failed, reason {@code Evicted}.
     *
     * @param message         the pod's status message and the Event's, in the kubelet's wording
     * @param instanceExhausted whether the instance itself ran out (then, as for the kubelet's node-pressure
     *                        evictions, a {@code DisruptionTarget} condition says so); false for a limit the pod set
     */
    record Evict(String message, boolean instanceExhausted) implements Verdict {
    }

    /**
     * The instance is out of ephemeral storage but the pod did not ask to be evicted: it is told with a Warning
     * Event and keeps running (its writes are what will fail).
     */
    record Exhausted(String message) implements Verdict {
    }
}
