package dev.skiff.node.agent.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The downward API: a pod's own fields ({@code fieldRef.fieldPath}) and its containers' resources
 * ({@code resourceFieldRef}) as strings, for environment variables and downwardAPI volume files. Mirrors upstream's
 * {@code fieldpath.ExtractFieldPathAsString}, the kubelet's {@code podFieldSelectorRuntimeValue} and
 * {@code resource.ExtractContainerResourceValue}. Pure.
 *
 * @param pod    the pod
 * @param podIp  the address the agent gave the pod (its status may not show it yet when the container is created)
 * @param hostIp the node's address
 */
public record DownwardApi(Pod pod, String podIp, String hostIp) {

    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    /**
     * Limits a container leaves unset are reported as the instance's size: an elastic container instance without
     * limits gets 2 vCPU and 4 GiB (seed 004), as a kubelet reports the node's allocatable for them.
     */
    static final Map<String, Quantity> DEFAULT_LIMITS = Map.of(
            "cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "ephemeral-storage", new Quantity("30Gi"));

    /** The value of {@code fieldPath}; throws for one the downward API does not offer. */
    public String field(String fieldPath) throws ContainerConfigException {
        var meta = pod.getMetadata();
        Matcher m = SUBSCRIPT.matcher(fieldPath);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
            String value = map == null ? null : map.get(m.group(2));
            return value == null ? "" : value;
        }
        return switch (fieldPath) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            // Whole maps are only offered in volumes (validation refuses them in env): one key="value" per line.
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.hostIP", "status.hostIPs" -> nullToEmpty(hostIp);
            case "status.podIP", "status.podIPs" -> nullToEmpty(podIp);
            default -> throw new ContainerConfigException("unsupported fieldPath: " + fieldPath);
        };
    }

    /**
     * The value of a {@code resourceFieldRef} of {@code container} (upstream's {@code ExtractContainerResourceValue}):
     * CPU rounded up to whole divisors (1 by default, so 250m reads "1"), memory and ephemeral storage rounded up
     * to whole divisors.
     */
    public static String resource(Container container, ResourceFieldSelector selector)
            throws ContainerConfigException {
        String name = selector.getResource();
        Quantity divisor = selector.getDivisor() == null ? new Quantity("1") : selector.getDivisor();
        String[] parts = name == null ? new String[0] : name.split("\\.", 2);
        if (parts.length != 2 || !List.of("limits", "requests").contains(parts[0])
                || !List.of("cpu", "memory", "ephemeral-storage").contains(parts[1])) {
            throw new ContainerConfigException("unsupported container resource : " + name);
        }
        var resources = container.getResources();
        Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
        Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
        Quantity value;
        if (parts[0].equals("limits")) {
            value = limits == null ? null : limits.get(parts[1]);
            if (value == null) {
                value = DEFAULT_LIMITS.get(parts[1]);
            }
        } else {
            value = requests == null ? null : requests.get(parts[1]);
            // The API defaults a missing request to the limit.
            if (value == null && limits != null) {
                value = limits.get(parts[1]);
            }
        }
        BigDecimal amount = value == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(value);
        BigDecimal by = Quantity.getAmountInBytes(divisor);
        if (by.signum() <= 0) {
            throw new ContainerConfigException("invalid divisor for " + name + ": " + divisor);
        }
        return amount.divide(by, 0, RoundingMode.CEILING).toPlainString();
    }

    private static String formatMap(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (var e : new TreeMap<>(map).entrySet()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
        }
        return out.toString();
    }

    /** Go's strconv.Quote escaping of the value, as upstream's FormatMap writes it. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
