package dev.skiff.apiserver.service;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad values as kube-apiserver v1.32 prints them in field errors ({@code field.Error.ErrorBody}): strings quoted,
 * numbers plain, and string slices in Go syntax ({@code []string{"10.96.0.10"}}), which users see in kubectl's
 * messages.
 */
final class GoValues {

    private GoValues() {
    }

    static String quoted(String value) {
        StringBuilder text = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                default -> text.append(c);
            }
        }
        return text.append('"').toString();
    }

    static String stringSlice(List<String> values) {
        if (values == null) {
            return "[]string(nil)";
        }
        return values.stream().map(GoValues::quoted).collect(Collectors.joining(", ", "[]string{", "}"));
    }
}
