package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An amount of the resources the scheduler accounts for: CPU (millicores), memory and ephemeral storage (bytes), and
 * scalar resources (extended resources such as {@code nvidia.com/gpu}, {@code hugepages-*}), as upstream's
 * {@code framework.Resource}. Pod counts are kept apart (a node's {@code pods} allocatable).
 *
 * @param scalar scalar resources by name, in whole units, sorted by name (deterministic messages)
 */
public record Resources(long milliCpu, long memory, long ephemeralStorage, Map<String, Long> scalar) {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public static final Resources NONE = new Resources(0, 0, 0, Map.of());

    public Resources {
        scalar = Collections.unmodifiableSortedMap(new TreeMap<>(scalar));
    }

    /** Reads a {@code ResourceList} (allocatable, requests, overhead); unknown non-scalar names are ignored. */
    public static Resources of(Map<String, Quantity> list) {
        if (list == null || list.isEmpty()) {
            return NONE;
        }
        long cpu = 0;
        long memory = 0;
        long ephemeral = 0;
        Map<String, Long> scalar = new TreeMap<>();
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            switch (e.getKey()) {
                case CPU -> cpu = Quantities.milli(e.getValue());
                case MEMORY -> memory = Quantities.value(e.getValue());
                case EPHEMERAL_STORAGE -> ephemeral = Quantities.value(e.getValue());
                default -> {
                    if (isScalar(e.getKey())) {
                        scalar.put(e.getKey(), Quantities.value(e.getValue()));
                    }
                }
            }
        }
        return new Resources(cpu, memory, ephemeral, scalar);
    }

    /**
     * Whether the scheduler accounts for a resource as a scalar: extended resources (domain-qualified names),
     * {@code hugepages-*} and {@code attachable-volumes-*}, as upstream's {@code IsScalarResourceName}.
     */
    public static boolean isScalar(String name) {
        return name.contains("/") || name.startsWith("hugepages-") || name.startsWith("attachable-volumes-");
    }

    public long scalar(String name) {
        return scalar.getOrDefault(name, 0L);
    }

    public boolean isZero() {
        if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) {
            return false;
        }
        for (long v : scalar.values()) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
