package dev.skiff.node.agent;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about pods the way the kubelet's event recorder does: source component {@code kubelet}
 * and host the node, the involved object pointing at the container through {@code spec.containers{NAME}}.
 * Recording is fire-and-forget on the given executor, so a slow API server never holds up pod status; a failed
 * write is logged and dropped, as client-go's broadcaster drops events it cannot write. Thread-safe.
 */
final class PodEvents {

    private static final Logger LOG = LoggerFactory.getLogger(PodEvents.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final Executor executor;
    private final AtomicLong sequence = new AtomicLong();

    PodEvents(KubernetesClient client, String nodeName, Clock clock, Executor executor) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * @param container the container concerned, or null for the pod
     * @param initContainer whether {@code container} is an init container (for the field path)
     */
    void record(Pod pod, String container, boolean initContainer, boolean warning, String reason, String message) {
        Event event = event(pod, container, initContainer, warning, reason, message, clock.instant());
        executor.execute(() -> {
            try {
                client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
            } catch (RuntimeException e) {
                LOG.debug("node {}: event {} on {} dropped: {}", nodeName, reason, pod.getMetadata().getName(),
                        e.toString());
            }
        });
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
