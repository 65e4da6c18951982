package dev.skiff.node.agent.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.node.runtime.EphemeralUsage;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.stats.EphemeralCapacity;
import dev.skiff.node.stats.PodStorage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kubelet's local storage checks, in its order and wording, and ECI's instance size rule. */
class StoragePolicyTest {

    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    @Test
    void aPodOverItsContainersLimitIsEvictedWithTheKubeletsMessageAndTheUsage() {
        Pod pod = pod(Map.of(), "20Mi");
        Verdict verdict = StoragePolicy.judge(pod, storage(pod, 40 * MI, 0, List.of()));
        assertThat(verdict).isEqualTo(new Verdict.Evict(
                "Pod ephemeral local storage usage exceeds the total limit of containers 20Mi. Usage: 40Mi.", false));
    }

    @Test
    void usageEqualToTheLimitIsWithinIt() {
        Pod pod = pod(Map.of(), "20Mi");
        assertThat(StoragePolicy.judge(pod, storage(pod, 19 * MI, MI, List.of())))
                .isInstanceOf(Verdict.Within.class);
    }

    @Test
    void logsCountTowardsTheContainersLimit() {
        Pod pod = pod(Map.of(), "20Mi");
        assertThat(StoragePolicy.judge(pod, storage(pod, 10 * MI, 11 * MI, List.of())))
                .isInstanceOf(Verdict.Evict.class);
    }

    @Test
    void anEmptyDirOverItsSizeLimitComesFirst() {
        Pod pod = pod(Map.of(), "20Mi");
        Verdict verdict = StoragePolicy.judge(pod, storage(pod, 40 * MI, 0,
                List.of(new PodStorage.VolumeUsage("scratch", 6 * MI, true, 5 * MI))));
        assertThat(verdict).isEqualTo(new Verdict.Evict(
                "Usage of EmptyDir volume \"scratch\" exceeds the limit \"5Mi\". Usage: 6Mi.", false));
    }

    @Test
    void diskEmptyDirsCountTowardsThePodMemoryOnesDoNot() {
        Pod pod = pod(Map.of(), "20Mi");
        assertThat(StoragePolicy.judge(pod, storage(pod, 5 * MI, 0,
                List.of(new PodStorage.VolumeUsage("ram", 100 * MI, false, 0)))))
                .isInstanceOf(Verdict.Within.class);
        assertThat(StoragePolicy.judge(pod, storage(pod, 5 * MI, 0,
                List.of(new PodStorage.VolumeUsage("disk", 16 * MI, true, 0)))))
                .isEqualTo(new Verdict.Evict("Pod ephemeral local storage usage exceeds the total limit of "
                        + "containers 20Mi. Usage: 21Mi.", false));
    }

    @Test
    void oneContainerOverItsOwnLimitEvictsThePodEvenWhenThePodTotalFits() {
        // Two containers: "app" limited to 10Mi, "side" to 100Mi; app uses 12Mi, the total 12Mi is under 110Mi.
        Pod pod = new PodBuilder().withNewMetadata().withName("two").withNamespace("default").withUid("u2")
                .endMetadata().withNewSpec()
                .addNewContainer().withName("app").withNewResources()
                .addToLimits("ephemeral-storage", new Quantity("10Mi")).endResources().endContainer()
                .addNewContainer().withName("side").withNewResources()
                .addToLimits("ephemeral-storage", new Quantity("100Mi")).endResources().endContainer()
                .endSpec().build();
        PodStorage storage = new PodStorage(Instant.EPOCH, new EphemeralUsage(InstanceId.of("u2"), Instant.EPOCH,
                List.of(new EphemeralUsage.ContainerUsage("app", 12 * MI, 0),
                        new EphemeralUsage.ContainerUsage("side", 0, 0))), List.of(), EphemeralCapacity.bytes(pod));
        assertThat(StoragePolicy.judge(pod, storage)).isEqualTo(new Verdict.Evict(
                "Container app exceeded its local ephemeral storage limit \"10Mi\". Usage: 12Mi.", false));
    }

    @Test
    void theInstanceIs30GiPlusTheExtraAnnotation() {
        assertThat(EphemeralCapacity.bytes(pod(Map.of(), null))).isEqualTo(30 * GI);
        assertThat(EphemeralCapacity.bytes(pod(Map.of(EphemeralCapacity.EXTRA_ANNOTATION, "50Gi"), null)))
                .isEqualTo(80 * GI);
        assertThat(EphemeralCapacity.bytes(pod(Map.of(EphemeralCapacity.EXTRA_ANNOTATION, "lots"), null)))
                .isEqualTo(30 * GI);
    }

    @Test
    void anExhaustedInstanceIsEvictedOnlyWhenThePodAsks() {
        Pod quiet = pod(Map.of(), null);
        Verdict warned = StoragePolicy.judge(quiet, storage(quiet, 31 * GI, 0, List.of()));
        assertThat(warned).isInstanceOfSatisfying(Verdict.Exhausted.class, x -> assertThat(x.message())
                .contains("31Gi exceeds the instance's 30Gi")
                .contains("Not evicted: the pod does not set k8s.aliyun.com/eci-eviction-enable: \"true\""));

        Pod asking = pod(Map.of(EphemeralCapacity.EVICTION_ANNOTATION, "true"), null);
        assertThat(StoragePolicy.judge(asking, storage(asking, 31 * GI, 0, List.of())))
                .isInstanceOfSatisfying(Verdict.Evict.class, e -> {
                    assertThat(e.instanceExhausted()).isTrue();
                    assertThat(e.message()).startsWith("The instance was low on resource: ephemeral-storage.")
                            .contains("31Gi exceeds the instance's 30Gi");
                });

        Pod bigger = pod(Map.of(EphemeralCapacity.EVICTION_ANNOTATION, "true",
                EphemeralCapacity.EXTRA_ANNOTATION, "10Gi"), null);
        assertThat(StoragePolicy.judge(bigger, storage(bigger, 31 * GI, 0, List.of())))
                .isInstanceOf(Verdict.Within.class);
    }

    private static Pod pod(Map<String, String> annotations, String limit) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("u1")
                .withAnnotations(annotations).endMetadata();
        var container = b.withNewSpec().addNewContainer().withName("app");
        if (limit != null) {
            container.withNewResources().addToLimits("ephemeral-storage", new Quantity(limit)).endResources();
        }
        return container.endContainer().endSpec().build();
    }

    private static PodStorage storage(Pod pod, long layer, long logs, List<PodStorage.VolumeUsage> volumes) {
        return new PodStorage(Instant.EPOCH, new EphemeralUsage(InstanceId.of(pod.getMetadata().getUid()),
                Instant.EPOCH, List.of(new EphemeralUsage.ContainerUsage("app", layer, logs))), volumes,
                EphemeralCapacity.bytes(pod));
    }
}
