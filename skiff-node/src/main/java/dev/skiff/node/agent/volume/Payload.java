package dev.skiff.node.agent.volume;

import java.util.Arrays;
import java.util.Objects;

/**
 * One file of an atomic-writer volume.
 *
 * @param data the content
 * @param mode the permission bits (e.g. 0644)
 */
public record Payload(byte[] data, int mode) {

    public Payload {
        Objects.requireNonNull(data, "data");
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode must be between 0 and 0777: " + Integer.toOctalString(mode));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && p.mode == mode && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + mode;
    }

    @Override
    public String toString() {
        return "Payload[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}
