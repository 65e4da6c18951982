package dev.skiff.node.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/**
 * The kubelet's last step of graceful deletion: once a terminating pod's containers are gone, it deletes the pod
 * with {@code gracePeriodSeconds=0} and the pod's UID as precondition, so the API server removes it (nothing stays
 * Terminating) and a pod recreated under the same name is never hit. Stateless, thread-safe, blocking.
 */
final class PodDeletion {

    /** What the final DELETE found. */
    enum Outcome {
        /** The pod was removed (or is now waiting only for its finalizers). */
        DELETED,
        /** There was nothing to delete: the pod is gone, or the name now belongs to another pod (UID mismatch). */
        ALREADY_GONE
    }

    private PodDeletion() {
    }

    /** @throws KubernetesClientException for failures worth retrying (anything but 404 and 409) */
    static Outcome finish(KubernetesClient client, Pod pod) {
        var meta = pod.getMetadata();
        // fabric8's typed delete has no UID precondition, so this one request is sent raw.
        String path = "/api/v1/namespaces/" + meta.getNamespace() + "/pods/" + meta.getName();
        Map<String, Object> options = Map.of("apiVersion", "v1", "kind", "DeleteOptions", "gracePeriodSeconds", 0,
                "preconditions", Map.of("uid", meta.getUid()));
        try {
            String response = client.raw(path, "DELETE", options);
            return response == null ? Outcome.ALREADY_GONE : Outcome.DELETED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return Outcome.ALREADY_GONE;
            }
            throw e;
        }
    }
}
