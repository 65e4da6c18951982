package dev.skiff.control.scheduler.loop;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's writes to the API: the binding, the {@code PodScheduled=False} condition of an unschedulable
 * pod, and the events upstream's scheduler records ({@code Scheduled}, {@code FailedScheduling}).
 *
 * <p>Thread-safe; every method blocks on one API call (callers run them on the loop's write executor).
 */
final class ApiWrites {

    static final String COMPONENT = "default-scheduler";

    private final KubernetesClient client;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    ApiWrites(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The outcome of a binding. */
    enum BindOutcome {
        BOUND,
        /** The pod is gone, already bound or being deleted: nothing to retry (the informer will say what it is). */
        OBSOLETE,
        /** A transient failure: undo the assumption and try again later. */
        FAILED
    }

    /**
     * POSTs a v1 Binding to {@code pods/{name}/binding}, the subresource upstream's scheduler uses
     * ({@code CoreV1().Pods(ns).Bind}); the pod's UID is a precondition so a recreated pod of the same name is never
     * bound by a decision taken for its predecessor.
     */
    BindOutcome bind(Pod pod, String nodeName) {
        ObjectMeta meta = pod.getMetadata();
        var binding = new BindingBuilder()
                .withNewMetadata().withName(meta.getName()).withNamespace(meta.getNamespace())
                .withUid(meta.getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
                .build();
        int code = post("/api/v1/namespaces/" + encode(meta.getNamespace()) + "/pods/" + encode(meta.getName())
                + "/binding", Serialization.asJson(binding));
        if (code >= 200 && code < 300) {
            return BindOutcome.BOUND;
        }
        // 404: deleted; 409: already bound, being deleted, or a different UID (recreated); 0: no answer.
        return code == 404 || code == 409 ? BindOutcome.OBSOLETE : BindOutcome.FAILED;
    }

    /**
     * POSTs a JSON body and returns the status code (0 when no answer came). The answer is not decoded: neither
     * the Binding's Status nor a created Event is read, and decoding them cost the client more than sending.
     */
    private int post(String path, String json) {
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + path;
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(url)
                .post("application/json", json)
                .timeout(30, TimeUnit.SECONDS)
                .build();
        try {
            return http.sendAsync(request, String.class).get(60, TimeUnit.SECONDS).code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
    }

    /**
     * Sets {@code PodScheduled=False, reason=Unschedulable} with the scheduler's message, as upstream's
     * {@code updatePod} does after a failed cycle; other conditions are kept. Skipped when the pod already says
     * exactly that (a retry that fails the same way writes nothing).
     */
    void markUnschedulable(Pod pod, String message) {
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType())) {
                    if ("False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())
                            && message.equals(c.getMessage())) {
                        return;
                    }
                    continue;
                }
                conditions.add(c);
            }
        }
        conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(message)
                .withLastTransitionTime(time(clock.instant())).build());
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(Map.of("status", Map.of("conditions", conditions))));
        } catch (KubernetesClientException e) {
            // The pod may be gone or bound meanwhile; the next attempt (if any) writes again.
        }
    }

    /** Records an event on the pod from {@code default-scheduler}; failures are dropped, as client-go's recorder does. */
    void event(Pod pod, boolean warning, String reason, String action, String message) {
        Instant now = clock.instant();
        ObjectMeta meta = pod.getMetadata();
        String time = time(now);
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(meta.getNamespace())
                .withName(meta.getName() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L
                        + now.getNano() + sequence.incrementAndGet()))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                        .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion()).build())
                .withType(warning ? "Warning" : "Normal")
                .withReason(reason)
                .withAction(action)
                .withMessage(message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(COMPONENT)
                .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                .build();
        // Events are best effort: a failed write is not retried.
        post("/api/v1/namespaces/" + encode(meta.getNamespace()) + "/events", Serialization.asJson(event));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String time(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }
}
