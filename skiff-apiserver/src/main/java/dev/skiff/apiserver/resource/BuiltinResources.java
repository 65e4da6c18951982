package dev.skiff.apiserver.resource;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in resources Skiff serves: the Kubernetes v1.32 surface listed in the API server issue. Names, short
 * names, categories and subresources are those upstream's discovery reports, so kubectl's shortcuts work unchanged.
 */
public final class BuiltinResources {

    private static final List<String> ALL = List.of("all");
    private static final List<String> NONE = List.of();
    private static final List<String> CREATE_ONLY = List.of("create");

    private BuiltinResources() {
    }

    /** Every built-in resource type, in a stable order (core first, then groups alphabetically as upstream). */
    public static List<ResourceType> all() {
        List<ResourceType> types = new ArrayList<>();
        // core/v1
        types.add(ns("", "v1", "Pod", "pods", List.of("po"), ALL,
                List.of("status", "binding", "eviction", "log", "exec", "attach", "portforward",
                        "ephemeralcontainers")));
        types.add(ns("", "v1", "Service", "services", List.of("svc"), ALL, List.of("status", "proxy")));
        types.add(ns("", "v1", "Endpoints", "endpoints", List.of("ep"), NONE, NONE));
        types.add(ns("", "v1", "ConfigMap", "configmaps", List.of("cm"), NONE, NONE));
        types.add(ns("", "v1", "Secret", "secrets", NONE, NONE, NONE));
        types.add(ns("", "v1", "ServiceAccount", "serviceaccounts", List.of("sa"), NONE, List.of("token")));
        types.add(ns("", "v1", "Event", "events", List.of("ev"), NONE, NONE));
        types.add(ns("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), NONE,
                List.of("status")));
        types.add(ns("", "v1", "LimitRange", "limitranges", List.of("limits"), NONE, NONE));
        types.add(ns("", "v1", "ResourceQuota", "resourcequotas", List.of("quota"), NONE, List.of("status")));
        types.add(ns("", "v1", "ReplicationController", "replicationcontrollers", List.of("rc"), ALL,
                List.of("status", "scale")));
        types.add(ns("", "v1", "PodTemplate", "podtemplates", NONE, NONE, NONE));
        types.add(cluster("", "v1", "Namespace", "namespaces", List.of("ns"), NONE, List.of("status", "finalize")));
        types.add(cluster("", "v1", "Node", "nodes", List.of("no"), NONE, List.of("status", "proxy")));
        types.add(cluster("", "v1", "PersistentVolume", "persistentvolumes", List.of("pv"), NONE,
                List.of("status")));
        types.add(new ResourceType("", "v1", "Binding", "bindings", "binding", true, NONE, NONE, CREATE_ONLY,
                NONE));
        // apps/v1
        types.add(ns("apps", "v1", "Deployment", "deployments", List.of("deploy"), ALL, List.of("status", "scale")));
        types.add(ns("apps", "v1", "ReplicaSet", "replicasets", List.of("rs"), ALL, List.of("status", "scale")));
        types.add(ns("apps", "v1", "StatefulSet", "statefulsets", List.of("sts"), ALL, List.of("status", "scale")));
        types.add(ns("apps", "v1", "DaemonSet", "daemonsets", List.of("ds"), ALL, List.of("status")));
        types.add(ns("apps", "v1", "ControllerRevision", "controllerrevisions", NONE, NONE, NONE));
        // autoscaling
        for (String version : List.of("v2", "v1")) {
            types.add(ns("autoscaling", version, "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                    List.of("hpa"), ALL, List.of("status")));
        }
        // batch/v1
        types.add(ns("batch", "v1", "Job", "jobs", NONE, ALL, List.of("status")));
        types.add(ns("batch", "v1", "CronJob", "cronjobs", List.of("cj"), ALL, List.of("status")));
        // coordination.k8s.io/v1
        types.add(ns("coordination.k8s.io", "v1", "Lease", "leases", NONE, NONE, NONE));
        // discovery.k8s.io/v1
        types.add(ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", NONE, NONE, NONE));
        // events.k8s.io/v1
        types.add(ns("events.k8s.io", "v1", "Event", "events", List.of("ev"), NONE, NONE));
        // networking.k8s.io/v1
        types.add(ns("networking.k8s.io", "v1", "Ingress", "ingresses", List.of("ing"), NONE, List.of("status")));
        types.add(cluster("networking.k8s.io", "v1", "IngressClass", "ingressclasses", NONE, NONE, NONE));
        types.add(ns("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", List.of("netpol"), NONE, NONE));
        // node.k8s.io/v1
        types.add(cluster("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", NONE, NONE, NONE));
        // policy/v1
        types.add(ns("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"), NONE,
                List.of("status")));
        // rbac.authorization.k8s.io/v1
        types.add(cluster("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", NONE, NONE, NONE));
        types.add(cluster("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", NONE,
                NONE, NONE));
        types.add(ns("rbac.authorization.k8s.io", "v1", "Role", "roles", NONE, NONE, NONE));
        types.add(ns("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", NONE, NONE, NONE));
        // scheduling.k8s.io/v1
        types.add(cluster("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", List.of("pc"), NONE,
                NONE));
        // storage.k8s.io/v1
        types.add(cluster("storage.k8s.io", "v1", "StorageClass", "storageclasses", List.of("sc"), NONE, NONE));
        // apiextensions.k8s.io/v1
        types.add(cluster("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                List.of("crd", "crds"), NONE, List.of("status")));
        // authentication / authorization reviews: create-only, never stored
        types.add(new ResourceType("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", "tokenreview",
                false, NONE, NONE, CREATE_ONLY, NONE));
        types.add(new ResourceType("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews",
                "selfsubjectreview", false, NONE, NONE, CREATE_ONLY, NONE));
        types.add(new ResourceType("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
                "selfsubjectaccessreviews", "selfsubjectaccessreview", false, NONE, NONE, CREATE_ONLY, NONE));
        types.add(new ResourceType("authorization.k8s.io", "v1", "SelfSubjectRulesReview",
                "selfsubjectrulesreviews", "selfsubjectrulesreview", true, NONE, NONE, CREATE_ONLY, NONE));
        types.add(new ResourceType("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews",
                "subjectaccessreview", false, NONE, NONE, CREATE_ONLY, NONE));
        types.add(new ResourceType("authorization.k8s.io", "v1", "LocalSubjectAccessReview",
                "localsubjectaccessreviews", "localsubjectaccessreview", true, NONE, NONE, CREATE_ONLY, NONE));
        return List.copyOf(types);
    }

    private static ResourceType ns(String group, String version, String kind, String plural, List<String> shortNames,
            List<String> categories, List<String> subresources) {
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), true,
                shortNames, categories, ResourceType.ALL_VERBS, subresources);
    }

    private static ResourceType cluster(String group, String version, String kind, String plural,
            List<String> shortNames, List<String> categories, List<String> subresources) {
        return new ResourceType(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), false,
                shortNames, categories, ResourceType.ALL_VERBS, subresources);
    }
}
