package dev.skiff.control.controller.statefulset;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Revision data, names, the update-revision decision and history pruning; pod and claim building; retention. */
class RevisionsTest {

    static StatefulSet set(String image) {
        return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("set-uid")
                .withAnnotations(Map.of("kubernetes.io/change-cause", "image " + image)).endMetadata()
                .withNewSpec().withReplicas(2).withServiceName("nginx")
                .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume().endSpec()
                .endTemplate()
                .addToVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata().withName("www")
                        .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build())
                .endSpec().build();
    }

    static ControllerRevision numbered(ControllerRevision revision, long number) {
        return new ControllerRevisionBuilder(revision).withRevision(number).build();
    }

    @Test
    void dataIsAReplacePatchOfTheTemplateAndRoundTrips() {
        ControllerRevision revision = Revisions.newRevision(set("nginx:1"), 1, 0);
        assertThat(Revisions.data(revision).path("spec").path("template").path("$patch").asText())
                .isEqualTo("replace");
        assertThat(Revisions.template(revision).getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1");
        String hash = revision.getMetadata().getLabels().get(StatefulSets.REVISION_LABEL);
        assertThat(revision.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(revision.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(revision.getMetadata().getAnnotations()).containsEntry("kubernetes.io/change-cause",
                "image nginx:1");
        assertThat(revision.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getController()).isTrue());
        // Same template, same name; other template or collision count, other name.
        assertThat(Revisions.newRevision(set("nginx:1"), 7, 0).getMetadata().getName())
                .isEqualTo(revision.getMetadata().getName());
        assertThat(Revisions.newRevision(set("nginx:2"), 1, 0).getMetadata().getName())
                .isNotEqualTo(revision.getMetadata().getName());
        assertThat(Revisions.newRevision(set("nginx:1"), 1, 1).getMetadata().getName())
                .isNotEqualTo(revision.getMetadata().getName());
    }

    @Test
    void decidesUnchangedNewOrRollback() {
        ControllerRevision v1 = Revisions.newRevision(set("nginx:1"), 1, 0);
        ControllerRevision v2 = Revisions.newRevision(set("nginx:2"), 2, 0);
        List<ControllerRevision> history = Revisions.sorted(List.of(v2, v1));

        assertThat(Revisions.decide(set("nginx:2"), history, 0)).isInstanceOfSatisfying(
                Revisions.Decision.Unchanged.class, d -> assertThat(d.revision()).isSameAs(v2));
        assertThat(Revisions.decide(set("nginx:3"), history, 0)).isInstanceOfSatisfying(
                Revisions.Decision.Create.class, d -> assertThat(d.revision().getRevision()).isEqualTo(3L));
        // rollout undo puts the old template back: the old revision is renumbered as the newest.
        assertThat(Revisions.decide(set("nginx:1"), history, 0)).isInstanceOfSatisfying(
                Revisions.Decision.Renumber.class, d -> {
                    assertThat(d.revision()).isSameAs(v1);
                    assertThat(d.number()).isEqualTo(3L);
                });
    }

    @Test
    void prunesOldestNonLiveRevisionsBeyondTheLimit() {
        List<ControllerRevision> history = Revisions.sorted(List.of(
                numbered(Revisions.newRevision(set("a"), 1, 0), 1), numbered(Revisions.newRevision(set("b"), 2, 0), 2),
                numbered(Revisions.newRevision(set("c"), 3, 0), 3), numbered(Revisions.newRevision(set("d"), 4, 0), 4)));
        String live = history.get(0).getMetadata().getName(); // a pod still runs revision 1
        String update = history.get(3).getMetadata().getName();
        assertThat(Revisions.toPrune(history, Set.of(live, update), 1)).extracting(Revisions::number)
                .containsExactly(2L);
        assertThat(Revisions.toPrune(history, Set.of(live, update), 2)).isEmpty();
        assertThat(Revisions.toPrune(history, Set.of(update), 0)).extracting(Revisions::number)
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void podsHaveStableIdentityAndMountTheirClaims() {
        StatefulSet set = set("nginx:1");
        ControllerRevision revision = Revisions.newRevision(set, 1, 0);
        Pod pod = StatefulPods.newPod(set, Revisions.template(revision), revision.getMetadata().getName(), 1);
        assertThat(pod.getMetadata().getName()).isEqualTo("web-1");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web")
                .containsEntry("statefulset.kubernetes.io/pod-name", "web-1")
                .containsEntry("apps.kubernetes.io/pod-index", "1")
                .containsEntry("controller-revision-hash", revision.getMetadata().getName());
        assertThat(pod.getSpec().getHostname()).isEqualTo("web-1");
        assertThat(pod.getSpec().getSubdomain()).isEqualTo("nginx");
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("www", "scratch");
        assertThat(pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("www-web-1");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("StatefulSet");
            assertThat(r.getController()).isTrue();
        });
        assertThat(StatefulPods.claims(set, 1).get("www").getMetadata().getLabels()).containsEntry("app", "web");
    }

    @Test
    void retentionPolicyDecidesTheClaimsOwners() {
        StatefulSet set = set("nginx:1");
        Pod pod = new PodBuilder().withNewMetadata().withName("web-3").withUid("pod-uid").endMetadata().build();
        var claim = StatefulPods.claims(set, 3).get("www");
        record Row(String whenDeleted, String whenScaled, boolean inRange, List<String> owners) {
        }
        for (Row row : List.of(
                new Row("Retain", "Retain", true, List.of()),
                new Row("Retain", "Retain", false, List.of()),
                new Row("Delete", "Retain", true, List.of("StatefulSet")),
                new Row("Delete", "Retain", false, List.of("StatefulSet")),
                new Row("Retain", "Delete", true, List.of()),
                new Row("Retain", "Delete", false, List.of("Pod")),
                new Row("Delete", "Delete", true, List.of("StatefulSet")),
                new Row("Delete", "Delete", false, List.of("Pod")))) {
            set.getSpec().setPersistentVolumeClaimRetentionPolicy(
                    new io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy(
                            row.whenDeleted(), row.whenScaled()));
            var refs = ClaimRetention.reconcile(claim, set, pod, row.inRange());
            List<String> kinds = refs == null ? List.of() : refs.stream().map(r -> r.getKind()).toList();
            assertThat(kinds).as(row.toString()).containsExactlyElementsOf(row.owners());
        }
    }
}
