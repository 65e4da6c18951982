package dev.skiff.node.agent.env;

import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} syntax (upstream {@code third_party/forked/golang/expansion}): {@code $(NAME)} is
 * replaced by the variable's value when it is defined and kept as written when not; {@code $$} is an escaped
 * {@code $}; a {@code $} followed by anything else, or a {@code $(} never closed, stays as it is. Pure.
 */
public final class Expansion {

    private Expansion() {
    }

    /** Expands {@code input}; {@code lookup} answers null for an undefined variable. */
    public static String expand(String input, Function<String, String> lookup) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    // Upstream keeps an unterminated reference as written.
                    out.append(input, i, input.length());
                    return out.toString();
                }
                String name = input.substring(i + 2, close);
                String value = name.isEmpty() ? null : lookup.apply(name);
                out.append(value != null ? value : input.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
