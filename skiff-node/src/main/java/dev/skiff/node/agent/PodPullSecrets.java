package dev.skiff.node.agent;

import dev.skiff.node.agent.env.ObjectSource;
import dev.skiff.node.imagecache.PullSecrets;
import dev.skiff.node.runtime.RegistryCredential;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The registry credentials of a pod, as the kubelet gathers them before pulling: the Secrets named by the pod's
 * {@code spec.imagePullSecrets}, of type {@code kubernetes.io/dockerconfigjson} or {@code kubernetes.io/dockercfg},
 * from the pod's namespace (read by their keys, as the kubelet's keyring reads any Secret it is given). A pod that names none gets its ServiceAccount's {@code imagePullSecrets}: upstream's
 * ServiceAccount admission plugin copies them into such a pod when it is created; Skiff's API server has no such
 * plugin, so the node side reads them at the same point the kubelet would read the copied list. Secrets that are
 * missing are skipped and named in a warning, as the kubelet's
 * {@code FailedToRetrieveImagePullSecret} event does; the pull then goes on with what was found. Thread-safe when
 * its sources are; may block on API reads.
 */
final class PodPullSecrets {

    /** The kubelet's event reason for image pull Secrets it could not read. */
    static final String MISSING_REASON = "FailedToRetrieveImagePullSecret";

    /** What was found: the credentials, and a warning naming the Secrets that were not (null when all were). */
    record Found(List<RegistryCredential> credentials, String warning) {
    }

    private final ObjectSource objects;
    private final BiFunction<String, String, Optional<ServiceAccount>> serviceAccounts;

    /**
     * @param objects         where Secrets come from (the agent's caches)
     * @param serviceAccounts the ServiceAccount of a namespace and name, empty when it does not exist
     */
    PodPullSecrets(ObjectSource objects, BiFunction<String, String, Optional<ServiceAccount>> serviceAccounts) {
        this.objects = objects;
        this.serviceAccounts = serviceAccounts;
    }

    Found resolve(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        List<String> names = names(pod.getSpec().getImagePullSecrets());
        if (names.isEmpty()) {
            String account = pod.getSpec().getServiceAccountName();
            account = account == null || account.isEmpty() ? "default" : account;
            names = serviceAccounts.apply(namespace, account).map(sa -> names(sa.getImagePullSecrets()))
                    .orElse(List.of());
        }
        List<RegistryCredential> credentials = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Optional<Secret> secret = objects.secret(namespace, name);
            if (secret.isEmpty()) {
                missing.add(name);
                continue;
            }
            credentials.addAll(PullSecrets.credentials(secret.get()));
        }
        // The kubelet's wording (pkg/kubelet: "Unable to retrieve some image pull secrets (...); attempting to pull
        // the image may not succeed.").
        String warning = missing.isEmpty() ? null : "Unable to retrieve some image pull secrets ("
                + String.join(", ", missing) + "); attempting to pull the image may not succeed.";
        return new Found(credentials, warning);
    }

    private static List<String> names(List<LocalObjectReference> refs) {
        if (refs == null) {
            return List.of();
        }
        return refs.stream().map(LocalObjectReference::getName).filter(n -> n != null && !n.isEmpty()).distinct()
                .toList();
    }
}
