package dev.skiff.node.agent;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records core/v1 Events about pods the way the kubelet's event recorder does: source component {@code kubelet}
 * and host the node, the involved object pointing at the container through {@code spec.containers{NAME}}.
 * Recording is fire-and-forget through an {@link EventBroadcaster} (bounded queue, rate-limited writers), so a slow
 * API server never holds up pod status; an event the broadcaster cannot queue or write is dropped, as client-go's
 * is. Thread-safe.
 */
final class PodEvents {

    private final String nodeName;
    private final Clock clock;
    private final EventBroadcaster broadcaster;
    private final AtomicLong sequence = new AtomicLong();

    PodEvents(String nodeName, Clock clock, EventBroadcaster broadcaster) {
        this.nodeName = nodeName;
        this.clock = clock;
        this.broadcaster = broadcaster;
    }

    /** Writes one event (the broadcaster's writer): a raw create whose answer is not decoded. */
    static void write(RawWrites writes, Event event) {
        int code = writes.createEvent(event.getMetadata().getNamespace(), Serialization.asJson(event));
        if (code < 200 || code >= 300) {
            throw new IllegalStateException("event create answered " + code);
        }
    }

    /**
     * @param container the container concerned, or null for the pod
     * @param initContainer whether {@code container} is an init container (for the field path)
     */
    void record(Pod pod, String container, boolean initContainer, boolean warning, String reason, String message) {
        Event event = event(pod, container, initContainer, warning, reason, message, clock.instant());
        broadcaster.offer(event);
    }

    private Event event(Pod pod, String container, boolean initContainer, boolean warning, String reason,
                        String message, Instant at) {
        var meta = pod.getMetadata();
        String time = NodeObjects.time(at);
        // client-go names events <object>.<hex nanoseconds>; a sequence keeps two in one tick apart.
        String name = meta.getName() + "." + Long.toHexString(at.getEpochSecond() * 1_000_000_000L + at.getNano()
                + sequence.incrementAndGet());
        return new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(meta.getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion("v1").withKind("Pod").withNamespace(meta.getNamespace())
                        .withName(meta.getName()).withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion())
                        .withFieldPath(container == null ? null
                                : (initContainer ? "spec.initContainers{" : "spec.containers{") + container + "}")
                        .build())
                .withReason(reason)
                .withMessage(message)
                .withType(warning ? "Warning" : "Normal")
                .withNewSource().withComponent("kubelet").withHost(nodeName).endSource()
                .withReportingComponent("kubelet")
                .withReportingInstance(nodeName)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
    }
}
