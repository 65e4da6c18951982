package dev.skiff.apiserver.authz;

import dev.skiff.apiserver.auth.UserInfo;

/**
 * What a request wants to do, as RBAC sees it (upstream's authorizer.Attributes).
 *
 * @param user        who asks
 * @param verb        get, list, watch, create, update, patch, delete, deletecollection (or the HTTP verb for
 *                    non-resource requests)
 * @param resourceRequest whether the path names a resource
 * @param apiGroup    the group ("" for core)
 * @param resource    the plural resource
 * @param subresource the subresource, "" if none
 * @param namespace   the namespace, "" for cluster scope
 * @param name        the object's name, "" if none
 * @param path        the request path (non-resource requests)
 */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String resource,
        String subresource, String namespace, String name, String path) {
}
