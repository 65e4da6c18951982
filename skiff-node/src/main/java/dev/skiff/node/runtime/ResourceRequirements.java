package dev.skiff.node.runtime;

import java.util.Objects;

/** A container's {@code resources}: what it is guaranteed (requests) and what it may not exceed (limits). */
public record ResourceRequirements(ComputeResources requests, ComputeResources limits) {

    public static final ResourceRequirements NONE = new ResourceRequirements(ComputeResources.NONE,
            ComputeResources.NONE);

    public ResourceRequirements {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(limits, "limits");
    }
}
