package dev.skiff.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The columns of each kind, as kube-apiserver's printers define them (pkg/printers/internalversion), the workload
 * kinds here and the rest in {@link MoreKindColumns}; kinds in neither get upstream's default: Name and Created At.
 */
public final class TableColumns {

    private final Clock clock;

    public TableColumns(Clock clock) {
        this.clock = clock;
    }

    /** The columns for resource {@code plural} of {@code group}. */
    public List<Column> forResource(String group, String plural) {
        String key = group.isEmpty() ? plural : plural + "." + group;
        return switch (key) {
            case "namespaces" -> List.of(name(), Column.of("Status", o -> text(o, "status", "phase")), age());
            case "configmaps" -> List.of(name(), Column.integer("Data", o -> size(o.path("data"))
                    + size(o.path("binaryData"))), age());
            case "secrets" -> List.of(name(), Column.of("Type", o -> text(o, "type")),
                    Column.integer("Data", o -> size(o.path("data"))), age());
            case "serviceaccounts" -> List.of(name(), Column.integer("Secrets", o -> size(o.path("secrets"))),
                    age());
            case "pods" -> PodColumns.columns(this);
            case "services" -> List.of(name(), Column.of("Type", o -> text(o, "spec", "type")),
                    Column.of("Cluster-IP", o -> orNone(text(o, "spec", "clusterIP"))),
                    Column.of("External-IP", TableColumns::externalIps),
                    Column.of("Port(s)", TableColumns::servicePorts), age(),
                    Column.wide("Selector", o -> selector(o.path("spec").path("selector"))));
            case "deployments.apps" -> List.of(name(),
                    Column.of("Ready", o -> integer(o, "status", "readyReplicas") + "/"
                            + integer(o, "spec", "replicas")),
                    Column.integer("Up-to-date", o -> integer(o, "status", "updatedReplicas")),
                    Column.integer("Available", o -> integer(o, "status", "availableReplicas")), age(),
                    Column.wide("Containers", o -> containers(o, "name")),
                    Column.wide("Images", o -> containers(o, "image")),
                    Column.wide("Selector", o -> selector(o.path("spec").path("selector").path("matchLabels"))));
            case "replicasets.apps" -> List.of(name(),
                    Column.integer("Desired", o -> integer(o, "spec", "replicas")),
                    Column.integer("Current", o -> integer(o, "status", "replicas")),
                    Column.integer("Ready", o -> integer(o, "status", "readyReplicas")), age(),
                    Column.wide("Containers", o -> containers(o, "name")),
                    Column.wide("Images", o -> containers(o, "image")),
                    Column.wide("Selector", o -> selector(o.path("spec").path("selector").path("matchLabels"))));
            case "statefulsets.apps" -> List.of(name(),
                    Column.of("Ready", o -> integer(o, "status", "readyReplicas") + "/"
                            + integer(o, "spec", "replicas")), age(),
                    Column.wide("Containers", o -> containers(o, "name")),
                    Column.wide("Images", o -> containers(o, "image")));
            case "daemonsets.apps" -> List.of(name(),
                    Column.integer("Desired", o -> integer(o, "status", "desiredNumberScheduled")),
                    Column.integer("Current", o -> integer(o, "status", "currentNumberScheduled")),
                    Column.integer("Ready", o -> integer(o, "status", "numberReady")),
                    Column.integer("Up-to-date", o -> integer(o, "status", "updatedNumberScheduled")),
                    Column.integer("Available", o -> integer(o, "status", "numberAvailable")),
                    Column.of("Node Selector", o -> orNone(selector(o.path("spec").path("template").path("spec")
                            .path("nodeSelector")))), age());
            case "jobs.batch" -> List.of(name(), Column.of("Status", TableColumns::jobStatus),
                    Column.of("Completions", o -> integer(o, "status", "succeeded") + "/"
                            + (o.path("spec").has("completions") ? integer(o, "spec", "completions") : 1)),
                    Column.of("Duration", this::jobDuration), age());
            case "cronjobs.batch" -> List.of(name(), Column.of("Schedule", o -> text(o, "spec", "schedule")),
                    Column.of("Timezone", o -> orNone(text(o, "spec", "timeZone"))),
                    Column.of("Suspend", o -> Boolean.toString(o.path("spec").path("suspend").asBoolean(false))),
                    Column.integer("Active", o -> size(o.path("status").path("active"))),
                    Column.of("Last Schedule", o -> since(text(o, "status", "lastScheduleTime"), "<none>")), age());
            case "nodes" -> List.of(name(), Column.of("Status", TableColumns::nodeStatus),
                    Column.of("Roles", TableColumns::nodeRoles), age(),
                    Column.of("Version", o -> text(o, "status", "nodeInfo", "kubeletVersion")));
            case "events", "events.events.k8s.io" -> List.of(
                    Column.of("Last Seen", o -> since(firstNonEmpty(text(o, "lastTimestamp"),
                            text(o, "eventTime"), text(o, "metadata", "creationTimestamp")), "<unknown>")),
                    Column.of("Type", o -> text(o, "type")), Column.of("Reason", o -> text(o, "reason")),
                    Column.of("Object", o -> text(o, "involvedObject", "kind").toLowerCase(java.util.Locale.ROOT)
                            + "/" + text(o, "involvedObject", "name")),
                    Column.of("Message", o -> text(o, "message")));
            case "leases.coordination.k8s.io" -> List.of(name(),
                    Column.of("Holder", o -> text(o, "spec", "holderIdentity")), age());
            case "endpoints" -> List.of(name(), Column.of("Endpoints", TableColumns::endpoints), age());
            case "endpointslices.discovery.k8s.io" -> List.of(name(),
                    Column.of("AddressType", o -> text(o, "addressType")),
                    Column.of("Ports", TableColumns::slicePorts),
                    Column.of("Endpoints", TableColumns::sliceAddresses), age());
            default -> MoreKindColumns.forResource(this, key).orElseGet(this::nameAndCreatedAt);
        };
    }

