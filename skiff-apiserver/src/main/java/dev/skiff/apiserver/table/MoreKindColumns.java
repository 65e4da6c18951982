package dev.skiff.apiserver.table;

import static dev.skiff.apiserver.table.TableColumns.integer;
import static dev.skiff.apiserver.table.TableColumns.orNone;
import static dev.skiff.apiserver.table.TableColumns.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The columns of the policy, networking, RBAC, storage, scheduling and autoscaling kinds charts commonly ship, as
 * kube-apiserver v1.32's printers define them (pkg/printers/internalversion: PodDisruptionBudget, Ingress,
 * IngressClass, NetworkPolicy, HorizontalPodAutoscaler, (Cluster)RoleBinding, StorageClass, PriorityClass,
 * RuntimeClass, ControllerRevision, ReplicationController, ResourceQuota, PersistentVolume(Claim)), so
 * {@code kubectl get} of what {@code helm install} created reads as on any cluster. {@link TableColumns} holds the workload kinds.
 */
final class MoreKindColumns {

    private static final int MAX_LISTED = 3;

    private MoreKindColumns() {
    }

    /** The columns of resource {@code key} ({@code plural.group}), or empty when upstream has none of its own. */
    static Optional<List<Column>> forResource(TableColumns base, String key) {
        List<Column> columns = switch (key) {
            case "poddisruptionbudgets.policy" -> List.of(base.name(),
                    Column.of("Min Available", o -> intOrString(o.path("spec").path("minAvailable"))),
                    Column.of("Max Unavailable", o -> intOrString(o.path("spec").path("maxUnavailable"))),
                    Column.integer("Allowed Disruptions", o -> integer(o, "status", "disruptionsAllowed")),
                    base.age());
            case "ingresses.networking.k8s.io" -> List.of(base.name(),
                    Column.of("Class", o -> orNone(text(o, "spec", "ingressClassName"))),
                    Column.of("Hosts", MoreKindColumns::ingressHosts),
                    Column.of("Address", MoreKindColumns::ingressAddress),
                    Column.of("Ports", o -> o.path("spec").path("tls").isEmpty() ? "80" : "80, 443"), base.age());
            case "ingressclasses.networking.k8s.io" -> List.of(base.name(),
                    Column.of("Controller", o -> text(o, "spec", "controller")),
                    Column.of("Parameters", MoreKindColumns::ingressClassParameters), base.age());
            case "networkpolicies.networking.k8s.io" -> List.of(base.name(),
                    Column.of("Pod-Selector", o -> labelSelector(o.path("spec").path("podSelector"))), base.age());
            case "horizontalpodautoscalers.autoscaling" -> List.of(base.name(),
                    Column.of("Reference", o -> text(o, "spec", "scaleTargetRef", "kind") + "/"
                            + text(o, "spec", "scaleTargetRef", "name")),
                    Column.of("Targets", HpaTargets::format),
                    Column.of("MinPods", o -> o.path("spec").has("minReplicas")
                            ? Long.toString(integer(o, "spec", "minReplicas")) : "<unset>"),
                    Column.integer("MaxPods", o -> integer(o, "spec", "maxReplicas")),
                    Column.integer("Replicas", o -> integer(o, "status", "currentReplicas")), base.age());
            case "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io" ->
                    List.of(base.name(),
                            Column.of("Role", o -> text(o, "roleRef", "kind") + "/" + text(o, "roleRef", "name")),
                            base.age(),
                            Column.wide("Users", o -> subjects(o, "User")),
                            Column.wide("Groups", o -> subjects(o, "Group")),
                            Column.wide("ServiceAccounts", o -> subjects(o, "ServiceAccount")));
            case "storageclasses.storage.k8s.io" -> List.of(
                    new Column("Name", "string", "name", 0, "Name must be unique within a namespace.",
                            MoreKindColumns::storageClassName),
                    Column.of("Provisioner", o -> text(o, "provisioner")),
                    Column.of("ReclaimPolicy", o -> orDefault(text(o, "reclaimPolicy"), "Delete")),
                    Column.of("VolumeBindingMode", o -> orDefault(text(o, "volumeBindingMode"), "Immediate")),
                    Column.of("AllowVolumeExpansion", o -> o.path("allowVolumeExpansion").asBoolean(false)),
                    base.age());
            case "priorityclasses.scheduling.k8s.io" -> List.of(base.name(),
                    Column.integer("Value", o -> integer(o, "value")),
                    bool("Global-Default", o -> o.path("globalDefault").asBoolean(false)), base.age(),
                    Column.of("PreemptionPolicy", o -> text(o, "preemptionPolicy")));
            case "runtimeclasses.node.k8s.io" -> List.of(base.name(),
                    Column.of("Handler", o -> text(o, "handler")), base.age());
            case "controllerrevisions.apps" -> List.of(base.name(),
                    Column.of("Controller", MoreKindColumns::controller),
                    Column.integer("Revision", o -> integer(o, "revision")), base.age());
            case "replicationcontrollers" -> List.of(base.name(),
                    Column.integer("Desired", o -> integer(o, "spec", "replicas")),
                    Column.integer("Current", o -> integer(o, "status", "replicas")),
                    Column.integer("Ready", o -> integer(o, "status", "readyReplicas")), base.age(),
                    Column.wide("Containers", o -> TableColumns.containers(o, "name")),
                    Column.wide("Images", o -> TableColumns.containers(o, "image")),
                    Column.wide("Selector", o -> TableColumns.selector(o.path("spec").path("selector"))));
            case "resourcequotas" -> List.of(base.name(), base.age(),
                    Column.of("Request", o -> quota(o, false)), Column.of("Limit", o -> quota(o, true)));
            case "persistentvolumes" -> List.of(base.name(),
                    Column.of("Capacity", o -> text(o, "spec", "capacity", "storage")),
                    Column.of("Access Modes", o -> accessModes(o.path("spec").path("accessModes"))),
                    Column.of("Reclaim Policy", o -> text(o, "spec", "persistentVolumeReclaimPolicy")),
                    Column.of("Status", MoreKindColumns::volumePhase),
                    Column.of("Claim", MoreKindColumns::claim),
                    Column.of("StorageClass", MoreKindColumns::storageClass),
                    Column.of("VolumeAttributesClass", MoreKindColumns::volumeAttributesClass),
                    Column.of("Reason", o -> text(o, "status", "reason")), base.age(),
                    Column.wide("VolumeMode", MoreKindColumns::volumeMode));
            // Capacity and access modes are the bound volume's, shown only once the claim names one
            case "persistentvolumeclaims" -> List.of(base.name(),
                    Column.of("Status", MoreKindColumns::volumePhase),
                    Column.of("Volume", o -> text(o, "spec", "volumeName")),
                    Column.of("Capacity", o -> bound(o) ? text(o, "status", "capacity", "storage") : ""),
                    Column.of("Access Modes", o -> bound(o) ? accessModes(o.path("status").path("accessModes")) : ""),
                    Column.of("StorageClass", MoreKindColumns::storageClass),
                    Column.of("VolumeAttributesClass", MoreKindColumns::volumeAttributesClass), base.age(),
                    Column.wide("VolumeMode", MoreKindColumns::volumeMode));
            default -> null;
        };
        return Optional.ofNullable(columns);
    }

