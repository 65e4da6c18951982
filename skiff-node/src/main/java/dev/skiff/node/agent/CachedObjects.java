package dev.skiff.node.agent;

import dev.skiff.node.agent.env.ObjectSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Optional;

/**
 * ConfigMaps and Secrets from the agent's informers, falling back to a GET for an object the informer has not
 * delivered yet (a pod created right after its ConfigMap): the kubelet's watch-based object managers behave alike.
 * A failed GET counts as "not found now"; the pod is retried. Thread-safe.
 */
final class CachedObjects implements ObjectSource {

    private final KubernetesClient client;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final SharedIndexInformer<Secret> secrets;

    CachedObjects(KubernetesClient client, SharedIndexInformer<ConfigMap> configMaps,
                  SharedIndexInformer<Secret> secrets) {
        this.client = client;
        this.configMaps = configMaps;
        this.secrets = secrets;
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        ConfigMap cached = configMaps.getStore().getByKey(namespace + "/" + name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        Secret cached = secrets.getStore().getByKey(namespace + "/" + name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
