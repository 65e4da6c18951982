package dev.skiff.apiserver.authz;

import java.util.Objects;

/**
 * Decides requests with RBAC, like kube-apiserver's RBAC authorizer: allowed if any rule bound to the user at
 * cluster scope, or in the request's namespace, allows it; denied otherwise with upstream's reason text.
 * Thread-safe.
 */
public final class RbacAuthorizer {

    /** The decision and, when denied, why (the text after "is forbidden: "). */
    public record Decision(boolean allowed, String reason) {
    }

    private final RbacIndex index;

    public RbacAuthorizer(RbacIndex index) {
        this.index = Objects.requireNonNull(index, "index");
    }

    public Decision authorize(Attributes request) {
        String namespace = request.resourceRequest() ? request.namespace() : "";
        for (PolicyRule rule : index.rulesFor(request.user(), namespace)) {
            if (rule.allows(request)) {
                return new Decision(true, "");
            }
        }
        return new Decision(false, denial(request));
    }

    /** Upstream's wording: {@code User "u" cannot list resource "pods" in API group "" in the namespace "d"}. */
    static String denial(Attributes request) {
        String who = "User \"" + request.user().name() + "\"";
        if (!request.resourceRequest()) {
            return who + " cannot " + request.verb() + " path \"" + request.path() + "\"";
        }
        String resource = request.subresource().isEmpty()
                ? request.resource() : request.resource() + "/" + request.subresource();
        String scope = request.namespace().isEmpty()
                ? "at the cluster scope" : "in the namespace \"" + request.namespace() + "\"";
        return who + " cannot " + request.verb() + " resource \"" + resource + "\" in API group \""
                + request.apiGroup() + "\" " + scope;
    }
}
