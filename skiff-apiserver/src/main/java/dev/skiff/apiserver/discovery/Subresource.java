package dev.skiff.apiserver.discovery;

import dev.skiff.apiserver.resource.ResourceType;
import java.util.List;
import java.util.Objects;

/**
 * What one subresource of a resource is, as kube-apiserver v1.32 registers it: the verbs discovery lists, the kind
 * it reads or writes, and which HTTP operations it has. Derived from the subresource's name and its parent (see
 * {@link #of(ResourceType, String)}); discovery and OpenAPI both read it, so the two never disagree. Immutable.
 *
 * @param name           e.g. "status", "scale", "log"
 * @param kind           the kind it reads or writes, with group and version; for same-group subresources the
 *                       parent's group and version
 * @param crossGroup     whether the kind lives in another group version than the parent (scale, eviction, token);
 *                       only then does the legacy {@code APIResource} carry {@code group} and {@code version}
 * @param verbs          discovery verbs, sorted
 * @param access         which operations the subresource has
 * @param connectMethods for {@link Access#CONNECT}: the HTTP methods it accepts, in upstream's order
 */
public record Subresource(String name, GroupVersionKind kind, boolean crossGroup, List<String> verbs, Access access,
        List<String> connectMethods) {

    /** The operations a subresource offers. */
    public enum Access {
        /** get, update (PUT) and patch of a view of the parent: status, scale, ephemeralcontainers. */
        READ_WRITE,
        /** create (POST) only: binding, eviction, token. */
        CREATE,
        /** update (PUT) only: namespaces/finalize. */
        REPLACE,
        /** get with options, answering text: pods/log. */
        READ_TEXT,
        /** connect (streaming or proxying) over several HTTP methods: exec, attach, portforward, proxy. */
        CONNECT
    }

    private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");
    private static final List<String> CREATE = List.of("create");
    private static final List<String> UPGRADEABLE = List.of("GET", "POST");
    private static final List<String> PROXY_METHODS =
            List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    public Subresource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        verbs = List.copyOf(verbs);
        Objects.requireNonNull(access, "access");
        connectMethods = List.copyOf(connectMethods);
    }

    /**
     * Describes subresource {@code name} of {@code parent}. Known upstream subresources get upstream's verbs and
     * kinds; any other (e.g. of a custom resource) is treated like {@code status}: get, patch and update of the
     * parent kind.
     */
    public static Subresource of(ResourceType parent, String name) {
        GroupVersionKind parentKind = new GroupVersionKind(parent.group(), parent.version(), parent.kind());
        return switch (name) {
            case "scale" -> new Subresource(name, new GroupVersionKind("autoscaling", "v1", "Scale"), true,
                    GET_PATCH_UPDATE, Access.READ_WRITE, List.of());
            case "binding" -> sameGroup(parent, name, "Binding", CREATE, Access.CREATE, List.of());
            case "eviction" -> new Subresource(name, new GroupVersionKind("policy", "v1", "Eviction"), true, CREATE,
                    Access.CREATE, List.of());
            case "token" -> new Subresource(name,
                    new GroupVersionKind("authentication.k8s.io", "v1", "TokenRequest"), true, CREATE, Access.CREATE,
                    List.of());
            case "finalize" -> new Subresource(name, parentKind, false, List.of("update"), Access.REPLACE,
                    List.of());
            case "log" -> new Subresource(name, parentKind, false, List.of("get"), Access.READ_TEXT, List.of());
            case "exec" -> sameGroup(parent, name, "PodExecOptions", List.of("create", "get"), Access.CONNECT,
                    UPGRADEABLE);
            case "attach" -> sameGroup(parent, name, "PodAttachOptions", List.of("create", "get"), Access.CONNECT,
                    UPGRADEABLE);
            case "portforward" -> sameGroup(parent, name, "PodPortForwardOptions", List.of("create", "get"),
                    Access.CONNECT, UPGRADEABLE);
            case "proxy" -> sameGroup(parent, name, parent.kind() + "ProxyOptions",
                    List.of("create", "delete", "get", "patch", "update"), Access.CONNECT, PROXY_METHODS);
            default -> new Subresource(name, parentKind, false, GET_PATCH_UPDATE, Access.READ_WRITE, List.of());
        };
    }

    private static Subresource sameGroup(ResourceType parent, String name, String kind, List<String> verbs,
            Access access, List<String> connectMethods) {
        return new Subresource(name, new GroupVersionKind(parent.group(), parent.version(), kind), false, verbs,
                access, connectMethods);
    }
}