    /** Upstream's default table for kinds without printers of their own. */
    private List<Column> nameAndCreatedAt() {
        return List.of(name(), new Column("Created At", "date", "", 0,
                "CreationTimestamp is a timestamp representing the server time when this object was created.",
                o -> text(o, "metadata", "creationTimestamp")));
    }

    Column name() {
        return new Column("Name", "string", "name", 0,
                "Name must be unique within a namespace.", o -> text(o, "metadata", "name"));
    }

    Column age() {
        return new Column("Age", "string", "", 0,
                "CreationTimestamp is a timestamp representing the server time when this object was created.",
                o -> since(text(o, "metadata", "creationTimestamp"), "<unknown>"));
    }

    String since(String timestamp, String absent) {
        if (timestamp == null || timestamp.isEmpty()) {
            return absent;
        }
        try {
            return HumanDuration.format(Duration.between(Instant.parse(timestamp), clock.instant()));
        } catch (java.time.format.DateTimeParseException e) {
            return absent;
        }
    }

    static String text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String part : path) {
            current = current.path(part);
        }
        return current.isValueNode() ? current.asText() : "";
    }

    static long integer(JsonNode node, String... path) {
        JsonNode current = node;
        for (String part : path) {
            current = current.path(part);
        }
        return current.asLong(0);
    }

    static int size(JsonNode node) {
        return node.isContainerNode() ? node.size() : 0;
    }

    static String orNone(String value) {
        return value == null || value.isEmpty() ? "<none>" : value;
    }

    static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return "";
    }

    static String selector(JsonNode labels) {
        if (!labels.isObject() || labels.isEmpty()) {
            return "<none>";
        }
        StringJoiner joiner = new StringJoiner(",");
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            joiner.add(entry.getKey() + "=" + entry.getValue().asText());
        }
        return joiner.toString();
    }

    static String containers(ObjectNode o, String field) {
        StringJoiner joiner = new StringJoiner(",");
        for (JsonNode container : o.path("spec").path("template").path("spec").path("containers")) {
            joiner.add(container.path(field).asText());
        }
        return joiner.toString();
    }

    private static String externalIps(ObjectNode o) {
        if (text(o, "spec", "type").equals("ExternalName")) {
            // kubectl shows the name an ExternalName service points at in this column.
            return orNone(text(o, "spec", "externalName"));
        }
        List<String> ips = new ArrayList<>();
        o.path("spec").path("externalIPs").forEach(ip -> ips.add(ip.asText()));
        o.path("status").path("loadBalancer").path("ingress").forEach(ingress ->
                ips.add(ingress.has("ip") ? ingress.path("ip").asText() : ingress.path("hostname").asText()));
        if (!ips.isEmpty()) {
            return String.join(",", ips);
        }
        return text(o, "spec", "type").equals("LoadBalancer") ? "<pending>" : "<none>";
    }

    private static String servicePorts(ObjectNode o) {
        StringJoiner joiner = new StringJoiner(",");
        for (JsonNode port : o.path("spec").path("ports")) {
            String text = port.path("port").asText();
            if (port.has("nodePort")) {
                text += ":" + port.path("nodePort").asText();
            }
            joiner.add(text + "/" + port.path("protocol").asText("TCP"));
        }
        String ports = joiner.toString();
        return ports.isEmpty() ? "<none>" : ports;
    }

    private static String jobStatus(ObjectNode o) {
        for (JsonNode condition : o.path("status").path("conditions")) {
            if (condition.path("status").asText().equals("True")) {
                String type = condition.path("type").asText();
                if (type.equals("Complete")) {
                    return "Complete";
                }
                if (type.equals("Failed")) {
                    return "Failed";
                }
            }
        }
        return o.path("spec").path("suspend").asBoolean(false) ? "Suspended" : "Running";
    }

    private String jobDuration(ObjectNode o) {
        String start = text(o, "status", "startTime");
        if (start.isEmpty()) {
            return "";
        }
        String end = text(o, "status", "completionTime");
        Instant until = end.isEmpty() ? clock.instant() : Instant.parse(end);
        return HumanDuration.format(Duration.between(Instant.parse(start), until));
    }

    private static String nodeStatus(ObjectNode o) {
        String ready = "Unknown";
        for (JsonNode condition : o.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                ready = condition.path("status").asText().equals("True") ? "Ready" : "NotReady";
            }
        }
        if (o.path("spec").path("unschedulable").asBoolean(false)) {
            ready += ",SchedulingDisabled";
        }
        return ready;
    }

    private static String nodeRoles(ObjectNode o) {
        List<String> roles = new ArrayList<>();
        for (Iterator<String> it = o.path("metadata").path("labels").fieldNames(); it.hasNext(); ) {
            String label = it.next();
            if (label.startsWith("node-role.kubernetes.io/")) {
                roles.add(label.substring("node-role.kubernetes.io/".length()));
            } else if (label.equals("kubernetes.io/role")) {
                roles.add(o.path("metadata").path("labels").path(label).asText());
            }
        }
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    /** kubectl's PORTS of an EndpointSlice: the first three port numbers (name, or "*" when unset). */
    private static String slicePorts(ObjectNode o) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : o.path("ports")) {
            ports.add(port.hasNonNull("port") ? port.path("port").asText()
                    : port.hasNonNull("name") ? port.path("name").asText() : "*");
        }
        return firstThree(ports);
    }

    /** kubectl's ENDPOINTS of an EndpointSlice: the first three addresses over all endpoints. */
    private static String sliceAddresses(ObjectNode o) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode endpoint : o.path("endpoints")) {
            endpoint.path("addresses").forEach(a -> addresses.add(a.asText()));
        }
        return firstThree(addresses);
    }

    private static String firstThree(List<String> values) {
        if (values.isEmpty()) {
            return "<unset>";
        }
        if (values.size() > 3) {
            return String.join(",", values.subList(0, 3)) + " + " + (values.size() - 3) + " more...";
        }
        return String.join(",", values);
    }

    private static String endpoints(ObjectNode o) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode subset : o.path("subsets")) {
            for (JsonNode address : subset.path("addresses")) {
                for (JsonNode port : subset.path("ports")) {
                    addresses.add(address.path("ip").asText() + ":" + port.path("port").asText());
                }
            }
        }
        if (addresses.isEmpty()) {
            return "<none>";
        }
        if (addresses.size() > 3) {
            return String.join(",", addresses.subList(0, 3)) + " + " + (addresses.size() - 3) + " more...";
        }
        return String.join(",", addresses);
    }
}
