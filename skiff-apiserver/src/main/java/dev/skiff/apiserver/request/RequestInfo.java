package dev.skiff.apiserver.request;

import java.util.List;

/**
 * What an HTTP request asks of the API, derived from its method, path and query only (never its body).
 *
 * <p>Resource requests look like {@code /api/v1/namespaces/default/pods/web/log} or
 * {@code /apis/apps/v1/deployments}; everything else ({@code /healthz}, {@code /version}, {@code /openapi/v2},
 * discovery roots) is a non-resource request whose verb is the lowercased HTTP method.
 *
 * @param resourceRequest whether this addresses a resource (otherwise only {@code verb} and {@code path} matter)
 * @param verb            get, list, watch, create, update, patch, delete, deletecollection (resource requests), or
 *                        the lowercased HTTP method
 * @param path            the request path
 * @param apiPrefix       "api" or "apis" ("" for non-resource requests)
 * @param group           API group ("" for core)
 * @param version         API version
 * @param namespace       namespace, "" when the path names none
 * @param resource        plural resource name
 * @param name            object name, "" for collections
 * @param subresource     subresource name, "" when none
 * @param extraParts      path segments after the subresource (e.g. a proxy path)
 */
public record RequestInfo(boolean resourceRequest, String verb, String path, String apiPrefix, String group,
        String version, String namespace, String resource, String name, String subresource,
        List<String> extraParts) {

    public RequestInfo {
        extraParts = List.copyOf(extraParts);
    }

    static RequestInfo nonResource(String verb, String path) {
        return new RequestInfo(false, verb, path, "", "", "", "", "", "", "", List.of());
    }

    /** Whether this request targets one named object (or its subresource). */
    public boolean named() {
        return !name.isEmpty();
    }
}
