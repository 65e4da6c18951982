package dev.skiff.control.controller.endpoint;

import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Pods;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value of the {@code endpoints.kubernetes.io/last-change-trigger-time} annotation, as upstream's
 * {@code TriggerTimeTracker}: for a service seen for the first time, its creation time; afterwards the earliest
 * trigger time that changed since the previous sync, where a pod's trigger time is its Ready condition's
 * lastTransitionTime and the service's is its creation time; {@code null} when nothing changed.
 *
 * <p>Thread-safe for different services; the controller never computes one service on two threads at once.
 */
public final class TriggerTimes {

    private record State(Instant service, Map<String, Instant> pods) {
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** Updates the service's state from these pods and answers the annotation's value, or null for none. */
    public Instant compute(Service service, List<Pod> pods) {
        String key = Keys.of(service);
        State previous = states.get(key);
        Map<String, Instant> podTimes = new HashMap<>();
        Instant earliestChange = null;
        for (Pod pod : pods) {
            Instant time = Pods.readySince(pod);
            if (time == null) {
                continue;
            }
            podTimes.put(pod.getMetadata().getName(), time);
            Instant before = previous == null ? null : previous.pods().get(pod.getMetadata().getName());
            if (before == null || time.isAfter(before)) {
                earliestChange = min(earliestChange, time);
            }
        }
        Instant serviceTime = Times.parse(service.getMetadata().getCreationTimestamp());
        if (serviceTime != null && (previous == null || previous.service() == null
                || serviceTime.isAfter(previous.service()))) {
            earliestChange = min(earliestChange, serviceTime);
        }
        states.put(key, new State(serviceTime, podTimes));
        return previous == null ? serviceTime : earliestChange;
    }

    /** Forgets a deleted service. */
    public void forget(String serviceKey) {
        states.remove(serviceKey);
    }

    private static Instant min(Instant current, Instant candidate) {
        return current == null || candidate.isBefore(current) ? candidate : current;
    }
}
