package dev.skiff.node.runtime;

import java.util.Objects;

/**
 * Names one instance within a runtime. The node agent uses the pod's {@code metadata.uid}, so a pod deleted and
 * recreated under the same name is a different instance (as the kubelet keys its pod workers by UID).
 *
 * @param value non-blank, at most 253 characters (room for a UID or a qualified name)
 */
public record InstanceId(String value) implements Comparable<InstanceId> {

    public InstanceId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 253) {
            throw new IllegalArgumentException("instance id must be 1..253 non-blank characters: '" + value + "'");
        }
    }

    public static InstanceId of(String value) {
        return new InstanceId(value);
    }

    @Override
    public int compareTo(InstanceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
