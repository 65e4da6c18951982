package dev.skiff.node.runtime;

import java.util.List;

/**
 * A container's effective {@code securityContext} (the pod's merged with the container's by the node agent), as far
 * as a sandbox honours it. There is deliberately no "privileged" and no host namespace here: an elastic container
 * instance never gets them (admission rejects such pods before they reach a runtime).
 *
 * @param runAsUser              the uid to run as, or null for the image's user
 * @param runAsGroup             the primary gid, or null for the image's
 * @param supplementalGroups     extra gids (the pod's {@code supplementalGroups} and {@code fsGroup})
 * @param readOnlyRootFilesystem whether the container's root filesystem is mounted read-only
 * @param addCapabilities        capabilities added to the runtime's default set, without the {@code CAP_} prefix
 * @param dropCapabilities       capabilities dropped from it ({@code ALL} drops every one)
 * @param allowPrivilegeEscalation false sets no_new_privs; null keeps the runtime's default (true, as upstream)
 */
public record ContainerSecurity(Long runAsUser, Long runAsGroup, List<Long> supplementalGroups,
                                boolean readOnlyRootFilesystem, List<String> addCapabilities,
                                List<String> dropCapabilities, Boolean allowPrivilegeEscalation) {

    /** No security context: the image's user, the runtime's default capabilities and seccomp profile. */
    public static final ContainerSecurity DEFAULT = new ContainerSecurity(null, null, null, false, null, null, null);

    public ContainerSecurity {
        supplementalGroups = supplementalGroups == null ? List.of() : List.copyOf(supplementalGroups);
        addCapabilities = addCapabilities == null ? List.of() : List.copyOf(addCapabilities);
        dropCapabilities = dropCapabilities == null ? List.of() : List.copyOf(dropCapabilities);
    }
}
