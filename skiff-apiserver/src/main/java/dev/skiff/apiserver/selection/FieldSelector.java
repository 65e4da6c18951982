package dev.skiff.apiserver.selection;

import dev.skiff.apiserver.status.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed field selector: {@code field=value}, {@code field==value}, {@code field!=value}, comma-separated, with
 * backslash escapes, as upstream. Only the fields a resource declares selectable may be used. Immutable.
 */
public record FieldSelector(List<Term> terms) {

    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    public FieldSelector {
        terms = List.copyOf(terms);
    }

    /** One condition: the field equals (or, negated, differs from) the value. */
    public record Term(String field, String value, boolean negated) {
    }

    /** Whether the fields {@code valueOf} reports satisfy every term. */
    public boolean matches(Function<String, String> valueOf) {
        for (Term term : terms) {
            String actual = valueOf.apply(term.field());
            boolean equal = term.value().equals(actual == null ? "" : actual);
            if (equal == term.negated()) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** Parses and checks against the selectable fields; 400 Bad Request otherwise. */
    public static FieldSelector parse(String text, Set<String> selectable) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : splitUnescaped(text, ',')) {
            if (part.isBlank()) {
                continue;
            }
            Term term = term(part, text);
            if (!selectable.contains(term.field())) {
                throw ApiException.badRequest("field label not supported: " + term.field());
            }
            terms.add(term);
        }
        return new FieldSelector(terms);
    }

    private static Term term(String part, String whole) {
        for (String op : List.of("!=", "==", "=")) {
            int at = indexUnescaped(part, op);
            if (at > 0) {
                return new Term(unescape(part.substring(0, at).trim()), unescape(part.substring(at + op.length())),
                        op.equals("!="));
            }
        }
        throw ApiException.badRequest("invalid selector: '" + whole + "'; can't understand '" + part + "'");
    }

    private static List<String> splitUnescaped(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static int indexUnescaped(String text, String op) {
        for (int i = 0; i + op.length() <= text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
                continue;
            }
            if (text.startsWith(op, i)) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
