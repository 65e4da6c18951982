package dev.skiff.apiserver.admission;

import java.util.Map;
import java.util.Objects;

/**
 * One selector of the ECI Profile: pods whose namespace carries every label of {@code namespaceLabels} and which
 * carry every label of {@code objectLabels} themselves get {@code annotations} and {@code labels} they do not
 * already have (ACK's "ECI Effect"). An empty map places no condition on its side.
 *
 * @param name            the selector's name, for messages
 * @param namespaceLabels labels the pod's namespace must carry (matchLabels)
 * @param objectLabels    labels the pod must carry (matchLabels)
 * @param annotations     annotations added to a matching pod
 * @param labels          labels added to a matching pod
 */
public record PodSelector(String name, Map<String, String> namespaceLabels, Map<String, String> objectLabels,
        Map<String, String> annotations, Map<String, String> labels) {

    public PodSelector {
        Objects.requireNonNull(name, "name");
        namespaceLabels = Map.copyOf(namespaceLabels);
        objectLabels = Map.copyOf(objectLabels);
        annotations = Map.copyOf(annotations);
        labels = Map.copyOf(labels);
    }

    /** Whether a pod with {@code podLabels} in a namespace with {@code namespaceLabels} is selected. */
    public boolean matches(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        return containsAll(namespaceLabels, this.namespaceLabels) && containsAll(podLabels, this.objectLabels);
    }

    private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(actual.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
