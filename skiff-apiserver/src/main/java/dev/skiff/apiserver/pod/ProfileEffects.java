package dev.skiff.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.admission.PodSelector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Mutating admission for the ECI Profile's selectors (ACK's "ECI Effect"): a pod matched by a selector gets the
 * selector's annotations and labels. Values the pod already carries win, as ACK documents ("pod annotations take
 * precedence over the corresponding ECI Profile settings"); among selectors, the first in the profile's order that
 * sets a key wins. Matching looks at the labels the pod was submitted with, so one selector's labels never make
 * another selector match. Stateless.
 */
final class ProfileEffects {

    private ProfileEffects() {
    }

    /**
     * Applies {@code selectors} to {@code pod}, whose {@code metadata.namespace} is set.
     *
     * @param namespaceLabels the labels of a namespace by name (asked only when a selector needs them)
     */
    static void admit(ObjectNode pod, List<PodSelector> selectors,
            Function<String, Map<String, String>> namespaceLabels) {
        if (selectors.isEmpty()) {
            return;
        }
        ObjectNode metadata = pod.withObjectProperty("metadata");
        Map<String, String> podLabels = strings(metadata.path("labels"));
        Map<String, String> nsLabels = null;
        for (PodSelector selector : selectors) {
            if (nsLabels == null && !selector.namespaceLabels().isEmpty()) {
                nsLabels = namespaceLabels.apply(metadata.path("namespace").asText(""));
            }
            if (!selector.matches(nsLabels == null ? Map.of() : nsLabels, podLabels)) {
                continue;
            }
            putAbsent(metadata, "annotations", selector.annotations());
            putAbsent(metadata, "labels", selector.labels());
        }
    }

    private static void putAbsent(ObjectNode metadata, String field, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        ObjectNode target = metadata.path(field).isObject() ? (ObjectNode) metadata.get(field)
                : metadata.putObject(field);
        // Sorted so that the stored object does not depend on the map's iteration order.
        values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (!target.has(e.getKey())) {
                target.put(e.getKey(), e.getValue());
            }
        });
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        if (object.isObject()) {
            object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        }
        return map;
    }
}
