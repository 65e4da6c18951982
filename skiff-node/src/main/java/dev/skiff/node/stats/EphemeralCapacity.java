package dev.skiff.node.stats;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * The ephemeral storage an elastic container instance has, by ECI's rules (seeds 000 and 004): 30 GiB by default,
 * plus what {@code k8s.aliyun.com/eci-extra-ephemeral-storage} adds (e.g. {@code "50Gi"}); and whether the pod
 * asked, with {@code k8s.aliyun.com/eci-eviction-enable: "true"}, to be evicted when it runs out. Pure.
 */
public final class EphemeralCapacity {

    /** ECI's default size of an instance's temporary storage. */
    public static final long DEFAULT_BYTES = 30L << 30;
    public static final String EXTRA_ANNOTATION = "k8s.aliyun.com/eci-extra-ephemeral-storage";
    public static final String EVICTION_ANNOTATION = "k8s.aliyun.com/eci-eviction-enable";

    private EphemeralCapacity() {
    }

    /**
     * The instance's ephemeral storage in bytes: the default plus the extra annotation. An extra that is not a
     * non-negative quantity adds nothing (admission is where such a value would be refused; the node only reads).
     */
    public static long bytes(Pod pod) {
        return DEFAULT_BYTES + extraBytes(annotations(pod).get(EXTRA_ANNOTATION));
    }

    /** Whether the pod asked to be evicted when its instance runs out of ephemeral storage. */
    public static boolean evictionEnabled(Pod pod) {
        return "true".equalsIgnoreCase(String.valueOf(annotations(pod).get(EVICTION_ANNOTATION)).trim());
    }

    static long extraBytes(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long bytes = Quantity.getAmountInBytes(new Quantity(value.trim())).longValue();
            return Math.max(0, bytes);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static Map<String, String> annotations(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
