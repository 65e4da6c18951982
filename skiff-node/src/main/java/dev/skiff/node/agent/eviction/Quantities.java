package dev.skiff.node.agent.eviction;

/**
 * Byte counts written as Kubernetes writes a binary-SI quantity ({@code resource.NewQuantity(n, BinarySI)}): the
 * largest suffix that divides the value exactly ({@code 20Mi}, {@code 40964Ki}), else plain bytes.
 */
final class Quantities {

    private static final String[] SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private Quantities() {
    }

    static String binary(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        long value = bytes;
        int suffix = 0;
        while (suffix < SUFFIXES.length - 1 && value % 1024 == 0) {
            value /= 1024;
            suffix++;
        }
        return value + SUFFIXES[suffix];
    }
}
