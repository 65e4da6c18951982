package dev.skiff.apiserver.openapi.models;

import java.util.List;

/**
 * One generated model class of the Kubernetes Java client, as the OpenAPI definition it was generated from: its
 * description and its JSON fields.
 *
 * @param simpleName  the Java class name, e.g. {@code V1Container}, {@code CoreV1EndpointPort}
 * @param description the definition's description (swagger {@code @ApiModel(description)}), empty if none
 * @param fields      the JSON fields, in the class's order (alphabetical in the generated models)
 */
public record ModelClass(String simpleName, String description, List<ModelField> fields) {

    public ModelClass {
        fields = List.copyOf(fields);
    }

    /**
     * One JSON field.
     *
     * @param jsonName    the property name ({@code @SerializedName}), e.g. {@code $ref}, {@code continue}
     * @param type        the Java field type with its type arguments
     * @param description the property's description (swagger {@code @ApiModelProperty(value)} on its getter)
     * @param required    whether the definition lists the property as required
     */
    public record ModelField(String jsonName, JavaType type, String description, boolean required) {
    }
}
