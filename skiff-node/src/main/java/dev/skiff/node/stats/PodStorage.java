package dev.skiff.node.stats;

import dev.skiff.node.runtime.EphemeralUsage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One pod's ephemeral storage as the kubelet sums it for the Summary's {@code ephemeral-storage} and for eviction:
 * the containers' writable layers and logs (from the runtime) plus its disk-backed volumes.
 *
 * @param containers    what the runtime reported for the containers
 * @param volumes       the pod's measured volumes
 * @param capacityBytes the instance's ephemeral storage ({@link EphemeralCapacity})
 */
public record PodStorage(Instant time, EphemeralUsage containers, List<VolumeUsage> volumes, long capacityBytes) {

    public PodStorage {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(containers, "containers");
        volumes = List.copyOf(volumes);
    }

    /**
     * @param name      the volume
     * @param usedBytes bytes of the files in it
     * @param ephemeral whether it counts towards the pod's ephemeral storage (the kubelet counts disk-backed
     *                  emptyDir and configMap volumes: {@code isVolumeEphemeral}; memory-backed emptyDir counts
     *                  towards memory instead)
     * @param sizeLimitBytes the emptyDir's {@code sizeLimit}, or 0 for none
     */
    public record VolumeUsage(String name, long usedBytes, boolean ephemeral, long sizeLimitBytes) {
    }

    /** Everything that counts: containers' writable layers and logs plus the ephemeral volumes. */
    public long totalBytes() {
        return containers.totalBytes() + volumes.stream().filter(VolumeUsage::ephemeral)
                .mapToLong(VolumeUsage::usedBytes).sum();
    }
}
