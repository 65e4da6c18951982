package dev.skiff.node.simulated;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Parses durations written the way Kubernetes users write them in annotations and flags: Go's
 * {@code time.ParseDuration} syntax ({@code 5s}, {@code 1m30s}, {@code 1.5h}, {@code 250ms}, {@code 0}).
 * Negative durations are refused: nothing simulated happens in the past.
 */
final class GoDuration {

    private GoDuration() {
    }

    /** @throws IllegalArgumentException naming the text, if it is not a duration */
    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'' is not a duration");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration");
        }
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (expected a number at '"
                        + s.substring(start) + "')");
            }
            BigDecimal number;
            try {
                number = new BigDecimal(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a malformed number", e);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unitNanos = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "" -> throw new IllegalArgumentException("'" + text + "' lacks a unit (ns, us, ms, s, m, h)");
                default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '"
                        + s.substring(unitStart, i) + "' (ns, us, ms, s, m, h)");
            };
            nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
        }
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            // A fraction of a nanosecond, or beyond about 292 years (Go's limit too).
            try {
                return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.DOWN).longValueExact());
            } catch (ArithmeticException tooLarge) {
                throw new IllegalArgumentException("'" + text + "' is too long", tooLarge);
            }
        }
    }
}
