package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes core/v1 Events about objects, as upstream's {@code record.EventRecorder} does for controllers
 * ({@code kubectl describe} shows them). Best effort: a failed write is logged, never fails a reconcile.
 *
 * <p>Thread-safe. Synchronous recorders block on the API call; asynchronous ones hand the write to an executor and
 * return, dropping events while {@value EventQueue#MAX_PENDING} are still being written (client-go's broadcaster queues 1,000
 * and drops beyond that, so a burst of creates never waits for its events). Either kind passes its events through
 * client-go's per-object spam filter first ({@link EventSpamFilter}: 25 events per object, then one per five
 * minutes), so scaling a ReplicaSet by thousands records its first 25 creates, not one event write per pod.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final String component;
    private final AtomicLong sequence = new AtomicLong();
    private final EventQueue queue;
    private final EventSpamFilter spam;

    /** Writes each event before returning. */
    public EventRecorder(KubernetesClient client, Clock clock, String component) {
        this(client, clock, component, Runnable::run);
    }

    /** Writes events on {@code writes}. */
    public EventRecorder(KubernetesClient client, Clock clock, String component,
            java.util.concurrent.Executor writes) {
        this.client = client;
        this.clock = clock;
        this.component = component;
        this.queue = new EventQueue(writes, EventQueue.MAX_PENDING);
        this.spam = new EventSpamFilter(clock);
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        if (!spam.allow(spamKey(object))) {
            LOG.debug("event spam filter drops {} on {}", reason, Keys.of(object));
            return;
        }
        if (!queue.submit(() -> write(object, type, reason, message))) {
            LOG.debug("event not queued, dropping {} on {}", reason, Keys.of(object));
        }
    }

    /** client-go's {@code getSpamKey}: the involved object (the source is this recorder's one component). */
    private static String spamKey(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName()
                + "/" + object.getMetadata().getUid() + "/" + object.getApiVersion();
    }

    private void write(HasMetadata object, String type, String reason, String message) {
        String now = Times.format(clock.instant());
        String involvedNamespace = object.getMetadata().getNamespace();
        // Events about cluster-scoped objects live in "default", as upstream's recorder puts them.
        String namespace = involvedNamespace == null || involvedNamespace.isEmpty() ? "default" : involvedNamespace;
        // Upstream names events <object>.<hex unix nanos>; a sequence keeps names unique within one instant.
        String name = object.getMetadata().getName() + "."
                + Long.toHexString(clock.millis() * 1_000_000L + sequence.incrementAndGet() % 1_000_000L);
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(object.getApiVersion()).withKind(object.getKind())
                            .withNamespace(involvedNamespace).withName(object.getMetadata().getName())
                            .withUid(object.getMetadata().getUid())
                            .withResourceVersion(object.getMetadata().getResourceVersion()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.debug("could not record event {} on {}: {}", reason, Keys.of(object), e.toString());
        }
    }
}
