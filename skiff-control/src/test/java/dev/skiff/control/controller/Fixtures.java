package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: templates, and playing the kubelet's part by marking pods Running and Ready. */
final class Fixtures {

    private Fixtures() {
    }

    static PodTemplateSpec template(Map<String, String> labels, String image) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .build();
    }

    /** Marks the pod Running and Ready, as a kubelet would (no kubelet runs in these tests). */
    static void makeReady(KubernetesClient client, Pod pod) {
        Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).get();
        if (current == null || Pods.isReady(current)) {
            return;
        }
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(new PodConditionBuilder().withType("Ready").withStatus("True")
                .withLastTransitionTime(Times.format(Instant.now())).build());
        Pod ready = new PodBuilder(current).editOrNewStatus().withPhase("Running").withConditions(conditions)
                .endStatus().build();
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(ready).updateStatus();
    }

    /** Active pods of the namespace. */
    static List<Pod> activePods(KubernetesClient client, String namespace) {
        return client.pods().inNamespace(namespace).list().getItems().stream().filter(Pods::isActive).toList();
    }
}
