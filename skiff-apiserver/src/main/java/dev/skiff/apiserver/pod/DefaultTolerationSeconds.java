package dev.skiff.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Upstream's {@code DefaultTolerationSeconds} admission plugin (on by default in kube-apiserver): a pod created
 * without a NoExecute toleration for {@code node.kubernetes.io/not-ready} or {@code node.kubernetes.io/unreachable}
 * gets {@code {key, operator: Exists, effect: NoExecute, tolerationSeconds: 300}} for each it lacks. The node
 * lifecycle controller taints a node that stops reporting, and this is what gives its pods five minutes before
 * they are evicted. A toleration with an empty key or an empty effect already covers the taint. Stateless.
 */
final class DefaultTolerationSeconds {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    /** Upstream's {@code --default-not-ready-toleration-seconds} and {@code --default-unreachable-toleration-seconds}. */
    static final long SECONDS = 300;

    private DefaultTolerationSeconds() {
    }

    static void admit(ObjectNode pod) {
        ObjectNode spec = pod.withObjectProperty("spec");
        JsonNode existing = spec.path("tolerations");
        boolean notReady = false;
        boolean unreachable = false;
        if (existing.isArray()) {
            for (JsonNode toleration : existing) {
                notReady |= covers(toleration, NOT_READY);
                unreachable |= covers(toleration, UNREACHABLE);
            }
        }
        if (notReady && unreachable) {
            return;
        }
        ArrayNode tolerations = existing.isArray() ? (ArrayNode) existing : spec.putArray("tolerations");
        if (!notReady) {
            add(tolerations, NOT_READY);
        }
        if (!unreachable) {
            add(tolerations, UNREACHABLE);
        }
    }

    private static boolean covers(JsonNode toleration, String taintKey) {
        String key = toleration.path("key").asText("");
        String effect = toleration.path("effect").asText("");
        return (key.isEmpty() || key.equals(taintKey)) && (effect.isEmpty() || effect.equals("NoExecute"));
    }

    private static void add(ArrayNode tolerations, String key) {
        tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
                .put("tolerationSeconds", SECONDS);
    }
}
