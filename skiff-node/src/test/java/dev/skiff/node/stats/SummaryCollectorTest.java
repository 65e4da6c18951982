package dev.skiff.node.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.node.runtime.ComputeResources;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.ResourceRequirements;
import dev.skiff.node.simulated.SimulatedRuntime;
import dev.skiff.node.simulated.SimulationProfile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats Summary over the simulated runtime: upstream's JSON names and nesting, CPU rates from two samples,
 * pod figures summed over containers and node figures over pods, storage from the runtime and the volumes.
 */
class SummaryCollectorTest {

    private static final long MI = 1L << 20;

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private ScheduledExecutorService scheduler;
    private ExecutorService notifications;
    private SimulatedRuntime runtime;

    @BeforeEach
    void start() {
        scheduler = Executors.newScheduledThreadPool(1);
        notifications = Executors.newVirtualThreadPerTaskExecutor();
        runtime = new SimulatedRuntime(SimulationProfile.instant(), clock, scheduler, notifications);
    }

    @AfterEach
    void stop() {
        runtime.close();
        scheduler.shutdownNow();
        notifications.shutdownNow();
    }

    @Test
    void summaryHasUpstreamsShapeAndCpuRatesFromTwoSamples() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("uid-web")
                .addToAnnotations("skiff.dev/simulated-ephemeral-storage.app", "12Mi")
                .addToAnnotations("skiff.dev/simulated-log-bytes.app", "1Mi")
                .addToAnnotations("k8s.aliyun.com/eci-extra-ephemeral-storage", "10Gi")
                .endMetadata().withNewSpec()
                .addNewContainer().withName("app").endContainer()
                .addNewContainer().withName("side").endContainer()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("ram").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                .endSpec().withNewStatus().withStartTime("2026-11-23T09:59:58Z").endStatus().build();
        ContainerSpec sized = ContainerSpec.of("app", "busybox:1").withResources(new ResourceRequirements(
                ComputeResources.of(500, 256 * MI), ComputeResources.NONE));
        InstanceSpec spec = InstanceSpec.of(InstanceId.of("uid-web"), "shop", "web",
                List.of(sized, ContainerSpec.of("side", "busybox:1")))
                .withAnnotations(pod.getMetadata().getAnnotations());
        runtime.create(spec);
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.status(spec.id())
                .map(s -> s.state() instanceof InstanceState.Running).orElse(false));
        Files.createDirectories(dir.resolve("uid-web/scratch"));
        Files.write(dir.resolve("uid-web/scratch/data"), new byte[(int) (3 * MI)]);
        Files.createDirectories(dir.resolve("uid-web/ram"));
        Files.write(dir.resolve("uid-web/ram/data"), new byte[(int) MI]);

        SummaryCollector collector = new SummaryCollector("vk-1", () -> List.of(pod), runtime,
                new StorageMeter(runtime, (uid, volume) -> dir.resolve(uid).resolve(volume)), clock);
        JsonNode first = json(collector.summary());
        JsonNode firstCpu = first.at("/pods/0/containers/0/cpu");
        assertThat(firstCpu.has("usageCoreNanoSeconds")).isTrue();

        clock.advance(Duration.ofSeconds(10));
        JsonNode summary = json(collector.summary());

        JsonNode node = summary.get("node");
        assertThat(node.get("nodeName").asText()).isEqualTo("vk-1");
        assertThat(node.get("startTime").asText()).isEqualTo("2026-11-23T10:00:00Z");
        JsonNode p = summary.at("/pods/0");
        assertThat(p.get("podRef").toString())
                .isEqualTo("{\"name\":\"web\",\"namespace\":\"shop\",\"uid\":\"uid-web\"}");
        assertThat(p.get("startTime").asText()).isEqualTo("2026-11-23T09:59:58Z");
        assertThat(p.get("containers")).hasSize(2);
        JsonNode app = p.at("/containers/0");
        assertThat(app.get("name").asText()).isEqualTo("app");
        assertThat(app.get("startTime").asText()).isNotEmpty();
        assertThat(app.at("/cpu/time").asText()).isEqualTo("2026-11-23T10:00:10Z");
        // The simulated container accrues 40 % of its 500m request: 200m over the 10 s between the samples.
        assertThat(app.at("/cpu/usageNanoCores").asLong()).isEqualTo(200_000_000L);
        assertThat(app.at("/cpu/usageCoreNanoSeconds").asLong())
                .isGreaterThan(firstCpu.get("usageCoreNanoSeconds").asLong());
        assertThat(app.at("/memory/workingSetBytes").asLong()).isBetween(128 * MI, 256 * MI);
        assertThat(app.at("/memory").has("usageBytes")).isTrue();
        assertThat(app.at("/memory").has("rssBytes")).isTrue();
        assertThat(app.at("/rootfs/usedBytes").asLong()).isEqualTo(12 * MI);
        assertThat(app.at("/logs/usedBytes").asLong()).isEqualTo(MI);
        assertThat(app.at("/rootfs/capacityBytes").asLong()).isEqualTo(40L << 30);

        long side = p.at("/containers/1/cpu/usageNanoCores").asLong();
        assertThat(p.at("/cpu/usageNanoCores").asLong()).isEqualTo(200_000_000L + side);
        assertThat(p.at("/memory/workingSetBytes").asLong()).isEqualTo(app.at("/memory/workingSetBytes").asLong()
                + p.at("/containers/1/memory/workingSetBytes").asLong());
        assertThat(p.get("volume")).extracting(v -> v.get("name").asText() + "=" + v.get("usedBytes").asLong())
                .containsExactlyInAnyOrder("scratch=" + 3 * MI, "ram=" + MI);
        // Writable layers (12Mi + the side container's synthetic 4Mi and a bit) + logs + the disk emptyDir.
        long sideLayer = p.at("/containers/1/rootfs/usedBytes").asLong();
        JsonNode ephemeral = p.get("ephemeral-storage");
        assertThat(ephemeral.get("usedBytes").asLong()).isEqualTo(12 * MI + MI + sideLayer + 3 * MI);
        assertThat(ephemeral.get("capacityBytes").asLong()).isEqualTo(40L << 30);
        assertThat(ephemeral.get("availableBytes").asLong())
                .isEqualTo((40L << 30) - ephemeral.get("usedBytes").asLong());

        assertThat(node.at("/cpu/usageNanoCores").asLong()).isEqualTo(p.at("/cpu/usageNanoCores").asLong());
        assertThat(node.at("/memory/workingSetBytes").asLong()).isEqualTo(p.at("/memory/workingSetBytes").asLong());
        assertThat(node.at("/fs/usedBytes").asLong()).isEqualTo(ephemeral.get("usedBytes").asLong());
    }

    @Test
    void aPodWithoutAnInstanceIsLeftOut() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("pending").withNamespace("default")
                .withUid("no-instance").endMetadata().withNewSpec().addNewContainer().withName("app").endContainer()
                .endSpec().build();
        SummaryCollector collector = new SummaryCollector("vk-1", () -> List.of(pod), runtime,
                new StorageMeter(runtime, (uid, volume) -> dir.resolve(uid).resolve(volume)), clock);
        JsonNode summary = json(collector.summary());
        assertThat(summary.get("pods")).isEmpty();
        assertThat(summary.at("/node/cpu/usageCoreNanoSeconds").asLong()).isZero();
    }

    private static JsonNode json(Summary summary) throws Exception {
        return new ObjectMapper().readTree(Serialization.asJson(summary));
    }

    /** A clock tests move by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

}
