package dev.skiff.node.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Informers a node agent may share with the other components of its process (the scheduler, the controllers, the
 * other virtual nodes' agents) instead of watching on its own: one informer per kind over every namespace. With
 * them, an agent reads its pods from the process-wide pod informer, keeping those bound to its node, and its
 * ConfigMaps and Secrets from the process-wide ones, so N virtual nodes cost no extra watch decoding. A kubelet
 * run alone (no other component in its process) keeps its own server-side filtered pod watch instead (see
 * {@link NodeAgent#start}).
 *
 * <p>Implementations are thread-safe; the informers belong to the implementation, and the agent only adds and
 * removes its handlers.
 */
public interface AgentInformers {

    /**
     * The shared informer for every object of {@code type} in every namespace, created on first use and started by
     * {@link #start()}. Never blocks.
     */
    <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type);

    /**
     * Starts the informers not yet running and blocks until every one has its first list (bounded by the
     * implementation's timeout, then throws). Idempotent; safe to call from several agents at once.
     */
    void start();
}
