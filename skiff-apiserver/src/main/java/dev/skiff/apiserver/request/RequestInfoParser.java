package dev.skiff.apiserver.request;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses method + path + the {@code watch} query flag into a {@link RequestInfo}, following kube-apiserver's
 * RequestInfoFactory: {@code namespaces/<ns>} introduces a namespace unless followed only by a namespace
 * subresource ({@code status}, {@code finalize}); the legacy {@code /watch/} prefix turns any read into a watch.
 * Stateless and thread-safe.
 */
public final class RequestInfoParser {

    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    private RequestInfoParser() {
    }

    public static RequestInfo parse(String method, String path, boolean watchParam) {
        String lowerMethod = method.toLowerCase(Locale.ROOT);
        List<String> parts = split(path);
        if (parts.isEmpty() || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
            return RequestInfo.nonResource(lowerMethod, path);
        }
        String prefix = parts.get(0);
        int index = 1;
        String group = "";
        if (prefix.equals("apis")) {
            if (parts.size() < 3) {
                // /apis and /apis/<group>: discovery
                return RequestInfo.nonResource(lowerMethod, path);
            }
            group = parts.get(index++);
        } else if (parts.size() < 3) {
            // /api and /api/v1: discovery
            return RequestInfo.nonResource(lowerMethod, path);
        }
        String version = parts.get(index++);
        List<String> rest = new ArrayList<>(parts.subList(index, parts.size()));

        boolean legacyWatch = false;
        if (!rest.isEmpty() && rest.get(0).equals("watch")) {
            legacyWatch = true;
            rest.remove(0);
        }
        if (rest.isEmpty()) {
            return RequestInfo.nonResource(lowerMethod, path);
        }

        String namespace = "";
        if (rest.get(0).equals("namespaces")) {
            if (rest.size() > 1) {
                namespace = rest.get(1);
                if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                    rest = new ArrayList<>(rest.subList(2, rest.size()));
                }
            }
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        List<String> extra = rest.size() > 3 ? rest.subList(3, rest.size()) : List.of();
        // A namespace object addressed as namespaces/<name>: it is the name, not a scope.
        if (resource.equals("namespaces")) {
            namespace = "";
        }

        String verb = switch (lowerMethod) {
            case "post" -> "create";
            case "put" -> "update";
            case "patch" -> "patch";
            case "delete" -> name.isEmpty() ? "deletecollection" : "delete";
            case "get", "head" -> {
                if (legacyWatch || watchParam) {
                    yield "watch";
                }
                yield name.isEmpty() ? "list" : "get";
            }
            default -> lowerMethod;
        };
        return new RequestInfo(true, verb, path, prefix, group, version, namespace, resource, name, subresource,
                extra);
    }

    private static List<String> split(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(trimmed.split("/"));
    }
}
