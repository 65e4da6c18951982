package dev.skiff.control.controller.statefulset;

import dev.skiff.control.controller.Keys;
import dev.skiff.control.scheduler.model.Selector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Upstream's {@code ControllerRefManager} for a StatefulSet's pods and revisions: keep what the set controls and
 * still matches, adopt matching orphans, release what stopped matching; a set being deleted neither adopts nor
 * releases. Thread-safe; blocks on API calls when it adopts or releases.
 */
final class Ownership {

    private Ownership() {
    }

    /**
     * Answers the object as claimed by the set (possibly after adopting it), or {@code null} when the set does not
     * own it after this call.
     *
     * @param eligible an extra adoption filter (pods: the name says they belong to this set)
     */
    static <T extends HasMetadata> T claim(KubernetesClient client, StatefulSet set, Selector selector, T object,
                                           boolean eligible) {
        boolean deleting = set.getMetadata().getDeletionTimestamp() != null;
        boolean matches = selector.matches(StatefulSetController.labels(object));
        OwnerReference ref = Keys.controllerOf(object);
        if (ref != null) {
            if (!Objects.equals(ref.getUid(), set.getMetadata().getUid())) {
                return null;
            }
            if (matches || deleting) {
                return object;
            }
            edit(client, object, set, false);
            return null;
        }
        if (!matches || !eligible || deleting || object.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        T adopted = edit(client, object, set, true);
        OwnerReference now = adopted == null ? null : Keys.controllerOf(adopted);
        return now != null && Objects.equals(now.getUid(), set.getMetadata().getUid()) ? adopted : null;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T edit(KubernetesClient client, T object, StatefulSet set, boolean adopt) {
        try {
            // Edit a fresh read, never the informer's cached object.
            Class<T> type = (Class<T>) object.getClass();
            return client.resources(type).inNamespace(object.getMetadata().getNamespace())
                    .withName(object.getMetadata().getName()).edit(current -> {
                List<OwnerReference> refs = new ArrayList<>();
                if (current.getMetadata().getOwnerReferences() != null) {
                    for (OwnerReference r : current.getMetadata().getOwnerReferences()) {
                        if (!Objects.equals(r.getUid(), set.getMetadata().getUid())) {
                            refs.add(r);
                        }
                    }
                }
                if (adopt) {
                    if (Keys.controllerOf(current) != null) {
                        return current; // someone else adopted it first
                    }
                    refs.add(new OwnerReferenceBuilder().withApiVersion(StatefulSets.API_VERSION)
                            .withKind(StatefulSets.KIND).withName(set.getMetadata().getName())
                            .withUid(set.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
                            .build());
                }
                current.getMetadata().setOwnerReferences(refs);
                return current;
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
