package dev.skiff.apiserver.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.status.Status;
import java.util.List;

/**
 * What an elastic container instance never runs: every pod is its own sandbox without access to the host, so
 * privileged containers, the host's network/PID/IPC namespaces, hostPath volumes and host ports are refused at
 * admission with 422 Invalid naming the field (the {@code FieldValueForbidden} cause a PodSecurity "restricted"
 * rejection would also name), before a node agent ever sees them. Applies to every pod: in a nodeless cluster any
 * pod may be placed on a virtual node (decision 030). Stateless.
 */
final class SandboxPolicy {

    private static final String WHY = "not allowed: pods run in elastic container instances, sandboxes without "
            + "access to the host";

    private SandboxPolicy() {
    }

    static void check(JsonNode spec, List<Status.Cause> causes) {
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (spec.path(field).asBoolean(false)) {
                causes.add(forbidden("spec." + field));
            }
        }
        JsonNode volumes = spec.path("volumes");
        for (int i = 0; i < volumes.size(); i++) {
            if (volumes.get(i).has("hostPath")) {
                causes.add(forbidden("spec.volumes[" + i + "].hostPath"));
            }
        }
        containers(spec, "initContainers", causes);
        containers(spec, "containers", causes);
        containers(spec, "ephemeralContainers", causes);
    }

    private static void containers(JsonNode spec, String kind, List<Status.Cause> causes) {
        JsonNode list = spec.path(kind);
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String path = "spec." + kind + "[" + i + "]";
            if (c.path("securityContext").path("privileged").asBoolean(false)) {
                causes.add(forbidden(path + ".securityContext.privileged"));
            }
            JsonNode ports = c.path("ports");
            for (int p = 0; p < ports.size(); p++) {
                if (ports.get(p).path("hostPort").asInt(0) != 0) {
                    causes.add(forbidden(path + ".ports[" + p + "].hostPort"));
                }
            }
        }
    }

    private static Status.Cause forbidden(String field) {
        return new Status.Cause("FieldValueForbidden", "Forbidden: " + WHY, field);
    }
}
