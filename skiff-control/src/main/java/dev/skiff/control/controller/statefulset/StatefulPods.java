package dev.skiff.control.controller.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a StatefulSet's pods and claims, after upstream's {@code newStatefulSetPod}, {@code initIdentity},
 * {@code updateStorage} and {@code getPersistentVolumeClaims}. Pure and thread-safe.
 */
public final class StatefulPods {

    private StatefulPods() {
    }

    /**
     * Pod {@code <set>-<ordinal>} from {@code template} (the template of {@code revision}): the template's labels,
     * annotations and finalizers, the identity labels, the revision label, hostname and subdomain (so the headless
     * Service named by {@code serviceName} gives it a stable DNS name), one volume per volumeClaimTemplate mounting
     * its claim, and a controller reference to the set.
     */
    public static Pod newPod(StatefulSet set, PodTemplateSpec template, String revision, int ordinal) {
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? new HashMap<>() : new HashMap<>(meta.getLabels());
        String name = StatefulSets.podName(set, ordinal);
        labels.put(StatefulSets.POD_NAME_LABEL, name);
        labels.put(StatefulSets.POD_INDEX_LABEL, String.valueOf(ordinal));
        labels.put(StatefulSets.REVISION_LABEL, revision);
        PodSpec spec = new PodSpecBuilder(template.getSpec()).build();
        spec.setHostname(name);
        spec.setSubdomain(set.getSpec().getServiceName());
        spec.setVolumes(volumes(set, spec.getVolumes(), ordinal));
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(meta.getAnnotations() == null ? new HashMap<>() : new HashMap<>(meta.getAnnotations()))
                .withFinalizers(meta.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(meta.getFinalizers()))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(StatefulSets.API_VERSION)
                        .withKind(StatefulSets.KIND).withName(set.getMetadata().getName())
                        .withUid(set.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** Upstream's {@code updateStorage}: claim volumes first, then the template's volumes they do not shadow. */
    private static List<Volume> volumes(StatefulSet set, List<Volume> templateVolumes, int ordinal) {
        Map<String, PersistentVolumeClaim> claims = claims(set, ordinal);
        List<Volume> volumes = new ArrayList<>();
        claims.forEach((templateName, claim) -> volumes.add(new VolumeBuilder().withName(templateName)
                .withNewPersistentVolumeClaim().withClaimName(claim.getMetadata().getName()).withReadOnly(false)
                .endPersistentVolumeClaim().build()));
        if (templateVolumes != null) {
            for (Volume volume : templateVolumes) {
                if (!claims.containsKey(volume.getName())) {
                    volumes.add(volume);
                }
            }
        }
        return volumes;
    }

    /**
     * The claims of the pod with this ordinal, keyed by volumeClaimTemplate name: the template named
     * {@code <template>-<set>-<ordinal>}, labelled with the set's selector labels, without status.
     */
    public static Map<String, PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
        Map<String, PersistentVolumeClaim> claims = new LinkedHashMap<>();
        if (set.getSpec().getVolumeClaimTemplates() == null) {
            return claims;
        }
        Map<String, String> selectorLabels = set.getSpec().getSelector() == null
                || set.getSpec().getSelector().getMatchLabels() == null
                ? Map.of() : set.getSpec().getSelector().getMatchLabels();
        for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
            String templateName = template.getMetadata().getName();
            Map<String, String> labels = template.getMetadata().getLabels() == null
                    ? new HashMap<>() : new HashMap<>(template.getMetadata().getLabels());
            labels.putAll(selectorLabels);
            PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder(template)
                    .withNewMetadata()
                    .withName(StatefulSets.claimName(set, templateName, ordinal))
                    .withNamespace(set.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(template.getMetadata().getAnnotations())
                    .endMetadata()
                    .withStatus(null)
                    .build();
            claims.put(templateName, claim);
        }
        return claims;
    }
}
