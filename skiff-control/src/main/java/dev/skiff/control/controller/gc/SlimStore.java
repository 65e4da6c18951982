package dev.skiff.control.controller.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store that keeps only the metadata the collector reads (name, namespace, uid, resourceVersion,
 * owner references, finalizers, deletionTimestamp): upstream watches every resource through metadata-only
 * informers for the same reason. Specs, status, labels, annotations and managedFields never stay in memory, so
 * watching every resource costs a few hundred bytes per object instead of the whole object.
 *
 * <p>Thread-safe (the informer writes, handlers read).
 */
final class SlimStore implements ItemStore<GenericKubernetesResource> {

    private final ConcurrentHashMap<String, GenericKubernetesResource> items = new ConcurrentHashMap<>();

    static GenericKubernetesResource slim(HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        GenericKubernetesResource slim = new GenericKubernetesResource();
        slim.setApiVersion(object.getApiVersion());
        slim.setKind(object.getKind());
        slim.setMetadata(new ObjectMetaBuilder().withName(meta.getName()).withNamespace(meta.getNamespace())
                .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion())
                .withOwnerReferences(meta.getOwnerReferences()).withFinalizers(meta.getFinalizers())
                .withDeletionTimestamp(meta.getDeletionTimestamp()).build());
        return slim;
    }

    @Override
    public String getKey(GenericKubernetesResource object) {
        String namespace = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        return items.put(key, slim(object));
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return items.get(key);
    }
}
