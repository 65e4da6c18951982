package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One RBAC rule and upstream's matching of a request against it (rbac/v1 validation helpers). */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
        List<String> resourceNames, List<String> nonResourceUrls) {

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceUrls = List.copyOf(nonResourceUrls);
    }

    static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")),
                strings(rule.path("resources")), strings(rule.path("resourceNames")),
                strings(rule.path("nonResourceURLs")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    boolean allows(Attributes request) {
        if (!matches(verbs, request.verb())) {
            return false;
        }
        if (!request.resourceRequest()) {
            for (String url : nonResourceUrls) {
                if (url.equals("*") || url.equals(request.path())
                        || (url.endsWith("*") && request.path().startsWith(url.substring(0, url.length() - 1)))) {
                    return true;
                }
            }
            return false;
        }
        if (!matches(apiGroups, request.apiGroup())) {
            return false;
        }
        String combined = request.subresource().isEmpty()
                ? request.resource() : request.resource() + "/" + request.subresource();
        boolean resourceMatches = false;
        for (String resource : resources) {
            if (resource.equals("*") || resource.equals(combined)
                    || (request.subresource().isEmpty() ? false : resource.equals("*/" + request.subresource()))) {
                resourceMatches = true;
                break;
            }
        }
        if (!resourceMatches) {
            return false;
        }
        return resourceNames.isEmpty() || (!request.name().isEmpty() && resourceNames.contains(request.name()));
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed.contains("*") || allowed.contains(value);
    }

    /** The rule as JSON, for stored ClusterRoles and SelfSubjectRulesReview answers. */
    com.fasterxml.jackson.databind.node.ObjectNode toJson(com.fasterxml.jackson.databind.ObjectMapper json) {
        com.fasterxml.jackson.databind.node.ObjectNode node = json.createObjectNode();
        if (!verbs.isEmpty()) {
            verbs.forEach(node.putArray("verbs")::add);
        }
        if (!apiGroups.isEmpty()) {
            apiGroups.forEach(node.putArray("apiGroups")::add);
        }
        if (!resources.isEmpty()) {
            resources.forEach(node.putArray("resources")::add);
        }
        if (!resourceNames.isEmpty()) {
            resourceNames.forEach(node.putArray("resourceNames")::add);
        }
        if (!nonResourceUrls.isEmpty()) {
            nonResourceUrls.forEach(node.putArray("nonResourceURLs")::add);
        }
        return node;
    }
}
