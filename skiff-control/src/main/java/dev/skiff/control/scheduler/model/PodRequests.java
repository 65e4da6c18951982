package dev.skiff.control.scheduler.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's effective requests, computed as upstream's {@code resourcehelper.PodRequests}:
 * <ul>
 *   <li>the sum of the regular containers' requests, plus restartable init containers (sidecars,
 *       {@code restartPolicy: Always}) which keep running beside them;</li>
 *   <li>the maximum of that and each ordinary init container's requests plus the sidecars started before it (init
 *       containers run one at a time);</li>
 *   <li>plus {@code spec.overhead} (RuntimeClass pod overhead).</li>
 * </ul>
 * A container's missing request defaults to its limit, as the API server's pod defaulting does upstream (Skiff's
 * scheduler must not depend on that defaulting having run).
 *
 * <p>{@link #nonZero} is the variant scoring uses ({@code NonMissingContainerRequests}): a container with no CPU or
 * memory request counts 100m CPU and 200 MiB memory, so best-effort pods still spread.
 */
public final class PodRequests {

    /** Upstream's {@code DefaultMilliCPURequest}. */
    public static final long DEFAULT_MILLI_CPU = 100;
    /** Upstream's {@code DefaultMemoryRequest}: 200 MiB. */
    public static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    private PodRequests() {
    }

    /** The requests the NodeResourcesFit filter checks and nodes account. */
    public static Resources of(PodSpec spec) {
        return toResources(compute(spec, false));
    }

    /** {@code [milliCpu, memory]} with missing container requests defaulted, for scoring. */
    public static long[] nonZero(PodSpec spec) {
        Map<String, Long> reqs = compute(spec, true);
        return new long[]{reqs.getOrDefault(Resources.CPU, 0L), reqs.getOrDefault(Resources.MEMORY, 0L)};
    }

    private static Map<String, Long> compute(PodSpec spec, boolean nonMissing) {
        Map<String, Long> reqs = new HashMap<>();
        if (spec == null) {
            return reqs;
        }
        for (Container c : nullSafe(spec.getContainers())) {
            add(reqs, container(c, nonMissing));
        }
        Map<String, Long> sidecars = new HashMap<>();
        Map<String, Long> initMax = new HashMap<>();
        for (Container c : nullSafe(spec.getInitContainers())) {
            Map<String, Long> own = container(c, nonMissing);
            Map<String, Long> whileRunning;
            if ("Always".equals(c.getRestartPolicy())) {
                add(reqs, own);
                add(sidecars, own);
                whileRunning = new HashMap<>(sidecars);
            } else {
                whileRunning = new HashMap<>(own);
                add(whileRunning, sidecars);
            }
            max(initMax, whileRunning);
        }
        max(reqs, initMax);
        if (spec.getOverhead() != null) {
            add(reqs, units(spec.getOverhead()));
        }
        return reqs;
    }

    private static Map<String, Long> container(Container c, boolean nonMissing) {
        ResourceRequirements resources = c.getResources();
        Map<String, Long> reqs = new HashMap<>();
        if (resources != null) {
            if (resources.getLimits() != null) {
                reqs.putAll(units(resources.getLimits()));
            }
            if (resources.getRequests() != null) {
                reqs.putAll(units(resources.getRequests()));
            }
        }
        if (nonMissing) {
            reqs.putIfAbsent(Resources.CPU, DEFAULT_MILLI_CPU);
            reqs.putIfAbsent(Resources.MEMORY, DEFAULT_MEMORY);
        }
        return reqs;
    }

    private static Map<String, Long> units(Map<String, Quantity> list) {
        Map<String, Long> out = new HashMap<>();
        list.forEach((name, q) -> out.put(name, Quantities.of(name, q)));
        return out;
    }

    private static void add(Map<String, Long> into, Map<String, Long> more) {
        more.forEach((k, v) -> into.merge(k, v, PodRequests::saturatedAdd));
    }

    private static void max(Map<String, Long> into, Map<String, Long> other) {
        other.forEach((k, v) -> into.merge(k, v, Math::max));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static Resources toResources(Map<String, Long> reqs) {
        Map<String, Long> scalar = new HashMap<>();
        reqs.forEach((k, v) -> {
            if (Resources.isScalar(k)) {
                scalar.put(k, v);
            }
        });
        return new Resources(reqs.getOrDefault(Resources.CPU, 0L), reqs.getOrDefault(Resources.MEMORY, 0L),
                reqs.getOrDefault(Resources.EPHEMERAL_STORAGE, 0L), scalar);
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
