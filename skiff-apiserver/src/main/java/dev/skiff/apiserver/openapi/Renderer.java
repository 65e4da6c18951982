package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.openapi.Operations.Op;
import dev.skiff.apiserver.openapi.Operations.Param;
import dev.skiff.apiserver.openapi.Operations.PathItem;
import dev.skiff.apiserver.openapi.Operations.Response;
import java.util.List;
import java.util.Map;

/**
 * Renders {@link Operations} as OpenAPI 3.0 path items or Swagger 2.0 paths, keys in the alphabetical order
 * upstream's Go maps serialise in. Pure functions; thread-safe.
 */
final class Renderer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Renderer() {
    }

    /** {@code paths} of an OpenAPI 3.0 document. */
    static ObjectNode v3Paths(List<PathItem> items) {
        ObjectNode paths = NODES.objectNode();
        for (PathItem item : items) {
            ObjectNode node = paths.putObject(item.path());
            for (String key : sortedKeys(item)) {
                if (key.equals("parameters")) {
                    ArrayNode params = node.putArray("parameters");
                    item.params().forEach(p -> params.add(v3Param(p)));
                } else {
                    node.set(key, v3Op(op(item, key)));
                }
            }
        }
        return paths;
    }

    /** {@code paths} of a Swagger 2.0 document. */
    static ObjectNode v2Paths(List<PathItem> items) {
        ObjectNode paths = NODES.objectNode();
        for (PathItem item : items) {
            ObjectNode node = paths.putObject(item.path());
            for (String key : sortedKeys(item)) {
                if (key.equals("parameters")) {
                    ArrayNode params = node.putArray("parameters");
                    item.params().forEach(p -> params.add(v2Param(p)));
                } else {
                    node.set(key, v2Op(op(item, key)));
                }
            }
        }
        return paths;
    }

    private static List<String> sortedKeys(PathItem item) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        item.ops().forEach(op -> keys.add(op.method()));
        if (!item.params().isEmpty()) {
            keys.add("parameters");
        }
        return List.copyOf(keys);
    }

    private static Op op(PathItem item, String method) {
        return item.ops().stream().filter(o -> o.method().equals(method)).findFirst().orElseThrow();
    }

    private static ObjectNode v3Op(Op op) {
        ObjectNode node = NODES.objectNode();
        node.put("description", op.description());
        node.put("operationId", op.operationId());
        if (!op.params().isEmpty()) {
            ArrayNode params = node.putArray("parameters");
            op.params().forEach(p -> params.add(v3Param(p)));
        }
        if (op.body() != null) {
            ObjectNode body = node.putObject("requestBody");
            ObjectNode content = body.putObject("content");
            for (String type : op.body().contentTypes().stream().sorted().toList()) {
                content.putObject(type).set("schema", Schemas.Flavour.V3.ref(op.body().schema()));
            }
            if (op.body().required()) {
                body.put("required", true);
            }
        }
        ObjectNode responses = node.putObject("responses");
        for (Response response : op.responses()) {
            ObjectNode r = responses.putObject(response.code());
            if (!response.code().equals("401")) {
                ObjectNode content = r.putObject("content");
                for (String type : op.produces()) {
                    content.putObject(type).set("schema", v3Schema(response.schema()));
                }
            }
            r.put("description", response.description());
        }
        node.putArray("tags").add(op.tag());
        extensions(node, op);
        return node;
    }

    private static ObjectNode v3Schema(String schema) {
        return schema == null ? NODES.objectNode().put("type", "string") : Schemas.Flavour.V3.ref(schema);
    }

    private static ObjectNode v3Param(Param p) {
        ObjectNode node = NODES.objectNode();
        node.put("description", p.description());
        node.put("in", p.in());
        node.put("name", p.name());
        if (p.required()) {
            node.put("required", true);
        }
        ObjectNode schema = node.putObject("schema");
        schema.put("type", p.type());
        schema.put("uniqueItems", true);
        return node;
    }

    private static ObjectNode v2Op(Op op) {
        ObjectNode node = NODES.objectNode();
        if (op.body() != null) {
            ArrayNode consumes = node.putArray("consumes");
            op.body().contentTypes().stream().sorted().forEach(consumes::add);
        } else if (op.action() != null && op.action().equals("connect")) {
            node.putArray("consumes").add("*/*");
        }
        node.put("description", op.description());
        node.put("operationId", op.operationId());
        if (op.body() != null || !op.params().isEmpty()) {
            ArrayNode params = node.putArray("parameters");
            if (op.body() != null) {
                ObjectNode body = params.addObject();
                body.put("in", "body");
                body.put("name", "body");
                body.put("required", op.body().required());
                body.set("schema", Schemas.Flavour.V2.ref(op.body().schema()));
            }
            op.params().forEach(p -> params.add(v2Param(p)));
        }
        ArrayNode produces = node.putArray("produces");
        op.produces().forEach(produces::add);
        ObjectNode responses = node.putObject("responses");
        for (Response response : op.responses()) {
            ObjectNode r = responses.putObject(response.code());
            r.put("description", response.description());
            if (!response.code().equals("401")) {
                r.set("schema", response.schema() == null ? NODES.objectNode().put("type", "string")
                        : Schemas.Flavour.V2.ref(response.schema()));
            }
        }
        node.putArray("schemes").add("https");
        node.putArray("tags").add(op.tag());
        extensions(node, op);
        return node;
    }

    private static ObjectNode v2Param(Param p) {
        ObjectNode node = NODES.objectNode();
        node.put("description", p.description());
        node.put("in", p.in());
        node.put("name", p.name());
        if (p.required()) {
            node.put("required", true);
        }
        node.put("type", p.type());
        node.put("uniqueItems", true);
        return node;
    }

    private static void extensions(ObjectNode node, Op op) {
        if (op.action() != null) {
            node.put("x-kubernetes-action", op.action());
        }
        if (op.gvk() != null) {
            ObjectNode gvk = node.putObject("x-kubernetes-group-version-kind");
            gvk.put("group", op.gvk().group());
            gvk.put("kind", op.gvk().kind());
            gvk.put("version", op.gvk().version());
        }
    }

    /** A components/definitions object from named schemas. */
    static ObjectNode schemas(Map<String, ObjectNode> schemas) {
        ObjectNode node = NODES.objectNode();
        schemas.forEach(node::set);
        return node;
    }
}
