package dev.skiff.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The pod columns, with upstream's rules for the STATUS cell (waiting/terminated reasons of init and app
 * containers, "Terminating", "Completed") and READY/RESTARTS counts.
 */
final class PodColumns {

    private PodColumns() {
    }

    static List<Column> columns(TableColumns common) {
        return List.of(common.name(),
                Column.of("Ready", PodColumns::ready),
                Column.of("Status", PodColumns::status),
                Column.integer("Restarts", PodColumns::restarts),
                common.age(),
                Column.wide("IP", o -> TableColumns.orNone(TableColumns.text(o, "status", "podIP"))),
                Column.wide("Node", o -> TableColumns.orNone(TableColumns.text(o, "spec", "nodeName"))),
                Column.wide("Nominated Node", o -> TableColumns.orNone(
                        TableColumns.text(o, "status", "nominatedNodeName"))),
                Column.wide("Readiness Gates", PodColumns::readinessGates));
    }

    private static String ready(ObjectNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            if (status.path("ready").asBoolean(false)) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    /**
     * Upstream's printPod: while the pod initializes, the init containers' restarts (a failing init container is
     * what restarts then, so {@code Init:CrashLoopBackOff} shows a growing count); afterwards the app containers'
     * plus those of restartable (sidecar) init containers.
     */
    private static long restarts(ObjectNode pod) {
        long initRestarts = 0;
        long sidecarRestarts = 0;
        boolean initializing = false;
        for (JsonNode status : pod.path("status").path("initContainerStatuses")) {
            long count = status.path("restartCount").asLong(0);
            initRestarts += count;
            if (sidecar(pod, status.path("name").asText())) {
                sidecarRestarts += count;
            }
            JsonNode terminated = status.path("state").path("terminated");
            if (!initializing && !sidecar(pod, status.path("name").asText())
                    && (terminated.isMissingNode() || terminated.path("exitCode").asInt(0) != 0)) {
                initializing = true;
            }
        }
        if (initializing) {
            return initRestarts;
        }
        long restarts = sidecarRestarts;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            restarts += status.path("restartCount").asLong(0);
        }
        return restarts;
    }

    /** An init container with {@code restartPolicy: Always} (a sidecar) keeps running beside the app containers. */
    private static boolean sidecar(ObjectNode pod, String name) {
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            if (c.path("name").asText().equals(name)) {
                return c.path("restartPolicy").asText().equals("Always");
            }
        }
        return false;
    }

    static String status(ObjectNode pod) {
        String reason = TableColumns.text(pod, "status", "reason");
        if (reason.isEmpty()) {
            reason = TableColumns.text(pod, "status", "phase");
        }
        if (reason.isEmpty()) {
            reason = "Pending";
        }
        JsonNode initStatuses = pod.path("status").path("initContainerStatuses");
        int initTotal = pod.path("spec").path("initContainers").size();
        boolean initializing = false;
        int index = 0;
        for (JsonNode status : initStatuses) {
            JsonNode terminated = status.path("state").path("terminated");
            JsonNode waiting = status.path("state").path("waiting");
            if (!terminated.isMissingNode() && terminated.path("exitCode").asInt(0) == 0) {
                index++;
                continue;
            }
            initializing = true;
            if (!terminated.isMissingNode()) {
                reason = terminated.has("reason") ? "Init:" + terminated.path("reason").asText()
                        : "Init:ExitCode:" + terminated.path("exitCode").asInt();
            } else if (!waiting.isMissingNode() && waiting.has("reason")
                    && !waiting.path("reason").asText().equals("PodInitializing")) {
                reason = "Init:" + waiting.path("reason").asText();
            } else {
                reason = "Init:" + index + "/" + initTotal;
            }
            break;
        }
        if (!initializing) {
            boolean running = false;
            for (JsonNode status : pod.path("status").path("containerStatuses")) {
                JsonNode state = status.path("state");
                if (state.path("waiting").has("reason")) {
                    reason = state.path("waiting").path("reason").asText();
                } else if (state.path("terminated").has("reason")) {
                    reason = state.path("terminated").path("reason").asText();
                } else if (!state.path("terminated").isMissingNode()) {
                    reason = "ExitCode:" + state.path("terminated").path("exitCode").asInt();
                } else if (!state.path("running").isMissingNode() && status.path("ready").asBoolean(false)) {
                    running = true;
                }
            }
            if (reason.equals("Completed") && running) {
                reason = "Running";
            }
        }
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            reason = TableColumns.text(pod, "status", "reason").equals("NodeLost") ? "Unknown" : "Terminating";
        }
        return reason;
    }

    private static String readinessGates(ObjectNode pod) {
        JsonNode gates = pod.path("spec").path("readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        int ready = 0;
        for (JsonNode gate : gates) {
            String type = gate.path("conditionType").asText();
            for (JsonNode condition : pod.path("status").path("conditions")) {
                if (condition.path("type").asText().equals(type)
                        && condition.path("status").asText().equals("True")) {
                    ready++;
                }
            }
        }
        return ready + "/" + gates.size();
    }
}
