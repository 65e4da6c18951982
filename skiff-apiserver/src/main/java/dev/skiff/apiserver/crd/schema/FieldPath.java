package dev.skiff.apiserver.crd.schema;

/**
 * Field paths written as apimachinery's {@code field.Path} prints them: {@code spec.versions[0].name} for data and
 * {@code openAPIV3Schema.properties[spec].type} for schema keys.
 */
public final class FieldPath {

    private FieldPath() {
    }

    /** {@code parent.name}, or {@code name} at the root. */
    public static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** {@code parent[index]}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** {@code parent[key]}: a map key, unquoted as upstream prints it. */
    public static String key(String parent, String key) {
        return parent + "[" + key + "]";
    }
}
