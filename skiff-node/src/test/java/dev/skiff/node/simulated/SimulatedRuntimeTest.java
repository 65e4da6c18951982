package dev.skiff.node.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.runtime.ComputeResources;
import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStats;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.LogLine;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import dev.skiff.node.runtime.ResourceRequirements;
import dev.skiff.node.runtime.RestartPolicy;
import dev.skiff.node.runtime.contract.RecordingListener;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the simulated runtime adds to the contract: stages as data, annotations, synthetic logs and stats. */
class SimulatedRuntimeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ExecutorService notifications = Executors.newVirtualThreadPerTaskExecutor();
    private final RecordingListener recorder = new RecordingListener();
    private SimulatedRuntime runtime;

    private SimulatedRuntime start(SimulationProfile profile) {
        runtime = new SimulatedRuntime(profile, Clock.systemUTC(), scheduler, notifications);
        runtime.subscribe(recorder);
        return runtime;
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        scheduler.shutdownNow();
        notifications.shutdownNow();
    }

    private static InstanceSpec pod(String id, Map<String, String> annotations, ContainerSpec... containers) {
        return InstanceSpec.of(InstanceId.of(id), "default", id, List.of(containers)).withAnnotations(annotations);
    }

    private static InstanceSpec pod(String id, Map<String, String> annotations) {
        return pod(id, annotations, ContainerSpec.of("main", "busybox:1.36"));
    }

    private InstanceStatus awaitState(InstanceId id, Class<? extends InstanceState> state) {
        await().atMost(PATIENCE).until(() -> runtime.status(id).map(s -> state.isInstance(s.state())).orElse(false));
        return runtime.status(id).orElseThrow();
    }

    private static List<String> lines(LogStream stream) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        for (Optional<LogLine> line = stream.next(); line.isPresent(); line = stream.next()) {
            texts.add(line.get().text());
        }
        return texts;
    }

    @Test
    void saysItIsSimulated() {
        start(SimulationProfile.instant());
        InstanceId id = InstanceId.of("a");
        runtime.create(pod("a", Map.of()));

        InstanceStatus running = awaitState(id, InstanceState.Running.class);

        assertThat(runtime.info().simulated()).isTrue();
        assertThat(runtime.info().runtimeVersion()).startsWith("simulated://");
        assertThat(running.containers().getFirst().containerId()).startsWith("simulated://");
        List<InstanceEvent.Occurred> occurred = recorder.eventsOf(id).stream()
                .filter(e -> e instanceof InstanceEvent.Occurred).map(e -> (InstanceEvent.Occurred) e).toList();
        assertThat(occurred).isNotEmpty().allMatch(o -> o.message().startsWith("[simulated]"));
        assertThat(recorder.statusesOf(id)).filteredOn(s -> s.state() instanceof InstanceState.Pending)
                .allMatch(s -> ((InstanceState.Pending) s.state()).message().startsWith("[simulated]"));
    }

    @Test
    void stagesAreDataAndReportedInOrderLikeAKubelet() {
        start(SimulationProfile.instant().withStages(List.of(
                Stage.of("Scheduling", "placing the sandbox", Duration.ofMillis(5), Duration.ofMillis(5)),
                Stage.of("Pulling", "Pulling image {images}", Duration.ofMillis(5), Duration.ZERO)
                        .withDone("Pulled", "Successfully pulled image {images}"),
                Stage.of("Creating", "Creating the sandbox", Duration.ZERO, Duration.ofMillis(5)))));
        InstanceId id = InstanceId.of("staged");

        runtime.create(pod("staged", Map.of()));
        awaitState(id, InstanceState.Running.class);
        await().atMost(PATIENCE).until(() -> recorder.sawRunning(id));

        List<String> reasons = recorder.eventsOf(id).stream()
                .filter(e -> e instanceof InstanceEvent.Occurred).map(e -> ((InstanceEvent.Occurred) e).reason())
                .toList();
        assertThat(reasons).containsExactly("Scheduling", "Pulling", "Pulled", "Creating", "Created", "Started");
        List<String> pending = recorder.statusesOf(id).stream()
                .filter(s -> s.state() instanceof InstanceState.Pending)
                .map(s -> ((InstanceState.Pending) s.state()).reason()).toList();
        assertThat(pending).containsExactly("Scheduling", "Pulling", "Creating");
        assertThat(recorder.eventsOf(id)).filteredOn(e -> e instanceof InstanceEvent.Occurred o
                && o.reason().equals("Pulled")).singleElement()
                .satisfies(e -> assertThat(((InstanceEvent.Occurred) e).message()).contains("\"busybox:1.36\""));
    }

    @Test
    void aStageThatFailsWithFailEndsTheInstance() {
        start(SimulationProfile.instant().withStages(List.of(Stage.of("Creating", "creating", Duration.ZERO,
                Duration.ZERO).withFailure(1.0, new StageFailure.Fail("ProviderFailed", "no capacity in zone")))));
        InstanceId id = InstanceId.of("doomed");

        runtime.create(pod("doomed", Map.of()));

        InstanceStatus failed = awaitState(id, InstanceState.Failed.class);
        assertThat(((InstanceState.Failed) failed.state()).reason()).isEqualTo("ProviderFailed");
        assertThat(((InstanceState.Failed) failed.state()).message()).contains("[simulated]", "no capacity");
    }

    @Test
    void aStageThatFailsWithRetryKeepsTheContainersWaiting() {
        start(SimulationProfile.instant().withStages(List.of(Stage.of("Pulling", "pulling", Duration.ZERO,
                Duration.ZERO).withFailure(1.0, new StageFailure.Retry("ErrImagePull", Duration.ofMillis(5))))));
        InstanceId id = InstanceId.of("unpullable");

        runtime.create(pod("unpullable", Map.of()));

        await().atMost(PATIENCE).until(() -> recorder.statusesOf(id).stream()
                .filter(s -> s.containers().getFirst().state() instanceof ContainerState.Waiting w
                        && w.reason().equals("ErrImagePull")).count() >= 3);
        InstanceStatus status = runtime.status(id).orElseThrow();
        assertThat(status.state()).isInstanceOf(InstanceState.Pending.class);
        assertThat(recorder.eventsOf(id)).anyMatch(e -> e instanceof InstanceEvent.Occurred o && o.warning());
    }

    @Test
    void aRetriedStageThatSucceedsLetsTheInstanceRun() {
        start(SimulationProfile.instant().withStages(List.of(Stage.of("Pulling", "pulling", Duration.ZERO,
                Duration.ZERO).withFailure(0.5, new StageFailure.Retry("ErrImagePull", Duration.ofMillis(1))))));
        List<InstanceId> ids = java.util.stream.IntStream.range(0, 20).mapToObj(i -> InstanceId.of("flaky-" + i))
                .toList();

        ids.forEach(id -> runtime.create(pod(id.value(), Map.of())));

        ids.forEach(id -> awaitState(id, InstanceState.Running.class));
        // Half of all pulls fail: some instance surely retried, and every one got to Running regardless.
        assertThat(ids).anyMatch(id -> recorder.statusesOf(id).stream()
                .anyMatch(s -> s.state() instanceof InstanceState.Pending p && p.reason().equals("ErrImagePull")));
    }

    @Test
    void initContainersRunInOrderBeforeTheContainers() {
        start(SimulationProfile.instant());
        InstanceSpec spec = pod("with-init", Map.of("skiff.dev/simulated-init-exit-after", "10ms"))
                .withInitContainers(List.of(ContainerSpec.of("migrate", "flyway:10"),
                        ContainerSpec.of("warm", "busybox:1.36")));
        InstanceId id = spec.id();

        runtime.create(spec);
        InstanceStatus running = awaitState(id, InstanceState.Running.class);

        assertThat(running.initContainers()).allSatisfy(c -> assertThat(c.state())
                .isInstanceOfSatisfying(ContainerState.Terminated.class, t -> assertThat(t.exitCode()).isZero()));
        ContainerState.Terminated migrate = (ContainerState.Terminated) running.initContainers().get(0).state();
        ContainerState.Terminated warm = (ContainerState.Terminated) running.initContainers().get(1).state();
        assertThat(warm.startedAt()).isAfterOrEqualTo(migrate.finishedAt());
        assertThat(((ContainerState.Running) running.containers().getFirst().state()).startedAt())
                .isAfterOrEqualTo(warm.finishedAt());
        assertThat(recorder.statusesOf(id)).anyMatch(s -> s.state() instanceof InstanceState.Pending p
                && p.reason().equals("PodInitializing")
                && s.containers().getFirst().state() instanceof ContainerState.Waiting w
                && w.reason().equals("PodInitializing"));
    }

    @Test
    void aFailingInitContainerFailsTheInstanceUnderNever() {
        start(SimulationProfile.instant());
        InstanceSpec spec = pod("bad-init", Map.of("skiff.dev/simulated-init-exit-code", "4"))
                .withInitContainers(List.of(ContainerSpec.of("setup", "busybox:1.36")))
                .withRestartPolicy(RestartPolicy.NEVER);

        runtime.create(spec);

        InstanceStatus failed = awaitState(spec.id(), InstanceState.Failed.class);
        assertThat(((InstanceState.Failed) failed.state()).message()).contains("setup", "4");
        assertThat(failed.containers().getFirst().state()).isInstanceOf(ContainerState.Waiting.class);
    }

    @Test
    void aFailingInitContainerRestartsUnderOnFailure() {
        start(SimulationProfile.instant());
        InstanceSpec spec = pod("retry-init", Map.of("skiff.dev/simulated-init-exit-code", "4"))
                .withInitContainers(List.of(ContainerSpec.of("setup", "busybox:1.36")))
                .withRestartPolicy(RestartPolicy.ON_FAILURE);

        runtime.create(spec);

        await().atMost(PATIENCE).until(() -> runtime.status(spec.id())
                .map(s -> s.initContainers().getFirst().restartCount() >= 2).orElse(false));
        assertThat(runtime.status(spec.id()).orElseThrow().state()).isInstanceOf(InstanceState.Pending.class);
    }

    @Test
    void backOffIsReportedAsCrashLoopBackOff() {
        start(SimulationProfile.instant().withRestartBackoff(Duration.ofMillis(20), Duration.ofMillis(40)));
        InstanceId id = InstanceId.of("crashing");

        runtime.create(pod("crashing", Map.of("skiff.dev/simulated-exit-after", "1ms",
                "skiff.dev/simulated-exit-code", "1")));

        await().atMost(PATIENCE).until(() -> recorder.statusesOf(id).stream()
                .anyMatch(s -> s.containers().getFirst().state() instanceof ContainerState.Waiting w
                        && w.reason().equals("CrashLoopBackOff")));
        InstanceStatus backingOff = recorder.statusesOf(id).stream()
                .filter(s -> s.containers().getFirst().state() instanceof ContainerState.Waiting w
                        && w.reason().equals("CrashLoopBackOff")).findFirst().orElseThrow();
        assertThat(backingOff.state()).isInstanceOf(InstanceState.Running.class);
        assertThat(backingOff.containers().getFirst().lastState().exitCode()).isEqualTo(1);
        assertThat(recorder.eventsOf(id)).anyMatch(e -> e instanceof InstanceEvent.Occurred o
                && o.reason().equals("BackOff") && o.warning());
    }

    @Test
    void perContainerAnnotationsLetAJobFinishWhileASidecarRuns() {
        start(SimulationProfile.instant());
        InstanceSpec spec = pod("job", Map.of("skiff.dev/simulated-exit-after.worker", "20ms",
                        "skiff.dev/simulated-exit-code.worker", "0"),
                ContainerSpec.of("worker", "busybox:1.36"), ContainerSpec.of("proxy", "envoy:1.31"))
                .withRestartPolicy(RestartPolicy.ON_FAILURE);

        runtime.create(spec);

        await().atMost(PATIENCE).until(() -> runtime.status(spec.id())
                .map(s -> s.containers().get(0).terminated()).orElse(false));
        InstanceStatus status = runtime.status(spec.id()).orElseThrow();
        assertThat(status.state()).isInstanceOf(InstanceState.Running.class);
        assertThat(status.containers().get(1).running()).isTrue();
    }

    @Test
    void anInvalidAnnotationFailsTheInstanceWithAClearMessage() {
        start(SimulationProfile.instant());
        InstanceId id = InstanceId.of("typo");

        runtime.create(pod("typo", Map.of("skiff.dev/simulated-exit-after", "five seconds")));

        InstanceStatus failed = awaitState(id, InstanceState.Failed.class);
        assertThat(((InstanceState.Failed) failed.state()).reason()).isEqualTo("InvalidSimulation");
        assertThat(((InstanceState.Failed) failed.state()).message())
                .contains("skiff.dev/simulated-exit-after", "five seconds");
    }

    @Test
    void aSlowShutdownIsCutShortByTheGracePeriod() throws Exception {
        start(SimulationProfile.instant());
        InstanceSpec spec = pod("slow", Map.of("skiff.dev/simulated-shutdown-after", "1h"))
                .withGracePeriod(Duration.ofMillis(50));
        runtime.create(spec);
        awaitState(spec.id(), InstanceState.Running.class);

        DeleteResult result = runtime.delete(spec.id()).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        InstanceStatus last = ((DeleteResult.Deleted) result).last();
        assertThat(((ContainerState.Terminated) last.containers().getFirst().state()).exitCode()).isEqualTo(137);
        assertThat(recorder.eventsOf(spec.id())).anyMatch(e -> e instanceof InstanceEvent.Occurred o
                && o.reason().equals("Killing"));
    }

    @Test
    void theCallersPodIpIsReported() throws Exception {
        start(SimulationProfile.instant());
        InstanceSpec spec = pod("addressed", Map.of()).withPodIp(InetAddress.getByName("10.1.0.7"));

        runtime.create(spec);

        assertThat(awaitState(spec.id(), InstanceState.Running.class).podIp())
                .isEqualTo(InetAddress.getByName("10.1.0.7"));
    }

    @Test
    void logsAreSyntheticAndHonourTailSinceAndPrevious() throws Exception {
        start(SimulationProfile.instant().withRestartBackoff(Duration.ZERO, Duration.ZERO));
        InstanceId id = InstanceId.of("logged");
        runtime.create(pod("logged", Map.of("skiff.dev/simulated-exit-after", "300ms",
                "skiff.dev/simulated-exit-code", "3")).withRestartPolicy(RestartPolicy.ON_FAILURE));
        await().atMost(PATIENCE).until(() -> runtime.status(id)
                .map(s -> s.containers().getFirst().restartCount() >= 1 && s.containers().getFirst().running())
                .orElse(false));

        List<String> current = lines(runtime.logs(id, "main", LogOptions.ALL));
        List<String> previous = lines(runtime.logs(id, "main", LogOptions.ALL.ofPrevious()));
        List<String> tail = lines(runtime.logs(id, "main", LogOptions.ALL.ofPrevious().withTail(1)));
        List<String> future = lines(runtime.logs(id, "main",
                LogOptions.ALL.withSince(java.time.Instant.now().plusSeconds(3600))));

        // The current attempt may have exited again meanwhile; its first line is its start either way.
        assertThat(current).isNotEmpty().first().asString().contains("[simulated]", "started", "busybox:1.36");
        assertThat(previous).hasSize(2);
        assertThat(previous.getLast()).contains("exited with code 3");
        assertThat(tail).containsExactly(previous.getLast());
        assertThat(future).isEmpty();
        InstanceId fresh = InstanceId.of("fresh");
        runtime.create(pod("fresh", Map.of()));
        awaitState(fresh, InstanceState.Running.class);
        assertThatThrownBy(() -> runtime.logs(fresh, "main", LogOptions.ALL.ofPrevious()))
                .isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void followingLogsEndsWhenTheContainerExits() throws Exception {
        start(SimulationProfile.instant());
        InstanceId id = InstanceId.of("followed");
        runtime.create(pod("followed", Map.of("skiff.dev/simulated-exit-after", "100ms"))
                .withRestartPolicy(RestartPolicy.NEVER));

        CompletableFuture<List<String>> followed = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (LogStream stream = runtime.logs(id, "main", LogOptions.ALL.following())) {
                followed.complete(lines(stream));
            } catch (Throwable t) {
                followed.completeExceptionally(t);
            }
        });

        List<String> texts = followed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(texts).hasSize(2);
        assertThat(texts.getFirst()).contains("started");
        assertThat(texts.getLast()).contains("exited with code 0");
    }

    @Test
    void closingAFollowedStreamWakesItsReader() throws Exception {
        start(SimulationProfile.instant());
        InstanceId id = InstanceId.of("forever");
        runtime.create(pod("forever", Map.of()));
        awaitState(id, InstanceState.Running.class);
        LogStream stream = runtime.logs(id, "main", LogOptions.ALL.following());
        assertThat(stream.next()).isPresent();

        CompletableFuture<Optional<LogLine>> blocked = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                blocked.complete(stream.next());
            } catch (Throwable t) {
                blocked.completeExceptionally(t);
            }
        });
        stream.close();

        assertThat(blocked.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
    }

    @Test
    void execIsUnsupported() throws Exception {
        start(SimulationProfile.instant());
        InstanceId id = InstanceId.of("exec");
        runtime.create(pod("exec", Map.of()));
        awaitState(id, InstanceState.Running.class);

        ExecResult result = runtime.exec(id, "main", new ExecRequest(List.of("sh"), true, true),
                new ExecIo(null, new ByteArrayOutputStream(), null)).get();

        assertThat(result).isInstanceOfSatisfying(ExecResult.Unsupported.class,
                u -> assertThat(u.reason()).contains("simulated"));
    }

    @Test
    void statsFollowTheRequests() {
        start(SimulationProfile.instant());
        ContainerSpec sized = ContainerSpec.of("main", "nginx:1.27").withResources(new ResourceRequirements(
                ComputeResources.of(500, 512L << 20), ComputeResources.NONE));
        InstanceSpec spec = pod("sized", Map.of(), sized);
        runtime.create(spec);
        awaitState(spec.id(), InstanceState.Running.class);

        ContainerStats stats = runtime.stats(spec.id()).orElseThrow().containers().getFirst();

        assertThat(stats.cpu().usageNanoCores()).isBetween(500L * 1_000_000 / 10, 500L * 1_000_000);
        assertThat(stats.memory().workingSetBytes()).isBetween(256L << 20, 512L << 20);
        assertThat(stats.memory().usageBytes()).isGreaterThanOrEqualTo(stats.memory().workingSetBytes());
        assertThat(stats.rootfs().capacityBytes()).isEqualTo(30L << 30);
    }
}
