package dev.skiff.node.agent;

import dev.skiff.node.runtime.ContainerSecurity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's effective security context: the container's {@code securityContext} over the pod's, as the
 * kubelet's {@code determineEffectiveSecurityContext} merges them (runAsUser/runAsGroup from the container when
 * set, else the pod; supplementalGroups and fsGroup from the pod). Privileged and host namespaces have no place
 * here: admission refuses them. Pure.
 */
final class ContainerSecurities {

    private ContainerSecurities() {
    }

    static ContainerSecurity of(PodSecurityContext pod, Container container) {
        SecurityContext c = container.getSecurityContext();
        if (pod == null && c == null) {
            return ContainerSecurity.DEFAULT;
        }
        Long user = c != null && c.getRunAsUser() != null ? c.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        Long group = c != null && c.getRunAsGroup() != null ? c.getRunAsGroup()
                : pod == null ? null : pod.getRunAsGroup();
        List<Long> groups = new ArrayList<>();
        if (pod != null && pod.getSupplementalGroups() != null) {
            groups.addAll(pod.getSupplementalGroups());
        }
        if (pod != null && pod.getFsGroup() != null && !groups.contains(pod.getFsGroup())) {
            groups.add(pod.getFsGroup());
        }
        boolean readOnlyRoot = c != null && Boolean.TRUE.equals(c.getReadOnlyRootFilesystem());
        List<String> add = c == null || c.getCapabilities() == null ? null : c.getCapabilities().getAdd();
        List<String> drop = c == null || c.getCapabilities() == null ? null : c.getCapabilities().getDrop();
        Boolean escalation = c == null ? null : c.getAllowPrivilegeEscalation();
        return new ContainerSecurity(user, group, groups, readOnlyRoot, add, drop, escalation);
    }
}