    private static Column bool(String name, java.util.function.Function<ObjectNode, Object> cell) {
        return new Column(name, "boolean", "", 0, name, cell);
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    /** An IntOrString as upstream prints it, "N/A" when unset (PodDisruptionBudget). */
    private static String intOrString(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "N/A" : value.asText();
    }

    /** The first three rule hosts, "*" when no rule names one (formatHosts). */
    private static String ingressHosts(ObjectNode o) {
        JsonNode rules = o.path("spec").path("rules");
        List<String> hosts = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (hosts.size() == MAX_LISTED) {
                more = true;
            }
            if (!more && !rule.path("host").asText("").isEmpty()) {
                hosts.add(rule.path("host").asText());
            }
        }
        if (hosts.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", hosts);
        return more ? joined + " + " + (rules.size() - MAX_LISTED) + " more..." : joined;
    }

    /** The load balancer's addresses, IPs or host names, comma separated (loadBalancerStatusStringer). */
    private static String ingressAddress(ObjectNode o) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode ingress : o.path("status").path("loadBalancer").path("ingress")) {
            String ip = ingress.path("ip").asText("");
            addresses.add(ip.isEmpty() ? ingress.path("hostname").asText("") : ip);
        }
        String joined = String.join(",", addresses);
        // upstream truncates the narrow column to 16 characters
        return joined.length() > 16 ? joined.substring(0, 13) + "..." : joined;
    }

    private static String ingressClassParameters(ObjectNode o) {
        JsonNode parameters = o.path("spec").path("parameters");
        if (!parameters.isObject()) {
            return "<none>";
        }
        String kind = parameters.path("kind").asText("");
        String group = parameters.path("apiGroup").asText("");
        return (group.isEmpty() ? kind : kind + "." + group) + "/" + parameters.path("name").asText("");
    }

    /** metav1.FormatLabelSelector: requirements sorted by key, "<none>" for the empty selector. */
    static String labelSelector(JsonNode selector) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            byKey.computeIfAbsent(label.getKey(), k -> new ArrayList<>()).add(label.getKey() + "="
                    + label.getValue().asText());
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            java.util.Collections.sort(values);
            String requirement = switch (expression.path("operator").asText()) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key + " " + expression.path("operator").asText();
            };
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(requirement);
        }
        List<String> requirements = new ArrayList<>();
        byKey.values().forEach(requirements::addAll);
        return requirements.isEmpty() ? "<none>" : String.join(",", requirements);
    }

    /** The binding's subjects of one kind; service accounts as namespace:name. */
    private static String subjects(ObjectNode o, String kind) {
        List<String> names = new ArrayList<>();
        for (JsonNode subject : o.path("subjects")) {
            if (subject.path("kind").asText().equals(kind)) {
                names.add(kind.equals("ServiceAccount")
                        ? subject.path("namespace").asText("") + ":" + subject.path("name").asText()
                        : subject.path("name").asText());
            }
        }
        return String.join(", ", names);
    }

    private static String storageClassName(ObjectNode o) {
        JsonNode annotations = o.path("metadata").path("annotations");
        boolean isDefault = annotations.path("storageclass.kubernetes.io/is-default-class").asText("").equals("true")
                || annotations.path("storageclass.beta.kubernetes.io/is-default-class").asText("").equals("true");
        String name = text(o, "metadata", "name");
        return isDefault ? name + " (default)" : name;
    }

    /** The controlling owner as {@code kind.group/name} in lower case, "<none>" without one. */
    private static String controller(ObjectNode o) {
        for (JsonNode owner : o.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                String apiVersion = owner.path("apiVersion").asText("");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String kind = owner.path("kind").asText("");
                String groupKind = group.isEmpty() ? kind : kind + "." + group;
                return groupKind.toLowerCase(Locale.ROOT) + "/" + owner.path("name").asText();
            }
        }
        return "<none>";
    }

    /** "resource: used/hard" for each hard limit, sorted by name; limits.* go to the Limit column. */
    private static String quota(ObjectNode o, boolean limits) {
        Map<String, String> used = new TreeMap<>();
        List<String> parts = new ArrayList<>();
        o.path("status").path("used").properties().forEach(e -> used.put(e.getKey(), e.getValue().asText()));
        Map<String, String> hard = new TreeMap<>();
        o.path("status").path("hard").properties().forEach(e -> hard.put(e.getKey(), e.getValue().asText()));
        for (Map.Entry<String, String> entry : hard.entrySet()) {
            if (entry.getKey().startsWith("limits.") == limits) {
                parts.add(entry.getKey() + ": " + used.getOrDefault(entry.getKey(), "0") + "/" + entry.getValue());
            }
        }
        return String.join(", ", parts);
    }

    /** Access modes abbreviated as kubectl does (RWO, ROX, RWX, RWOP), in upstream's fixed order. */
    private static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        modes.forEach(m -> present.add(m.asText()));
        List<String> shown = new ArrayList<>();
        String[][] order = {{"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"},
            {"ReadWriteOncePod", "RWOP"}};
        for (String[] mode : order) {
            if (present.contains(mode[0])) {
                shown.add(mode[1]);
            }
        }
        return String.join(",", shown);
    }

    private static boolean bound(ObjectNode o) {
        return !text(o, "spec", "volumeName").isEmpty();
    }

    /** The phase, or Terminating once the volume or claim is being deleted. */
    private static String volumePhase(ObjectNode o) {
        return o.path("metadata").hasNonNull("deletionTimestamp") ? "Terminating" : text(o, "status", "phase");
    }

    /** spec.storageClassName, else the beta annotation older objects carry (GetPersistentVolume(Claim)Class). */
    private static String storageClass(ObjectNode o) {
        JsonNode annotation = o.path("metadata").path("annotations").path("volume.beta.kubernetes.io/storage-class");
        return annotation.isTextual() ? annotation.asText() : text(o, "spec", "storageClassName");
    }

    private static String volumeAttributesClass(ObjectNode o) {
        JsonNode name = o.path("spec").path("volumeAttributesClassName");
        return name.isTextual() ? name.asText() : "<unset>";
    }

    private static String volumeMode(ObjectNode o) {
        JsonNode mode = o.path("spec").path("volumeMode");
        return mode.isTextual() ? mode.asText() : "<unset>";
    }

    private static String claim(ObjectNode o) {
        JsonNode ref = o.path("spec").path("claimRef");
        return ref.isObject() ? ref.path("namespace").asText("") + "/" + ref.path("name").asText("") : "";
    }
}
