package dev.skiff.node.kubelet;

import dev.skiff.node.stats.Summary;

/**
 * Where the kubelet server's {@code /stats/summary} comes from (the node agent's summary collector). Thread-safe;
 * may block on the runtime (it is called on the request's virtual thread).
 */
@FunctionalInterface
public interface StatsSource {

    /**
     * The node's Summary now.
     *
     * @throws IllegalStateException when the node cannot report yet (answered 503)
     */
    Summary summary();
}
