package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The selectors of the objects that "own" pods for spreading purposes: Services, ReplicationControllers,
 * ReplicaSets and StatefulSets, by namespace. They answer upstream's {@code helper.DefaultSelector}, the selector of
 * the system default topology spread constraints for a pod that declares none.
 *
 * <p>Upstream's rule: merge the selectors of every Service in the pod's namespace that selects the pod (a Service
 * without a selector selects nothing); then, if the pod's controller is a ReplicationController, merge its selector,
 * or if it is a ReplicaSet or StatefulSet, add that object's selector requirements. A controller not (yet) known
 * contributes nothing.
 *
 * <p>Not thread-safe: confined to the scheduling thread with the {@link ClusterSnapshot} that holds it.
 */
public final class WorkloadSelectors {

    private final Map<String, Map<String, Map<String, String>>> services = new HashMap<>();
    private final Map<String, Map<String, String>> replicationControllers = new HashMap<>();
    private final Map<String, Selector> replicaSets = new HashMap<>();
    private final Map<String, Selector> statefulSets = new HashMap<>();

    public void putService(Service service) {
        Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
        Map<String, Map<String, String>> inNamespace = services.computeIfAbsent(namespace(service),
                k -> new HashMap<>());
        if (selector == null) {
            // Upstream: a Service with a nil selector selects nothing, not everything.
            inNamespace.remove(name(service));
        } else {
            inNamespace.put(name(service), Map.copyOf(selector));
        }
    }

    public void removeService(Service service) {
        Map<String, Map<String, String>> inNamespace = services.get(namespace(service));
        if (inNamespace != null) {
            inNamespace.remove(name(service));
        }
    }

    public void putReplicationController(ReplicationController rc) {
        Map<String, String> selector = rc.getSpec() == null ? null : rc.getSpec().getSelector();
        replicationControllers.put(key(rc), selector == null ? Map.of() : Map.copyOf(selector));
    }

    public void removeReplicationController(ReplicationController rc) {
        replicationControllers.remove(key(rc));
    }

    public void putReplicaSet(ReplicaSet rs) {
        replicaSets.put(key(rs), Selector.of(rs.getSpec() == null ? null : rs.getSpec().getSelector()));
    }

    public void removeReplicaSet(ReplicaSet rs) {
        replicaSets.remove(key(rs));
    }

    public void putStatefulSet(StatefulSet set) {
        statefulSets.put(key(set), Selector.of(set.getSpec() == null ? null : set.getSpec().getSelector()));
    }

    public void removeStatefulSet(StatefulSet set) {
        statefulSets.remove(key(set));
    }

    /**
     * The selector of the system default spread constraints for {@code pod}, or empty when nothing selects it (then
     * upstream applies no default constraint).
     */
    public Optional<Selector> defaultSelector(PodInfo pod) {
        Map<String, String> merged = new TreeMap<>();
        Map<String, Map<String, String>> inNamespace = services.getOrDefault(pod.namespace(), Map.of());
        for (Map<String, String> selector : inNamespace.values()) {
            if (Selector.ofLabels(selector).matches(pod.labels())) {
                // Every selector matches the pod, so their labels cannot conflict: merging is safe (upstream).
                merged.putAll(selector);
            }
        }
        Selector result = Selector.ofLabels(merged);
        OwnerReference owner = controllerOf(pod.pod());
        if (owner != null && owner.getKind() != null) {
            String ownerKey = pod.namespace() + "/" + owner.getName();
            switch (owner.getKind() + "@" + owner.getApiVersion()) {
                case "ReplicationController@v1" -> {
                    Map<String, String> rc = replicationControllers.get(ownerKey);
                    if (rc != null) {
                        merged.putAll(rc);
                        result = Selector.ofLabels(merged);
                    }
                }
                case "ReplicaSet@apps/v1" -> result = add(result, replicaSets.get(ownerKey));
                case "StatefulSet@apps/v1" -> result = add(result, statefulSets.get(ownerKey));
                default -> {
                }
            }
        }
        return result.isEmpty() ? Optional.empty() : Optional.of(result);
    }

    private static Selector add(Selector base, Selector owner) {
        // An invalid owner selector (upstream: a conversion error) leaves the services' selector as it is.
        if (owner == null || owner.nothing()) {
            return base;
        }
        return base.and(owner.requirements());
    }

    private static OwnerReference controllerOf(io.fabric8.kubernetes.api.model.Pod pod) {
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference ref : pod.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }

    private static String namespace(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null ? "default" : namespace;
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static String key(HasMetadata object) {
        return namespace(object) + "/" + name(object);
    }
}
