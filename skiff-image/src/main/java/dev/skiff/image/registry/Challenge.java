package dev.skiff.image.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed {@code WWW-Authenticate} challenge (RFC 7235): a scheme ({@code basic} or {@code bearer}, lowercased)
 * and its parameters ({@code realm}, {@code service}, {@code scope} ...). Registries send one challenge per header.
 */
record Challenge(String scheme, Map<String, String> params) {

    static Challenge parse(String header) {
        String h = header.strip();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        if (space >= 0) {
            String rest = h.substring(space + 1);
            int i = 0;
            while (i < rest.length()) {
                while (i < rest.length() && (rest.charAt(i) == ',' || rest.charAt(i) == ' ')) {
                    i++;
                }
                int eq = rest.indexOf('=', i);
                if (eq < 0) {
                    break;
                }
                String name = rest.substring(i, eq).strip().toLowerCase(Locale.ROOT);
                i = eq + 1;
                StringBuilder value = new StringBuilder();
                if (i < rest.length() && rest.charAt(i) == '"') {
                    i++;
                    while (i < rest.length() && rest.charAt(i) != '"') {
                        if (rest.charAt(i) == '\\' && i + 1 < rest.length()) {
                            i++;
                        }
                        value.append(rest.charAt(i++));
                    }
                    i++; // closing quote
                } else {
                    while (i < rest.length() && rest.charAt(i) != ',') {
                        value.append(rest.charAt(i++));
                    }
                }
                params.put(name, value.toString().strip());
            }
        }
        return new Challenge(scheme, params);
    }
}
