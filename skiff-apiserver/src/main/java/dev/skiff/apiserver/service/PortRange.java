package dev.skiff.apiserver.service;

/**
 * The range node ports come from (kube-apiserver's {@code --service-node-port-range}, 30000-32767 by default).
 *
 * @param base the first port
 * @param size how many ports
 */
public record PortRange(int base, int size) {

    public static final PortRange DEFAULT = new PortRange(30000, 2768);

    public PortRange {
        if (base < 1 || size < 1 || base + size - 1 > 65535) {
            throw new IllegalArgumentException("invalid port range " + base + "+" + size);
        }
    }

    /** Parses {@code first-last}. Throws IllegalArgumentException if invalid. */
    public static PortRange parse(String text) {
        int dash = text.indexOf('-');
        try {
            int first = Integer.parseInt(text.substring(0, dash).trim());
            int last = Integer.parseInt(text.substring(dash + 1).trim());
            if (last < first) {
                throw new IllegalArgumentException("invalid port range " + text);
            }
            return new PortRange(first, last - first + 1);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid port range " + text);
        }
    }

    public boolean contains(int port) {
        return port >= base && port < base + size;
    }

    /**
     * How many of the first ports are kept for clients that ask for a specific one (upstream's
     * ServiceNodePortStaticSubrange: min(max(16, size/32), 128)).
     */
    public int staticBand() {
        if (size <= 16) {
            return 0;
        }
        return Math.min(Math.max(16, size / 32), 128);
    }

    @Override
    public String toString() {
        return base + "-" + (base + size - 1);
    }
}
