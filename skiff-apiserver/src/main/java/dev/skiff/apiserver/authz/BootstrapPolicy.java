package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default RBAC policy of a new cluster, after upstream's bootstrap policy: {@code cluster-admin} for the
 * {@code system:masters} group, discovery and self-review for every authenticated user, public health/version
 * for everyone, and the user-facing {@code admin}, {@code edit} and {@code view} roles. Created at startup where
 * missing (objects an administrator changed are left alone).
 */
public final class BootstrapPolicy {

    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> ALL = List.of("*");

    private BootstrapPolicy() {
    }

    /** The default ClusterRoles by name. */
    public static Map<String, List<PolicyRule>> clusterRoles() {
        List<PolicyRule> view = viewRules();
        List<PolicyRule> edit = new ArrayList<>(view);
        edit.addAll(editRules());
        List<PolicyRule> admin = new ArrayList<>(edit);
        admin.add(resource(List.of("rbac.authorization.k8s.io"), List.of("roles", "rolebindings"),
                concat(READ, WRITE)));
        admin.add(resource(List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews"),
                List.of("create")));
        return Map.of(
                "cluster-admin", List.of(resource(ALL, ALL, ALL), nonResource(List.of("*"), ALL)),
                "admin", List.copyOf(admin),
                "edit", List.copyOf(edit),
                "view", view,
                "system:discovery", List.of(nonResource(List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz",
                        "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"), List.of("get"))),
                "system:public-info-viewer", List.of(nonResource(List.of("/healthz", "/livez", "/readyz",
                        "/version", "/version/"), List.of("get"))),
                "system:basic-user", List.of(
                        resource(List.of("authorization.k8s.io"),
                                List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"), List.of("create")),
                        resource(List.of("authentication.k8s.io"), List.of("selfsubjectreviews"),
                                List.of("create"))),
                "system:service-account-issuer-discovery", List.of(nonResource(
                        List.of("/.well-known/openid-configuration", "/.well-known/openid-configuration/",
                                "/openid/v1/jwks", "/openid/v1/jwks/"), List.of("get"))));
    }

    /** The default ClusterRoleBindings: binding name = role name, to these groups. */
    public static Map<String, List<String>> clusterRoleBindings() {
        return Map.of(
                "cluster-admin", List.of("system:masters"),
                "system:discovery", List.of("system:authenticated"),
                "system:basic-user", List.of("system:authenticated"),
                "system:public-info-viewer", List.of("system:authenticated", "system:unauthenticated"),
                "system:service-account-issuer-discovery", List.of("system:serviceaccounts"));
    }

    /** Stores the default roles and bindings that do not exist yet. */
    public static void ensure(ObjectStore store, ResourceCatalog catalog, ObjectMapper json) {
        ResourceType roles = catalog.find("rbac.authorization.k8s.io", "v1", "clusterroles").orElseThrow();
        ResourceType bindings = catalog.find("rbac.authorization.k8s.io", "v1", "clusterrolebindings")
                .orElseThrow();
        clusterRoles().forEach((name, rules) -> {
            ObjectNode role = base(json, roles, name);
            ArrayNode array = role.putArray("rules");
            rules.forEach(rule -> array.add(rule.toJson(json)));
            createIfMissing(store, roles, role);
        });
        clusterRoleBindings().forEach((name, groups) -> {
            ObjectNode binding = base(json, bindings, name);
            binding.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", "ClusterRole")
                    .put("name", name);
            ArrayNode subjects = binding.putArray("subjects");
            groups.forEach(group -> subjects.addObject().put("apiGroup", "rbac.authorization.k8s.io")
                    .put("kind", "Group").put("name", group));
            createIfMissing(store, bindings, binding);
        });
    }

    private static ObjectNode base(ObjectMapper json, ResourceType type, String name) {
        ObjectNode object = json.createObjectNode();
        object.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
        metadata.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
        return object;
    }

    private static void createIfMissing(ObjectStore store, ResourceType type, ObjectNode object) {
        try {
            store.create(type, object);
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    private static List<PolicyRule> viewRules() {
        return List.of(
                resource(List.of(""), List.of("pods", "pods/log", "pods/status", "configmaps", "endpoints",
                        "persistentvolumeclaims", "persistentvolumeclaims/status", "replicationcontrollers",
                        "replicationcontrollers/scale", "replicationcontrollers/status", "serviceaccounts",
                        "services", "services/status", "bindings", "events", "limitranges", "resourcequotas",
                        "resourcequotas/status", "namespaces", "namespaces/status", "podtemplates"), READ),
                resource(List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status",
                        "deployments", "deployments/scale", "deployments/status", "replicasets",
                        "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
                        "statefulsets/status"), READ),
                resource(List.of("autoscaling"), List.of("horizontalpodautoscalers",
                        "horizontalpodautoscalers/status"), READ),
                resource(List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status"), READ),
                resource(List.of("discovery.k8s.io"), List.of("endpointslices"), READ),
                resource(List.of("events.k8s.io"), List.of("events"), READ),
                resource(List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status"), READ),
                resource(List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status",
                        "networkpolicies"), READ));
    }

    private static List<PolicyRule> editRules() {
        return List.of(
                resource(List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                        "secrets", "services/proxy"), READ),
                resource(List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                        "configmaps", "endpoints", "events", "persistentvolumeclaims", "replicationcontrollers",
                        "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy",
                        "podtemplates"), WRITE),
                resource(List.of(""), List.of("pods/eviction", "serviceaccounts/token"), List.of("create")),
                resource(List.of(""), List.of("serviceaccounts"), List.of("impersonate")),
                resource(List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "replicasets", "replicasets/scale", "statefulsets",
                        "statefulsets/scale"), WRITE),
                resource(List.of("autoscaling"), List.of("horizontalpodautoscalers"), WRITE),
                resource(List.of("batch"), List.of("cronjobs", "jobs"), WRITE),
                resource(List.of("policy"), List.of("poddisruptionbudgets"), WRITE),
                resource(List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies"), WRITE),
                resource(List.of("discovery.k8s.io"), List.of("endpointslices"), WRITE),
                resource(List.of("coordination.k8s.io"), List.of("leases"), concat(READ, WRITE)));
    }

    private static PolicyRule resource(List<String> groups, List<String> resources, List<String> verbs) {
        return new PolicyRule(verbs, groups, resources, List.of(), List.of());
    }

    private static PolicyRule nonResource(List<String> urls, List<String> verbs) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
