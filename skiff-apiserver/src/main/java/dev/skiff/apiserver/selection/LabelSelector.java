package dev.skiff.apiserver.selection;

import dev.skiff.apiserver.status.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed label selector: requirements that must all hold. Grammar as upstream:
 * {@code key}, {@code !key}, {@code key=v}, {@code key==v}, {@code key!=v}, {@code key in (a,b)},
 * {@code key notin (a,b)}, {@code key>n}, {@code key<n}, separated by commas. Immutable and thread-safe.
 */
public record LabelSelector(List<Requirement> requirements) {

    private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern PREFIX =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Everything matches the empty selector. */
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    /** The operators of a requirement. */
    public enum Operator { EXISTS, DOES_NOT_EXIST, EQUALS, NOT_EQUALS, IN, NOT_IN, GREATER_THAN, LESS_THAN }

    /** One condition on one label key. */
    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            values = Set.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case GREATER_THAN, LESS_THAN -> {
                    if (value == null) {
                        yield false;
                    }
                    try {
                        long actual = Long.parseLong(value);
                        long bound = Long.parseLong(values.iterator().next());
                        yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
                    } catch (NumberFormatException e) {
                        yield false;
                    }
                }
            };
        }
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Parses a selector; 400 Bad Request with upstream's wording when it does not parse. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            requirements.add(requirement(part.trim(), text));
        }
        return new LabelSelector(requirements);
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement requirement(String part, String whole) {
        if (part.isEmpty()) {
            throw invalid(whole, "found '', expected: identifier");
        }
        if (part.startsWith("!")) {
            return new Requirement(key(part.substring(1).trim(), whole), Operator.DOES_NOT_EXIST, Set.of());
        }
        java.util.regex.Matcher set = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(part);
        if (set.matches()) {
            Set<String> values = new LinkedHashSet<>();
            for (String value : set.group(3).split(",", -1)) {
                values.add(value(value.trim(), whole));
            }
            return new Requirement(key(set.group(1), whole),
                    set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        for (String op : List.of("==", "!=", "=", ">", "<")) {
            int at = part.indexOf(op);
            if (at > 0) {
                String key = key(part.substring(0, at).trim(), whole);
                String value = part.substring(at + op.length()).trim();
                Operator operator = switch (op) {
                    case "!=" -> Operator.NOT_EQUALS;
                    case ">" -> Operator.GREATER_THAN;
                    case "<" -> Operator.LESS_THAN;
                    default -> Operator.EQUALS;
                };
                if (operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN) {
                    try {
                        Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw invalid(whole, "for 'Gt', 'Lt' operators, the value must be an integer");
                    }
                    return new Requirement(key, operator, Set.of(value));
                }
                return new Requirement(key, operator, Set.of(value(value, whole)));
            }
        }
        return new Requirement(key(part, whole), Operator.EXISTS, Set.of());
    }

    private static String key(String key, String whole) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
                throw invalid(whole, "key: Invalid value: \"" + key + "\": prefix part must be a DNS-1123 subdomain");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw invalid(whole, "key: Invalid value: \"" + key + "\": name part must consist of alphanumeric "
                    + "characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
        return key;
    }

    private static String value(String value, String whole) {
        if (value.length() > 63 || !VALUE.matcher(value).matches()) {
            throw invalid(whole, "values[0]: Invalid value: \"" + value + "\": a valid label must be an empty "
                    + "string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                    + "an alphanumeric character");
        }
        return value;
    }

    private static ApiException invalid(String whole, String why) {
        return ApiException.badRequest("unable to parse requirement: " + why + " (in selector \"" + whole + "\")");
    }
}
