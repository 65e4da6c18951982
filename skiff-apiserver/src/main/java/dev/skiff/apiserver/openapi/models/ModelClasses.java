package dev.skiff.apiserver.openapi.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model classes of the Kubernetes Java client ({@code io.kubernetes:client-java-api}, generated from the
 * Kubernetes OpenAPI specification of the matching release), read from the class path as class files.
 *
 * <p>What the generator left in each class: the JSON name of every field ({@code @SerializedName} on the field),
 * the Java type (generic signatures give list and map element types), the definition's description
 * ({@code @ApiModel(description)} on the class) and each property's description and required flag
 * ({@code @ApiModelProperty(value, required)} on its getter). Enums, patch strategies and list types are not kept.
 *
 * <p>Thread-safe; classes are read on first use and cached.
 */
public final class ModelClasses {

    /** Where the generated models live. */
    public static final String MODELS = "io/kubernetes/client/openapi/models/";
    /** Where the client's hand-written value types (IntOrString, Quantity) live. */
    public static final String CUSTOM = "io/kubernetes/client/custom/";

    private static final String API_MODEL = "Lio/swagger/annotations/ApiModel;";
    private static final String API_MODEL_PROPERTY = "Lio/swagger/annotations/ApiModelProperty;";
    private static final String SERIALIZED_NAME = "Lcom/google/gson/annotations/SerializedName;";

    private final ClassLoader loader;
    private final Map<String, Optional<ModelClass>> cache = new ConcurrentHashMap<>();

    /** Models read through {@code loader}'s resources. */
    public ModelClasses(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether the models are on the class path at all. */
    public boolean available() {
        return loader.getResource(MODELS + "V1ObjectMeta.class") != null;
    }

    /** The model class {@code simpleName} ({@code V1Pod}), if the client has one. */
    public Optional<ModelClass> find(String simpleName) {
        return cache.computeIfAbsent(simpleName, this::load);
    }

    private Optional<ModelClass> load(String simpleName) {
        try (InputStream in = loader.getResourceAsStream(MODELS + simpleName + ".class")) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(model(simpleName, ClassFileReader.read(in.readAllBytes())));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the model class " + simpleName, e);
        }
    }

    static ModelClass model(String simpleName, ClassFile file) {
        String description = ClassFile.find(file.annotations(), API_MODEL)
                .flatMap(a -> a.string("description")).orElse("");
        Map<String, ClassFile.Annotation> byField = new HashMap<>();
        for (ClassFile.Method method : file.methods()) {
            if (method.returnsField() != null && method.descriptor().startsWith("()")) {
                ClassFile.find(method.annotations(), API_MODEL_PROPERTY)
                        .ifPresent(a -> byField.putIfAbsent(method.returnsField(), a));
            }
        }
        List<ModelClass.ModelField> fields = new ArrayList<>();
        for (ClassFile.Field field : file.fields()) {
            if (field.isStatic()) {
                continue;
            }
            Optional<String> json = ClassFile.find(field.annotations(), SERIALIZED_NAME).flatMap(a -> a.string("value"));
            if (json.isEmpty()) {
                continue;
            }
            ClassFile.Annotation property = byField.get(field.name());
            fields.add(new ModelClass.ModelField(json.get(), JavaType.parse(field.signature()),
                    property == null ? "" : property.string("value").orElse(""),
                    property != null && property.bool("required", false)));
        }
        return new ModelClass(simpleName, description, fields);
    }
}
