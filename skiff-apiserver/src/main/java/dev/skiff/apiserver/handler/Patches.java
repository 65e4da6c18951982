package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.status.ApiException;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.Iterator;
import java.util.Map;

/**
 * The patch formats of {@code PATCH} requests: JSON Patch (RFC 6902, through fabric8's zjsonpatch), JSON Merge
 * Patch (RFC 7386) and strategic merge patch ({@link StrategicMergePatch}, built-in kinds only, as upstream).
 */
public final class Patches {

    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    public static final String APPLY_PATCH = "application/apply-patch+yaml";

    private Patches() {
    }

    /** Applies {@code patch} of media type {@code media} to a copy of {@code target}. */
    public static ObjectNode apply(ObjectNode target, JsonNode patch, String media, String kind) {
        JsonNode result = switch (media) {
            case JSON_PATCH -> jsonPatch(target, patch);
            case STRATEGIC_MERGE_PATCH -> StrategicMergePatch.apply(target, patch, kind);
            case MERGE_PATCH -> {
                if (!patch.isObject()) {
                    throw ApiException.badRequest("the patch must be a JSON object");
                }
                yield mergePatch(target.deepCopy(), patch);
            }
            default -> throw ApiException.unsupportedMediaType(media);
        };
        if (!(result instanceof ObjectNode object)) {
            throw ApiException.badRequest("the patched document is not an object");
        }
        return object;
    }

    private static JsonNode jsonPatch(ObjectNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw ApiException.badRequest("the JSON patch must be an array of operations");
        }
        try {
            return JsonPatch.apply(patch, target);
        } catch (JsonPatchException | IllegalArgumentException e) {
            throw new ApiException(new dev.skiff.apiserver.status.Status("Failure",
                    "the server rejected our request due to an error in our request: " + e.getMessage(), "Invalid",
                    null, 422));
        }
    }

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target instanceof ObjectNode object
                ? object : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                JsonNode existing = result.get(field.getKey());
                result.set(field.getKey(), mergePatch(existing == null ? null : existing, field.getValue()));
            }
        }
        return result;
    }
}
