package dev.skiff.apiserver.openapi.models;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of one class file that describe a data class: its annotations, its fields (with generic signatures) and
 * which field each simple getter returns. Read by {@link ClassFileReader}; nothing is loaded into the JVM.
 *
 * @param name        the binary name with slashes ({@code io/kubernetes/client/openapi/models/V1Pod})
 * @param annotations the class's runtime-visible annotations
 * @param fields      the declared fields, in class file order
 * @param methods     the declared methods, in class file order
 */
public record ClassFile(String name, List<Annotation> annotations, List<Field> fields, List<Method> methods) {

    public ClassFile {
        annotations = List.copyOf(annotations);
        fields = List.copyOf(fields);
        methods = List.copyOf(methods);
    }

    /**
     * A runtime-visible annotation with its constant elements: strings as {@link String}, booleans as
     * {@link Boolean}, other numbers as {@link Number}; nested annotations, arrays, enums and classes are left out.
     *
     * @param type the annotation's type descriptor, e.g. {@code Lio/swagger/annotations/ApiModel;}
     */
    public record Annotation(String type, Map<String, Object> values) {

        public Annotation {
            values = Map.copyOf(values);
        }

        /** A string element, if present. */
        public Optional<String> string(String element) {
            return values.get(element) instanceof String s ? Optional.of(s) : Optional.empty();
        }

        /** A boolean element, or {@code otherwise}. */
        public boolean bool(String element, boolean otherwise) {
            return values.get(element) instanceof Boolean b ? b : otherwise;
        }
    }

    /**
     * A declared field.
     *
     * @param signature the generic signature ({@code Ljava/util/List<Ljava/lang/String;>;}), or the descriptor when
     *                  the field has none
     */
    public record Field(String name, String descriptor, String signature, int access, List<Annotation> annotations) {

        public Field {
            annotations = List.copyOf(annotations);
        }

        public boolean isStatic() {
            return (access & 0x0008) != 0;
        }
    }

    /**
     * A declared method.
     *
     * @param returnsField the field a getter's body ({@code aload_0; getfield; areturn}) returns, or null
     */
    public record Method(String name, String descriptor, List<Annotation> annotations, String returnsField) {

        public Method {
            annotations = List.copyOf(annotations);
        }
    }

    /** The first annotation of {@code type} (a descriptor) among {@code annotations}. */
    public static Optional<Annotation> find(List<Annotation> annotations, String type) {
        return annotations.stream().filter(a -> a.type().equals(type)).findFirst();
    }
}
