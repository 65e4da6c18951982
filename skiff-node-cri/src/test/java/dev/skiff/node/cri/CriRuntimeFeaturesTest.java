package dev.skiff.node.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.runtime.ContainerSecurity;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.ImagePullPolicy;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.LogLine;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import dev.skiff.node.runtime.Mount;
import dev.skiff.node.runtime.RestartPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the cri runtime does beyond the shared contract: init containers in order with bind mounts, logs of the
 * current and previous attempt, the security context, image pull errors, and adopting running sandboxes after a
 * restart of the runtime.
 */
class CriRuntimeFeaturesTest extends OnCriHost {

    private CriRuntimeConfig config;

    @BeforeEach
    void readConfig() {
        config = runtime.config();
    }

    private static InstanceSpec pod(String name, List<ContainerSpec> init, ContainerSpec main, RestartPolicy policy) {
        return InstanceSpec.of(InstanceId.of(UUID.randomUUID().toString()), "default", name, List.of(main))
                .withInitContainers(init).withRestartPolicy(policy);
    }

    private static ContainerSpec shell(String name, String image, String script) {
        return ContainerSpec.of(name, image).withCommand(List.of("sh", "-c", script), List.of());
    }

    private InstanceStatus awaitStatus(InstanceId id, java.util.function.Predicate<InstanceStatus> condition) {
        await().atMost(PATIENCE).until(() -> runtime.status(id).map(condition::test).orElse(false));
        return runtime.status(id).orElseThrow();
    }

    private static List<String> read(LogStream stream) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        try (stream) {
            Optional<LogLine> line;
            while ((line = stream.next()).isPresent()) {
                lines.add(line.get().text());
            }
        }
        return lines;
    }

    private String exec(InstanceId id, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult result = runtime.exec(id, "main", new ExecRequest(List.of("sh", "-c", script), false, false),
                new ExecIo(null, out, out)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        return ((ExecResult.Exited) result).exitCode() + ":" + out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void initContainersRunInOrderBeforeTheContainerAndLogsShowEveryAttempt() throws Exception {
        Path shared = Files.createDirectories(host.dir.resolve("volume-" + UUID.randomUUID()));
        Mount volume = new Mount("/data", shared, false);
        String busybox = host.busybox();
        InstanceSpec spec = pod("ordered",
                List.of(shell("first", busybox, "echo first >> /data/order").withMounts(List.of(volume)),
                        shell("second", busybox, "echo second >> /data/order").withMounts(List.of(volume))),
                shell("main", busybox, "cat /data/order; echo attempt; sleep 1; exit 1").withMounts(List.of(volume)),
                RestartPolicy.ALWAYS);
        runtime.create(spec);

        InstanceStatus restarted = awaitStatus(spec.id(), s -> s.containers().getFirst().restartCount() >= 1);

        assertThat(restarted.initContainers()).extracting(ContainerStatus::state)
                .allSatisfy(state -> assertThat(state).isInstanceOfSatisfying(ContainerState.Terminated.class,
                        t -> assertThat(t.reason()).isEqualTo("Completed")));
        assertThat(Files.readAllLines(shared.resolve("order"))).containsExactly("first", "second");
        assertThat(read(runtime.logs(spec.id(), "main", LogOptions.ALL.ofPrevious())))
                .containsExactly("first", "second", "attempt");
        assertThat(read(runtime.logs(spec.id(), "first", LogOptions.ALL))).isEmpty();
        // A crash-looping container waits with the kubelet's reason between attempts.
        InstanceStatus waiting = awaitStatus(spec.id(), s -> s.containers().getFirst().state()
                instanceof ContainerState.Waiting w && w.reason().equals("CrashLoopBackOff"));
        assertThat(waiting.containers().getFirst().lastState().exitCode()).isEqualTo(1);
        assertThat(waiting.state()).isInstanceOf(InstanceState.Running.class);
    }

    @Test
    void theSecurityContextAppliesAndExecRunsInTheContainer() throws Exception {
        InstanceSpec spec = pod("secured", List.of(), shell("main", host.busybox(), "while true; do sleep 1; done")
                .withSecurity(new ContainerSecurity(1000L, 2000L, null, true, null, List.of("ALL"), false)),
                RestartPolicy.ALWAYS);
        runtime.create(spec);
        awaitStatus(spec.id(), s -> s.state() instanceof InstanceState.Running);

        assertThat(exec(spec.id(), "id -u; id -g")).isEqualTo("0:1000\n2000");
        assertThat(exec(spec.id(), "touch /written 2>/dev/null")).startsWith("1:");
        assertThat(exec(spec.id(), "grep NoNewPrivs /proc/self/status")).matches("0:NoNewPrivs:\\s+1");
        assertThat(exec(spec.id(), "grep CapEff /proc/self/status")).matches("0:CapEff:\\s+0+");
    }

    @Test
    void anImageThatCannotBePulledIsReportedAndRetried() {
        // Backoffs long enough that each waiting reason lasts a while (the kubelet's are 10 s and more).
        runtime.close();
        runtime = host.newRuntime(config.withTimings(Duration.ofMillis(100), Duration.ofSeconds(4),
                Duration.ofSeconds(8)));
        String missing = host.registry.address() + "/skiff/missing:1";
        InstanceSpec spec = pod("missing", List.of(), ContainerSpec.of("main", missing), RestartPolicy.ALWAYS);
        runtime.create(spec);

        InstanceStatus pulling = awaitStatus(spec.id(), s -> s.containers().getFirst().state()
                instanceof ContainerState.Waiting w && w.reason().equals("ErrImagePull"));
        assertThat(pulling.state()).isInstanceOf(InstanceState.Pending.class);
        awaitStatus(spec.id(), s -> s.containers().getFirst().state()
                instanceof ContainerState.Waiting w && w.reason().equals("ImagePullBackOff"));

        InstanceSpec never = pod("never", List.of(), new ContainerSpec("main", missing, ImagePullPolicy.NEVER,
                null, null, null, null, null, false, false), RestartPolicy.ALWAYS);
        runtime.create(never);
        InstanceStatus notPulled = awaitStatus(never.id(), s -> s.containers().getFirst().state()
                instanceof ContainerState.Waiting w && w.reason().equals("ErrImageNeverPull"));
        assertThat(notPulled.state()).isInstanceOf(InstanceState.Pending.class);
    }

    @Test
    void aNewRuntimeAdoptsTheSandboxesOfTheOldOne() throws Exception {
        InstanceSpec spec = pod("adopted", List.of(), shell("main", host.busybox(),
                "echo before; while true; do sleep 1; done"), RestartPolicy.ALWAYS);
        runtime.create(spec);
        InstanceStatus before = awaitStatus(spec.id(), s -> s.state() instanceof InstanceState.Running);

        runtime.close();
        runtime = host.newRuntime(config);

        InstanceStatus adopted = runtime.status(spec.id()).orElseThrow();
        assertThat(adopted.state()).isInstanceOf(InstanceState.Running.class);
        assertThat(adopted.podIp()).isEqualTo(before.podIp());
        assertThat(adopted.containers().getFirst().containerId())
                .isEqualTo(before.containers().getFirst().containerId());
        assertThat(runtime.create(spec)).isInstanceOf(CreateResult.Existing.class);
        assertThat(read(runtime.logs(spec.id(), "main", LogOptions.ALL))).containsExactly("before");
        DeleteResult deleted = runtime.delete(spec.id(), Duration.ZERO).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(deleted).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(host.containerd.client().listPodSandboxes(java.util.Map.of(CriSpecs.INSTANCE_LABEL,
                spec.id().value()))).isEmpty();
    }
}
