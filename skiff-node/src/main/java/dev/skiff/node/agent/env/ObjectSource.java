package dev.skiff.node.agent.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Where ConfigMaps and Secrets come from: the agent's informer caches, falling back to the API for an object the
 * cache has not seen yet (the kubelet's watch-based managers answer from their caches the same way). Thread-safe;
 * may block on an API call.
 */
public interface ObjectSource {

    /** The ConfigMap, or empty when it does not exist. */
    Optional<ConfigMap> configMap(String namespace, String name);

    /** The Secret, or empty when it does not exist. */
    Optional<Secret> secret(String namespace, String name);
}
