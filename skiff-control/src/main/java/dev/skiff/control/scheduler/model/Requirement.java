package dev.skiff.control.scheduler.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One requirement of a label or node selector: {@code key op values}.
 *
 * <p>Semantics mirror apimachinery's {@code labels.Requirement}: {@code NotIn} and {@code DoesNotExist} match when
 * the label is absent; {@code Gt}/{@code Lt} (node selectors only) parse the single value and the label as 64-bit
 * integers and do not match when either is not an integer. Values are kept sorted so that equal requirements are
 * equal records (selectors are used as index keys).
 */
public record Requirement(String key, Operator operator, List<String> values) {

    /** The operators of label selectors ({@code In, NotIn, Exists, DoesNotExist}) and node selectors ({@code Gt, Lt}). */
    public enum Operator {
        IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GT, LT;

        /** Parses the API spelling ({@code In}, {@code NotIn}, ...); null for an unknown operator. */
        public static Operator parse(String op) {
            if (op == null) {
                return null;
            }
            return switch (op) {
                case "In" -> IN;
                case "NotIn" -> NOT_IN;
                case "Exists" -> EXISTS;
                case "DoesNotExist" -> DOES_NOT_EXIST;
                case "Gt" -> GT;
                case "Lt" -> LT;
                default -> null;
            };
        }
    }

    public Requirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = values == null ? List.of() : values.stream().sorted().distinct().toList();
    }

    /** Whether a label set satisfies this requirement. */
    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case IN -> value != null && values.contains(value);
            case NOT_IN -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
            case GT, LT -> compares(value);
        };
    }

    private boolean compares(String value) {
        if (value == null || values.size() != 1) {
            return false;
        }
        try {
            long actual = Long.parseLong(value);
            long bound = Long.parseLong(values.getFirst());
            return operator == Operator.GT ? actual > bound : actual < bound;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
