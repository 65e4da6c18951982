package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One server-side apply request, checked as upstream checks it: the {@code fieldManager} parameter is required
 * (422 on PatchOptions), {@code force} is a boolean, the body is a YAML or JSON object (400
 * {@code error decoding YAML}) of the URL's kind and version (400 {@code invalid object type}); after the merge, its
 * name and namespace must be the URL's.
 *
 * @param manager the field manager
 * @param force   whether conflicts move the fields to the applier instead of failing
 * @param config  the applied configuration
 * @param info    the request
 */
record ApplyRequest(String manager, boolean force, ObjectNode config, RequestInfo info) {

    static ApplyRequest parse(Exchange exchange, ResourceType type, RequestInfo info, Codec codec) {
        String manager = exchange.param("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw ManagedFieldsHook.optionsInvalid("PatchOptions", List.of(new Status.Cause("FieldValueRequired",
                    "Required value: is required for apply patch", "fieldManager")));
        }
        ManagedFieldsHook.validate(manager, "PatchOptions");
        String force = exchange.param("force");
        if (force != null && !force.isEmpty() && !force.equals("true") && !force.equals("false")) {
            throw ApiException.badRequest("force: invalid boolean value \"" + force + "\"");
        }
        JsonNode body;
        try {
            body = codec.decode(exchange.body(), exchange.header("Content-Type"));
        } catch (ApiException e) {
            if (e.code() != 400) {
                throw e;
            }
            throw ApiException.badRequest("error decoding YAML: " + e.getMessage());
        }
        if (!(body instanceof ObjectNode config)) {
            throw ApiException.badRequest("error decoding YAML: the applied configuration must be an object");
        }
        String apiVersion = config.path("apiVersion").asText("");
        String kind = config.path("kind").asText("");
        if (!apiVersion.equals(type.apiVersion()) || !kind.equals(type.kind())) {
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            throw ApiException.badRequest("invalid object type: " + group + "/" + version + ", Kind=" + kind);
        }
        return new ApplyRequest(manager, "true".equals(force), config, info);
    }

    /** Upstream's checkName on the patched object: the URL's name, and its namespace if the object has one. */
    void checkName(ObjectNode merged) {
        String name = merged.path("metadata").path("name").asText("");
        if (!name.equals(info.name())) {
            throw ApiException.badRequest("the name of the object (" + name
                    + ") does not match the name on the URL (" + info.name() + ")");
        }
        String namespace = merged.path("metadata").path("namespace").asText("");
        if (!info.namespace().isEmpty() && !namespace.isEmpty() && !namespace.equals(info.namespace())) {
            throw ApiException.badRequest("the namespace of the object (" + namespace
                    + ") does not match the namespace on the URL (" + info.namespace() + ")");
        }
    }

    /**
     * Removes from {@code config} every object field that {@code decoded} (a decoded copy: pruned, perhaps
     * defaulted, never otherwise changed) does not have, so the configuration keeps only fields the type knows.
     */
    static void retainPresent(JsonNode config, JsonNode decoded) {
        if (config instanceof ObjectNode object && decoded != null && decoded.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode kept = decoded.get(e.getKey());
                if (kept == null) {
                    it.remove();
                } else {
                    retainPresent(e.getValue(), kept);
                }
            }
        } else if (config != null && config.isArray() && decoded != null && decoded.isArray()
                && config.size() == decoded.size()) {
            for (int i = 0; i < config.size(); i++) {
                retainPresent(config.get(i), decoded.get(i));
            }
        }
    }
}
