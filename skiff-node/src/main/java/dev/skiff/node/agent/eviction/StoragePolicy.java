package dev.skiff.node.agent.eviction;

import dev.skiff.node.stats.EphemeralCapacity;
import dev.skiff.node.stats.PodStorage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Judges a pod's ephemeral storage. The kubelet's local storage checks come first and in its order
 * ({@code localStorageEviction} in {@code pkg/kubelet/eviction/eviction_manager.go}), with its messages, each
 * followed by the usage measured (the kubelet names only the limit):
 * <ol>
 *   <li>an emptyDir over its {@code sizeLimit};</li>
 *   <li>the pod's total (writable layers, logs, disk-backed emptyDir and configMap volumes) over the sum of its
 *       containers' {@code limits.ephemeral-storage}, when any container sets one;</li>
 *   <li>one container's writable layer and logs over its own limit.</li>
 * </ol>
 * These always evict, as the kubelet always enforces them. Then ECI's rule: the total over the instance's ephemeral
 * storage ({@link EphemeralCapacity}) evicts when the pod carries {@code k8s.aliyun.com/eci-eviction-enable: "true"}
 * and otherwise yields {@link Verdict.Exhausted}. Usage equal to a limit is within it (the kubelet compares with
 * "greater than"). Pure, thread-safe.
 */
public final class StoragePolicy {

    private StoragePolicy() {
    }

    public static Verdict judge(Pod pod, PodStorage storage) {
        String usage = " Usage: " + Quantities.binary(storage.totalBytes()) + ".";
        for (PodStorage.VolumeUsage v : storage.volumes()) {
            if (v.sizeLimitBytes() > 0 && v.usedBytes() > v.sizeLimitBytes()) {
                return new Verdict.Evict("Usage of EmptyDir volume \"" + v.name() + "\" exceeds the limit \""
                        + Quantities.binary(v.sizeLimitBytes()) + "\". Usage: " + Quantities.binary(v.usedBytes())
                        + ".", false);
            }
        }
        BigDecimal podLimit = null;
        String podLimitText = null;
        for (Container c : pod.getSpec().getContainers()) {
            Quantity limit = limit(c);
            if (limit != null) {
                BigDecimal bytes = Quantity.getAmountInBytes(limit);
                // One limit is printed as written; a sum as a binary quantity.
                podLimitText = podLimit == null ? limit.toString() : Quantities.binary(podLimit.add(bytes)
                        .longValue());
                podLimit = podLimit == null ? bytes : podLimit.add(bytes);
            }
        }
        if (podLimit != null && BigDecimal.valueOf(storage.totalBytes()).compareTo(podLimit) > 0) {
            return new Verdict.Evict("Pod ephemeral local storage usage exceeds the total limit of containers "
                    + podLimitText + "." + usage, false);
        }
        for (Container c : pod.getSpec().getContainers()) {
            Quantity limit = limit(c);
            if (limit == null || Quantity.getAmountInBytes(limit).signum() == 0) {
                continue;
            }
            long used = storage.containers().container(c.getName()).map(u -> u.totalBytes()).orElse(0L);
            if (BigDecimal.valueOf(used).compareTo(Quantity.getAmountInBytes(limit)) > 0) {
                return new Verdict.Evict("Container " + c.getName() + " exceeded its local ephemeral storage limit \""
                        + limit + "\". Usage: " + Quantities.binary(used) + ".", false);
            }
        }
        if (storage.totalBytes() > storage.capacityBytes()) {
            String message = "The instance was low on resource: ephemeral-storage. Pod ephemeral storage usage "
                    + Quantities.binary(storage.totalBytes()) + " exceeds the instance's "
                    + Quantities.binary(storage.capacityBytes()) + " (" + Quantities.binary(
                    EphemeralCapacity.DEFAULT_BYTES) + " by default, more with "
                    + EphemeralCapacity.EXTRA_ANNOTATION + ").";
            return EphemeralCapacity.evictionEnabled(pod) ? new Verdict.Evict(message, true)
                    : new Verdict.Exhausted(message + " Not evicted: the pod does not set "
                    + EphemeralCapacity.EVICTION_ANNOTATION + ": \"true\".");
        }
        return new Verdict.Within();
    }

    private static Quantity limit(Container c) {
        if (c.getResources() == null) {
            return null;
        }
        Map<String, Quantity> limits = c.getResources().getLimits();
        return limits == null ? null : limits.get("ephemeral-storage");
    }
}
