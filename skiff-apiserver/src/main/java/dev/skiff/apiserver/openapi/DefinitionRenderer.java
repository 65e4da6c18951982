package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.openapi.ListMergeFacts.ListMerge;
import dev.skiff.apiserver.openapi.models.Definition;
import dev.skiff.apiserver.openapi.models.Definition.ObjectDefinition;
import dev.skiff.apiserver.openapi.models.Definition.Property;
import dev.skiff.apiserver.openapi.models.Definition.ScalarDefinition;
import dev.skiff.apiserver.openapi.models.PropertyType;
import java.util.Optional;

/**
 * Renders a flavour-neutral {@link Definition} as a Swagger 2 definition or an OpenAPI 3 component schema, the
 * way kube-openapi writes upstream's: keys in alphabetical order, a described reference as {@code $ref} beside its
 * description (Swagger 2) or wrapped in {@code allOf} (OpenAPI 3, where siblings of {@code $ref} are ignored), the
 * value types with several JSON forms as a type and format (Swagger 2) or a {@code oneOf} (OpenAPI 3), list merge
 * facts as {@code x-kubernetes-patch-merge-key} / {@code x-kubernetes-patch-strategy} (and
 * {@code x-kubernetes-list-type: set} for merged primitive lists). Pure functions; thread-safe.
 */
final class DefinitionRenderer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DefinitionRenderer() {
    }

    static ObjectNode render(Definition definition, Schemas.Flavour flavour, ListExtensions lists) {
        return switch (definition) {
            case ObjectDefinition object -> object(object, flavour, lists);
            case ScalarDefinition scalar -> scalar(scalar, flavour);
        };
    }

    private static ObjectNode object(ObjectDefinition definition, Schemas.Flavour flavour, ListExtensions lists) {
        ObjectNode schema = NODES.objectNode();
        describe(schema, definition.description());
        ObjectNode properties = schema.putObject("properties");
        for (Property property : definition.properties()) {
            properties.set(property.name(), property(property, flavour,
                    lists.of(definition.name(), property.name())));
        }
        if (!definition.required().isEmpty()) {
            ArrayNode required = schema.putArray("required");
            definition.required().forEach(required::add);
        }
        schema.put("type", "object");
        if (!definition.kinds().isEmpty()) {
            ArrayNode kinds = schema.putArray("x-kubernetes-group-version-kind");
            for (GroupVersionKind gvk : definition.kinds()) {
                kinds.addObject().put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version());
            }
        }
        return schema;
    }

    private static ObjectNode scalar(ScalarDefinition definition, Schemas.Flavour flavour) {
        ObjectNode schema = NODES.objectNode();
        describe(schema, definition.description());
        if (definition.format() != null) {
            schema.put("format", definition.format());
        }
        if (flavour == Schemas.Flavour.V3 && !definition.v3OneOf().isEmpty()) {
            ArrayNode oneOf = schema.putArray("oneOf");
            definition.v3OneOf().forEach(type -> oneOf.addObject().put("type", type));
        } else {
            schema.put("type", definition.type());
        }
        return schema;
    }

    private static ObjectNode property(Property property, Schemas.Flavour flavour, Optional<ListMerge> merge) {
        String description = property.description();
        ObjectNode schema;
        if (property.type() instanceof PropertyType.Reference reference) {
            schema = description.isEmpty() ? flavour.ref(reference.definition())
                    : flavour.describedRef(reference.definition(), description);
        } else {
            schema = NODES.objectNode();
            describe(schema, description);
            schema.setAll(type(property.type(), flavour));
        }
        merge.ifPresent(m -> {
            if (m.mergeKey() == null) {
                schema.put("x-kubernetes-list-type", "set");
            } else {
                schema.put("x-kubernetes-patch-merge-key", m.mergeKey());
            }
            schema.put("x-kubernetes-patch-strategy", "merge");
        });
        return sorted(schema);
    }

    /** The schema of a type without a description: array items, map values, or a property's own keys. */
    private static ObjectNode type(PropertyType type, Schemas.Flavour flavour) {
        ObjectNode schema = NODES.objectNode();
        switch (type) {
            case PropertyType.Primitive p -> {
                if (p.format() != null) {
                    schema.put("format", p.format());
                }
                schema.put("type", p.type());
            }
            case PropertyType.Reference r -> schema.setAll(flavour.ref(r.definition()));
            case PropertyType.ArrayOf a -> {
                schema.set("items", type(a.items(), flavour));
                schema.put("type", "array");
            }
            case PropertyType.MapOf m -> {
                schema.set("additionalProperties", type(m.values(), flavour));
                schema.put("type", "object");
            }
            case PropertyType.AnyValue any -> schema.put("x-kubernetes-preserve-unknown-fields", true);
        }
        return schema;
    }

    private static void describe(ObjectNode schema, String description) {
        if (description != null && !description.isEmpty()) {
            schema.put("description", description);
        }
    }

    private static ObjectNode sorted(ObjectNode schema) {
        ObjectNode result = NODES.objectNode();
        java.util.List<String> keys = new java.util.ArrayList<>();
        schema.fieldNames().forEachRemaining(keys::add);
        keys.stream().sorted().forEach(k -> result.set(k, schema.get(k)));
        return result;
    }
}
