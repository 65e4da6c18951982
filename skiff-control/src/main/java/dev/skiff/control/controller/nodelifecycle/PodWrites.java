package dev.skiff.control.controller.nodelifecycle;

import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The pod writes of the node lifecycle controller: upstream's {@code MarkPodsNotReady}, the taint manager's
 * {@code addConditionAndDeletePod}, and PodGC's force deletion. Every write names the pod's uid (precondition or
 * optimistic update), so a same-named successor is never touched. 404 and 409 mean the pod already changed; the
 * informer event that follows re-decides.
 *
 * <p>Thread-safe; blocks on API calls.
 */
final class PodWrites {

    private final KubernetesClient client;
    private final Clock clock;

    PodWrites(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Sets the pod's Ready condition False (the kubelet that would do so is gone). */
    void markNotReady(Pod pod) {
        List<PodCondition> conditions = new ArrayList<>();
        for (PodCondition c : pod.getStatus().getConditions()) {
            conditions.add("Ready".equals(c.getType())
                    ? new PodConditionBuilder(c).withStatus("False").withLastTransitionTime(Times.format(clock.instant()))
                    .build() : c);
        }
        updateStatus(new PodBuilder(pod).editStatus().withConditions(conditions).endStatus().build());
    }

    /**
     * The taint manager's eviction: the condition {@code DisruptionTarget=True} (reason
     * {@code DeletionByTaintManager}), then an ordinary graceful delete.
     */
    void evict(Pod pod) throws Exception {
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            pod.getStatus().getConditions().stream().filter(c -> !"DisruptionTarget".equals(c.getType()))
                    .forEach(conditions::add);
        }
        conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                .withLastTransitionTime(Times.format(clock.instant())).build());
        if (updateStatus(new PodBuilder(pod).editOrNewStatus().withConditions(conditions).endStatus().build())) {
            delete(pod, null);
        }
    }

    /** PodGC's force deletion: grace 0, as {@code kubectl delete --force} (the kubelet will never confirm). */
    void forceDelete(Pod pod) throws Exception {
        delete(pod, 0L);
    }

    private boolean updateStatus(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** A DELETE with a uid precondition (the client DSL has none), optionally with a grace period. */
    private void delete(Pod pod, Long gracePeriodSeconds) throws Exception {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("apiVersion", "v1");
        options.put("kind", "DeleteOptions");
        options.put("preconditions", Map.of("uid", pod.getMetadata().getUid()));
        if (gracePeriodSeconds != null) {
            options.put("gracePeriodSeconds", gracePeriodSeconds);
        }
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(base + "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                        + pod.getMetadata().getName())
                .method("DELETE", "application/json", Serialization.asJson(options)).build();
        HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class)
                .get(30, TimeUnit.SECONDS);
        int code = response.code();
        if (code / 100 != 2 && code != 404 && code != 409) {
            throw new KubernetesClientException("deleting pod " + Keys.of(pod) + " failed: HTTP " + code + " "
                    + response.body(), code, null);
        }
    }
}
