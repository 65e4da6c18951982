package dev.skiff.node.runtime;

/**
 * Amounts of the resources an instance is sized and billed by. Zero means "not set".
 *
 * @param cpuMillis             CPU in millicores ({@code 250m} is 250, {@code 2} is 2000)
 * @param memoryBytes           memory in bytes
 * @param ephemeralStorageBytes local writable storage in bytes
 */
public record ComputeResources(long cpuMillis, long memoryBytes, long ephemeralStorageBytes) {

    public static final ComputeResources NONE = new ComputeResources(0, 0, 0);

    public ComputeResources {
        if (cpuMillis < 0 || memoryBytes < 0 || ephemeralStorageBytes < 0) {
            throw new IllegalArgumentException("resource amounts must not be negative");
        }
    }

    public static ComputeResources of(long cpuMillis, long memoryBytes) {
        return new ComputeResources(cpuMillis, memoryBytes, 0);
    }

    public ComputeResources plus(ComputeResources other) {
        return new ComputeResources(cpuMillis + other.cpuMillis, memoryBytes + other.memoryBytes,
                ephemeralStorageBytes + other.ephemeralStorageBytes);
    }
}
