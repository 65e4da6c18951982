package dev.skiff.apiserver.openapi.models;

import dev.skiff.apiserver.discovery.GroupVersionKind;
import java.util.List;

/**
 * One named schema of the Kubernetes API ({@code io.k8s.api.core.v1.Container}), independent of the OpenAPI flavour
 * it is rendered in.
 */
public sealed interface Definition permits Definition.ObjectDefinition, Definition.ScalarDefinition {

    /** The full name, as upstream's {@code definitions} / {@code components.schemas} key it. */
    String name();

    String description();

    /**
     * A struct: properties sorted by name, as upstream serialises them.
     *
     * @param required the required properties, in the model's order
     * @param kinds    the kinds this definition is registered as ({@code x-kubernetes-group-version-kind}), if any
     */
    record ObjectDefinition(String name, String description, List<Property> properties, List<String> required,
            List<GroupVersionKind> kinds) implements Definition {

        public ObjectDefinition {
            properties = List.copyOf(properties);
            required = List.copyOf(required);
            kinds = List.copyOf(kinds);
        }
    }

    /**
     * A type with its own JSON form (Time, IntOrString, Quantity): Swagger 2 describes it by a type and format,
     * OpenAPI 3 by a {@code oneOf} of types where it has several.
     *
     * @param type      the Swagger 2 type
     * @param format    the format, or null
     * @param v3OneOf   the OpenAPI 3 alternatives ({@code integer}, {@code string}), empty when the type alone
     *                  describes it
     */
    record ScalarDefinition(String name, String description, String type, String format, List<String> v3OneOf)
            implements Definition {

        public ScalarDefinition {
            v3OneOf = List.copyOf(v3OneOf);
        }
    }

    /**
     * One property.
     *
     * @param name        the JSON name
     * @param description the description, empty if none
     */
    record Property(String name, PropertyType type, String description) {
    }
}
