package dev.skiff.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Admission for a nodeless cluster: every pod may run on the virtual nodes, so a pod created without a toleration
 * for their {@code virtual-kubelet.io/provider:NoSchedule} taint gets one ({@code operator: Exists}), as ACK
 * Serverless admits pods onto its virtual nodes. A pod that already tolerates the taint (by key, or with an empty key
 * and {@code Exists}) is left alone. Stateless.
 */
final class VirtualNodeToleration {

    static final String TAINT_KEY = "virtual-kubelet.io/provider";

    private VirtualNodeToleration() {
    }

    static void admit(ObjectNode pod) {
        ObjectNode spec = pod.withObjectProperty("spec");
        JsonNode existing = spec.path("tolerations");
        if (existing.isArray()) {
            for (JsonNode toleration : existing) {
                if (tolerates(toleration)) {
                    return;
                }
            }
        }
        ArrayNode tolerations = existing.isArray() ? (ArrayNode) existing : spec.putArray("tolerations");
        tolerations.addObject().put("key", TAINT_KEY).put("operator", "Exists").put("effect", "NoSchedule");
    }

    private static boolean tolerates(JsonNode toleration) {
        String key = toleration.path("key").asText("");
        String operator = toleration.path("operator").asText("Equal");
        String effect = toleration.path("effect").asText("");
        boolean effectMatches = effect.isEmpty() || effect.equals("NoSchedule");
        if (key.isEmpty()) {
            return operator.equals("Exists") && effectMatches;
        }
        return key.equals(TAINT_KEY) && effectMatches;
    }
}
