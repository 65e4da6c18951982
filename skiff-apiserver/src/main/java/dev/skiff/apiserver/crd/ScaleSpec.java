package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A custom resource's {@code subresources.scale}: where its replica counts and selector live.
 *
 * @param specReplicasPath   e.g. ".spec.replicas"
 * @param statusReplicasPath e.g. ".status.replicas"
 * @param labelSelectorPath  e.g. ".status.selector", or "" when absent
 */
public record ScaleSpec(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {

    static ScaleSpec parse(JsonNode scale) {
        if (scale == null || !scale.isObject()) {
            return null;
        }
        return new ScaleSpec(scale.path("specReplicasPath").asText(""), scale.path("statusReplicasPath").asText(""),
                scale.path("labelSelectorPath").asText(""));
    }
}
