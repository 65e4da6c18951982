package dev.skiff.server.nodeless;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.apiserver.admission.PodSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the profile's {@code selectors} key: a JSON list (empty or blank means none) of
 * <pre>{"name": "...", "namespaceLabels": {"matchLabels": {...}}, "objectLabels": {"matchLabels": {...}},
 *  "effect": {"annotations": {...}, "labels": {...}}}</pre>
 * as ACK's eci-profile documents it. Every selector needs a unique name and at least one of
 * {@code namespaceLabels}/{@code objectLabels} (a selector without either would silently select every pod of the
 * cluster, so it is refused rather than guessed at). Only {@code matchLabels} is understood; a
 * {@code matchExpressions} is refused instead of being ignored, which would widen the match. Label and annotation
 * keys and label values added by an effect are checked as the API server checks them, so that a profile edit cannot
 * make every matching pod's create fail validation. Stateless.
 */
final class ProfileSelectors {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A qualified name's name part (upstream's IsQualifiedName). */
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    /** A DNS-1123 subdomain, the optional prefix of a qualified name. */
    private static final Pattern PREFIX = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private ProfileSelectors() {
    }

    /** @throws IllegalArgumentException starting {@code selectors:}, naming the element and field at fault */
    static List<PodSelector> parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        JsonNode list;
        try {
            list = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw invalid("", "not a JSON list: " + e.getOriginalMessage());
        }
        if (!list.isArray()) {
            throw invalid("", "must be a JSON list of selectors");
        }
        List<PodSelector> selectors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "[" + i + "]";
            JsonNode s = list.get(i);
            if (!s.isObject()) {
                throw invalid(at, "must be an object");
            }
            String name = s.path("name").asText("");
            if (name.isBlank()) {
                throw invalid(at + ".name", "required");
            }
            if (!names.add(name)) {
                throw invalid(at + ".name", "duplicate selector name \"" + name + "\"");
            }
            if (!s.has("namespaceLabels") && !s.has("objectLabels")) {
                throw invalid(at, "needs namespaceLabels or objectLabels");
            }
            Map<String, String> namespaceLabels = matchLabels(s.path("namespaceLabels"), at + ".namespaceLabels");
            Map<String, String> objectLabels = matchLabels(s.path("objectLabels"), at + ".objectLabels");
            JsonNode effect = s.path("effect");
            if (!effect.isMissingNode() && !effect.isObject()) {
                throw invalid(at + ".effect", "must be an object");
            }
            Map<String, String> annotations = strings(effect.path("annotations"), at + ".effect.annotations");
            Map<String, String> labels = strings(effect.path("labels"), at + ".effect.labels");
            annotations.keySet().forEach(k -> checkKey(k, at + ".effect.annotations"));
            labels.forEach((k, v) -> {
                checkKey(k, at + ".effect.labels");
                checkLabelValue(v, at + ".effect.labels." + k);
            });
            selectors.add(new PodSelector(name, namespaceLabels, objectLabels, annotations, labels));
        }
        return selectors;
    }

    private static Map<String, String> matchLabels(JsonNode selector, String at) {
        if (selector.isMissingNode() || selector.isNull()) {
            return Map.of();
        }
        if (!selector.isObject()) {
            throw invalid(at, "must be an object with matchLabels");
        }
        if (selector.has("matchExpressions")) {
            throw invalid(at + ".matchExpressions", "not supported, use matchLabels");
        }
        return strings(selector.path("matchLabels"), at + ".matchLabels");
    }

    private static Map<String, String> strings(JsonNode object, String at) {
        Map<String, String> map = new LinkedHashMap<>();
        if (object.isMissingNode() || object.isNull()) {
            return map;
        }
        if (!object.isObject()) {
            throw invalid(at, "must be an object of strings");
        }
        for (var e : object.properties()) {
            if (!e.getValue().isTextual()) {
                throw invalid(at + "." + e.getKey(), "must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    private static void checkKey(String key, String at) {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? "" : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        boolean prefixOk = slash < 0 || (!prefix.isEmpty() && prefix.length() <= 253
                && PREFIX.matcher(prefix).matches());
        if (!prefixOk || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw invalid(at, "\"" + key + "\" is not a valid key (an optional DNS subdomain prefix and '/', then"
                    + " a name of at most 63 alphanumeric characters, '-', '_' or '.')");
        }
    }

    private static void checkLabelValue(String value, String at) {
        if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
            throw invalid(at, "\"" + value + "\" is not a valid label value");
        }
    }

    private static IllegalArgumentException invalid(String at, String why) {
        return new IllegalArgumentException("selectors" + at + ": " + why);
    }
}
