package dev.skiff.control.controller.nodelifecycle;

import dev.skiff.control.controller.Times;
import dev.skiff.control.scheduler.model.Tolerations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.time.Instant;
import java.util.List;

/**
 * Upstream's taint eviction ({@code pkg/controller/tainteviction}) for one pod on a node with NoExecute taints: a
 * pod that does not tolerate every NoExecute taint goes at once; one that tolerates them all stays for the smallest
 * {@code tolerationSeconds} among the tolerations used (forever when none sets it; negative counts as 0), counted
 * from when the latest of the taints was added. Pure.
 */
public final class TaintEviction {

    private TaintEviction() {
    }

    /** What to do about a pod. */
    public sealed interface Decision {
    }

    /** The pod tolerates the taints indefinitely (or there are none). */
    public record Keep() implements Decision {
    }

    /** The pod must be evicted at {@code at} (now or in the past: evict now). */
    public record EvictAt(Instant at) implements Decision {
    }

    public static Decision decide(Pod pod, List<Taint> noExecuteTaints, Instant now) {
        if (noExecuteTaints.isEmpty()) {
            return new Keep();
        }
        List<Toleration> tolerations = pod.getSpec() == null || pod.getSpec().getTolerations() == null
                ? List.of() : pod.getSpec().getTolerations();
        long minSeconds = -1;
        Instant since = null;
        for (Taint taint : noExecuteTaints) {
            boolean tolerated = false;
            for (Toleration toleration : tolerations) {
                if (!Tolerations.tolerates(toleration, taint)) {
                    continue;
                }
                tolerated = true;
                if (toleration.getTolerationSeconds() != null) {
                    long seconds = Math.max(0, toleration.getTolerationSeconds());
                    minSeconds = minSeconds < 0 ? seconds : Math.min(minSeconds, seconds);
                }
            }
            if (!tolerated) {
                return new EvictAt(now);
            }
            Instant added = Times.parse(taint.getTimeAdded());
            Instant start = added == null ? now : added;
            if (since == null || start.isAfter(since)) {
                since = start;
            }
        }
        if (minSeconds < 0) {
            return new Keep();
        }
        return new EvictAt(since.plusSeconds(minSeconds));
    }
}
