package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;

/**
 * The defaults kube-apiserver fills into built-in objects on every create and update (the generated
 * {@code SetDefaults_*} functions of core/v1, apps/v1 and batch/v1): what users see in {@code kubectl get -o yaml}
 * and what controllers rely on. Only fields that are absent are set.
 */
final class KindDefaults {

    private KindDefaults() {
    }

    static void apply(ResourceType type, ObjectNode object) {
        String key = type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
        ObjectNode spec = object.path("spec") instanceof ObjectNode s ? s : null;
        switch (key) {
            case "pods" -> {
                if (spec != null) {
                    podSpec(spec);
                }
            }
            case "services" -> {
                if (spec != null) {
                    service(spec);
                }
            }
            case "deployments.apps" -> {
                if (spec != null) {
                    deployment(spec);
                }
            }
            case "replicasets.apps", "replicationcontrollers" -> {
                if (spec != null) {
                    putIfAbsent(spec, "replicas", 1);
                    template(spec);
                }
            }
            case "statefulsets.apps" -> {
                if (spec != null) {
                    putIfAbsent(spec, "replicas", 1);
                    putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
                    putIfAbsent(spec, "revisionHistoryLimit", 10);
                    if (!spec.has("updateStrategy")) {
                        spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate")
                                .put("partition", 0);
                    }
                    if (!spec.has("persistentVolumeClaimRetentionPolicy")) {
                        spec.putObject("persistentVolumeClaimRetentionPolicy").put("whenDeleted", "Retain")
                                .put("whenScaled", "Retain");
                    }
                    template(spec);
                }
            }
            case "daemonsets.apps" -> {
                if (spec != null) {
                    putIfAbsent(spec, "revisionHistoryLimit", 10);
                    if (!spec.has("updateStrategy")) {
                        spec.putObject("updateStrategy").put("type", "RollingUpdate").putObject("rollingUpdate")
                                .put("maxUnavailable", 1).put("maxSurge", 0);
                    }
                    template(spec);
                }
            }
            case "jobs.batch" -> {
                if (spec != null) {
                    job(spec);
                }
            }
            case "cronjobs.batch" -> {
                if (spec != null) {
                    putIfAbsent(spec, "concurrencyPolicy", "Allow");
                    putIfAbsent(spec, "suspend", false);
                    putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
                    putIfAbsent(spec, "failedJobsHistoryLimit", 1);
                    if (spec.path("jobTemplate").path("spec") instanceof ObjectNode jobSpec) {
                        job(jobSpec);
                    }
                }
            }
            default -> {
                // no defaults beyond the generic ones
            }
        }
    }

    private static void deployment(ObjectNode spec) {
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        if (!spec.has("strategy")) {
            spec.putObject("strategy");
        }
        ObjectNode strategy = (ObjectNode) spec.get("strategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            ObjectNode rolling = strategy.withObjectProperty("rollingUpdate");
            putIfAbsent(rolling, "maxUnavailable", "25%");
            putIfAbsent(rolling, "maxSurge", "25%");
        }
        template(spec);
    }

    private static void job(ObjectNode spec) {
        putIfAbsent(spec, "backoffLimit", 6);
        putIfAbsent(spec, "completionMode", "NonIndexed");
        putIfAbsent(spec, "suspend", false);
        putIfAbsent(spec, "podReplacementPolicy", "TerminatingOrFailed");
        boolean singleRun = !spec.has("completions") && !spec.has("parallelism");
        if (singleRun) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        } else {
            putIfAbsent(spec, "parallelism", 1);
        }
        template(spec);
    }

    private static void template(ObjectNode spec) {
        if (spec.path("template").path("spec") instanceof ObjectNode podSpec) {
            podSpec(podSpec);
        }
    }

    /** core/v1 SetDefaults_PodSpec and SetDefaults_Container. */
    static void podSpec(ObjectNode spec) {
        putIfAbsent(spec, "restartPolicy", "Always");
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        putIfAbsent(spec, "enableServiceLinks", true);
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : spec.path(list)) {
                if (container instanceof ObjectNode c) {
                    container(c);
                }
            }
        }
    }

    private static void container(ObjectNode container) {
        putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(container, "terminationMessagePolicy", "File");
        putIfAbsent(container, "imagePullPolicy", pullPolicy(container.path("image").asText("")));
        if (!container.has("resources")) {
            container.putObject("resources");
        }
        for (JsonNode port : container.path("ports")) {
            if (port instanceof ObjectNode p) {
                putIfAbsent(p, "protocol", "TCP");
            }
        }
    }

    /** Always for ":latest" or untagged images (unless pinned by digest), IfNotPresent otherwise. */
    static String pullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        String last = slash >= 0 ? image.substring(slash + 1) : image;
        int colon = last.indexOf(':');
        if (colon < 0 || last.substring(colon + 1).equals("latest")) {
            return "Always";
        }
        return "IfNotPresent";
    }

    private static void service(ObjectNode spec) {
        putIfAbsent(spec, "type", "ClusterIP");
        putIfAbsent(spec, "sessionAffinity", "None");
        String type = spec.path("type").asText();
        if (!type.equals("ExternalName")) {
            putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
        }
        // Externally reachable services route external traffic cluster-wide unless told otherwise.
        if (type.equals("NodePort") || type.equals("LoadBalancer")
                || (spec.path("externalIPs").isArray() && !spec.path("externalIPs").isEmpty())) {
            putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
        }
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                putIfAbsent(p, "protocol", "TCP");
                if (!p.has("targetPort") && p.has("port")) {
                    p.set("targetPort", p.get("port"));
                }
            }
        }
    }

    private static void putIfAbsent(ObjectNode node, String field, Object value) {
        if (node.has(field) && !node.get(field).isNull()) {
            return;
        }
        switch (value) {
            case Integer i -> node.put(field, i);
            case Boolean b -> node.put(field, b);
            default -> node.put(field, value.toString());
        }
    }
}
