package dev.skiff.apiserver.openapi.models;

/**
 * The type of one property of a definition, independent of the OpenAPI flavour it is rendered in.
 */
public sealed interface PropertyType
        permits PropertyType.Primitive, PropertyType.Reference, PropertyType.ArrayOf, PropertyType.MapOf,
        PropertyType.AnyValue {

    /**
     * A JSON primitive.
     *
     * @param type   {@code string}, {@code integer}, {@code number} or {@code boolean}
     * @param format {@code int32}, {@code int64}, {@code double}, {@code byte}..., or null
     */
    record Primitive(String type, String format) implements PropertyType {
    }

    /** Another definition, by its full name ({@code io.k8s.api.core.v1.PodSpec}). */
    record Reference(String definition) implements PropertyType {
    }

    /** A JSON array. */
    record ArrayOf(PropertyType items) implements PropertyType {
    }

    /** A JSON object with arbitrary keys and values of one type. */
    record MapOf(PropertyType values) implements PropertyType {
    }

    /** Any JSON value (the Java models say {@code Object}: raw extensions, JSON, schema-or-bool...). */
    record AnyValue() implements PropertyType {
    }
}
