package dev.skiff.apiserver.openapi.models;

import java.util.ArrayList;
import java.util.List;

/**
 * A Java field type as a class file's generic signature spells it (JVM specification 4.7.9.1), reduced to what
 * model fields use: classes with type arguments, arrays and primitives. Type variables and wildcards read as
 * {@code java/lang/Object}.
 */
public sealed interface JavaType permits JavaType.ClassType, JavaType.ArrayType, JavaType.Primitive {

    /** A class, e.g. {@code java/util/Map} with arguments {@code java/lang/String} and a model class. */
    record ClassType(String name, List<JavaType> arguments) implements JavaType {

        public ClassType {
            arguments = List.copyOf(arguments);
        }

        /** The name after the last slash (and after the last '$' of a nested class). */
        public String simpleName() {
            String simple = name.substring(name.lastIndexOf('/') + 1);
            return simple.substring(simple.lastIndexOf('$') + 1);
        }
    }

    /** An array of {@code component}. */
    record ArrayType(JavaType component) implements JavaType {
    }

    /** A primitive, by its descriptor letter ({@code I}, {@code J}, {@code Z}, {@code B}, ...). */
    record Primitive(char descriptor) implements JavaType {
    }

    /** Parses a field signature or descriptor. */
    static JavaType parse(String signature) {
        int[] at = {0};
        JavaType type = parse(signature, at);
        if (at[0] != signature.length()) {
            throw new IllegalArgumentException("trailing characters in signature " + signature);
        }
        return type;
    }

    private static JavaType parse(String s, int[] at) {
        char c = s.charAt(at[0]++);
        switch (c) {
            case '[' -> {
                return new ArrayType(parse(s, at));
            }
            case 'T' -> {
                at[0] = s.indexOf(';', at[0]) + 1;
                return new ClassType("java/lang/Object", List.of());
            }
            case 'L' -> {
                StringBuilder name = new StringBuilder();
                List<JavaType> arguments = new ArrayList<>();
                while (true) {
                    char d = s.charAt(at[0]++);
                    if (d == ';') {
                        return new ClassType(name.toString(), arguments);
                    } else if (d == '<') {
                        arguments.clear();
                        while (s.charAt(at[0]) != '>') {
                            char bound = s.charAt(at[0]);
                            if (bound == '*') {
                                at[0]++;
                                arguments.add(new ClassType("java/lang/Object", List.of()));
                            } else {
                                if (bound == '+' || bound == '-') {
                                    at[0]++;
                                }
                                arguments.add(parse(s, at));
                            }
                        }
                        at[0]++;
                    } else if (d == '.') {
                        name.append('$'); // an inner class of a parameterised outer class
                    } else {
                        name.append(d);
                    }
                }
            }
            default -> {
                if ("BCDFIJSZV".indexOf(c) < 0) {
                    throw new IllegalArgumentException("bad signature " + s + " at " + (at[0] - 1));
                }
                return new Primitive(c);
            }
        }
    }
}
