package dev.skiff.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The TARGETS cell of a HorizontalPodAutoscaler as upstream's {@code formatHPAMetrics} prints it: per metric
 * "current/target" ({@code <unknown>} before the autoscaler measured), resources prefixed with their name, averages
 * of object and external metrics marked "(avg)", at most two metrics and "+ N more...". An autoscaling/v1 object
 * is read as its v2 form would be: one CPU utilization metric (80% when unset, v1's default).
 */
final class HpaTargets {

    private static final int MAX_SHOWN = 2;
    private static final int V1_DEFAULT_CPU = 80;
    private static final String UNKNOWN = "<unknown>";

    private HpaTargets() {
    }

    static String format(ObjectNode hpa) {
        JsonNode spec = hpa.path("spec");
        JsonNode status = hpa.path("status");
        if (!spec.has("metrics") && hpa.path("apiVersion").asText("").equals("autoscaling/v1")) {
            String current = status.has("currentCPUUtilizationPercentage")
                    ? status.path("currentCPUUtilizationPercentage").asInt() + "%" : UNKNOWN;
            return "cpu: " + current + "/" + spec.path("targetCPUUtilizationPercentage").asInt(V1_DEFAULT_CPU)
                    + "%";
        }
        JsonNode metrics = spec.path("metrics");
        if (metrics.isEmpty()) {
            return "<none>";
        }
        JsonNode statuses = status.path("currentMetrics");
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            shown.add(metric(metrics.get(i), statuses.path(i)));
        }
        if (shown.size() > MAX_SHOWN) {
            return String.join(", ", shown.subList(0, MAX_SHOWN)) + " + " + (shown.size() - MAX_SHOWN) + " more...";
        }
        return String.join(", ", shown);
    }

    private static String metric(JsonNode metric, JsonNode status) {
        return switch (metric.path("type").asText()) {
            case "External" -> valueOrAverage(metric.path("external").path("target"),
                    status.path("external").path("current"));
            case "Object" -> valueOrAverage(metric.path("object").path("target"),
                    status.path("object").path("current"));
            case "Pods" -> current(status.path("pods").path("current"), "averageValue") + "/"
                    + metric.path("pods").path("target").path("averageValue").asText("");
            case "Resource" -> resource(metric.path("resource"), status.path("resource"));
            case "ContainerResource" -> resource(metric.path("containerResource"),
                    status.path("containerResource"));
            default -> "<unknown type>";
        };
    }

    private static String valueOrAverage(JsonNode target, JsonNode current) {
        if (target.has("averageValue")) {
            return current(current, "averageValue") + "/" + target.path("averageValue").asText() + " (avg)";
        }
        return current(current, "value") + "/" + target.path("value").asText("");
    }

    private static String resource(JsonNode source, JsonNode status) {
        String name = source.path("name").asText("");
        JsonNode target = source.path("target");
        if (target.has("averageValue")) {
            return name + ": " + current(status.path("current"), "averageValue") + "/"
                    + target.path("averageValue").asText();
        }
        JsonNode utilization = status.path("current").path("averageUtilization");
        String current = utilization.isNumber() ? utilization.asInt() + "%" : UNKNOWN;
        String goal = target.has("averageUtilization") ? target.path("averageUtilization").asInt() + "%" : "<auto>";
        return name + ": " + current + "/" + goal;
    }

    private static String current(JsonNode current, String field) {
        return current.has(field) ? current.path(field).asText() : UNKNOWN;
    }
}
