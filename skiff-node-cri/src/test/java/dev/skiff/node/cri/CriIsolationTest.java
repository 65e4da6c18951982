package dev.skiff.node.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.runtime.ComputeResources;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.ResourceRequirements;
import dev.skiff.node.runtime.RestartPolicy;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sandbox is the product: a pod cannot see the host's processes or files, cannot exceed its memory limit, cannot
 * read another pod's files, and gets exactly the address its node agent chose, reachable from the host and from
 * other pods.
 */
class CriIsolationTest extends OnCriHost {

    private InstanceSpec pod(String name, InetAddress ip, RestartPolicy policy, ContainerSpec container) {
        return InstanceSpec.of(InstanceId.of(UUID.randomUUID().toString()), "default", name, List.of(container))
                .withRestartPolicy(policy).withPodIp(ip);
    }

    private ContainerSpec shell(String script) {
        return ContainerSpec.of("main", host.busybox()).withCommand(List.of("sh", "-c", script), List.of());
    }

    private InstanceStatus awaitState(InstanceId id, Class<? extends InstanceState> state) {
        await().atMost(PATIENCE).until(() -> runtime.status(id).map(s -> state.isInstance(s.state())).orElse(false));
        return runtime.status(id).orElseThrow();
    }

    private record Output(int exitCode, String stdout) {
    }

    private Output exec(InstanceId id, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult result = runtime.exec(id, "main", new ExecRequest(List.of("sh", "-c", script), false, false),
                new ExecIo(null, out, new ByteArrayOutputStream())).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        return new Output(((ExecResult.Exited) result).exitCode(), out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void aPodSeesNeitherHostProcessesNorHostFilesNorAnotherPodsFiles() throws Exception {
        Path marker = host.dir.resolve("host-secret-" + UUID.randomUUID());
        Files.writeString(marker, "host secret");
        InstanceSpec a = pod("pod-a", null, RestartPolicy.ALWAYS,
                shell("echo pod-a-secret > /tmp/secret; while true; do sleep 1; done"));
        InstanceSpec b = pod("pod-b", null, RestartPolicy.ALWAYS, shell("while true; do sleep 1; done"));
        runtime.create(a);
        runtime.create(b);
        awaitState(a.id(), InstanceState.Running.class);
        awaitState(b.id(), InstanceState.Running.class);
        await().atMost(PATIENCE).until(() -> exec(a.id(), "cat /tmp/secret").stdout().equals("pod-a-secret"));

        // Own PID namespace: the container's shell is PID 1 and no host process (containerd, the JVM) is visible.
        assertThat(exec(b.id(), "cat /proc/1/cmdline | tr '\\0' ' '").stdout()).startsWith("sh -c");
        assertThat(exec(b.id(), "cat /proc/[0-9]*/comm").stdout()).doesNotContain("containerd", "java");
        // Own mount namespace: the host's files are not there.
        assertThat(exec(b.id(), "cat " + marker).exitCode()).isNotZero();
        // Own UTS namespace: the hostname is the pod's name.
        assertThat(exec(b.id(), "hostname").stdout()).isEqualTo("pod-b");
        // Another pod's files are neither at the same path nor through /proc.
        assertThat(exec(b.id(), "cat /tmp/secret").exitCode()).isNotZero();
        assertThat(exec(b.id(), "grep -rs pod-a-secret /tmp /proc/[0-9]*/root/tmp").exitCode()).isNotZero();
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() {
        // The shell keeps 100 MB of expanded text in memory under a 32 MiB limit.
        ContainerSpec hog = shell("a=$(head -c 100000000 /dev/zero | tr '\\000' x); echo survived")
                .withResources(new ResourceRequirements(ComputeResources.NONE,
                        ComputeResources.of(500, 32L << 20)));
        InstanceSpec pod = pod("hog", null, RestartPolicy.NEVER, hog);
        runtime.create(pod);

        InstanceStatus failed = awaitState(pod.id(), InstanceState.Failed.class);

        ContainerState.Terminated killed = (ContainerState.Terminated) failed.containers().getFirst().state();
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(killed.reason()).isEqualTo("OOMKilled");
    }

    @Test
    void aPodGetsItsAddressAndIsReachableFromTheHostAndFromOtherPods() throws Exception {
        InetAddress serverIp = host.cidr.addressAt(77);
        InstanceSpec server = pod("web", serverIp, RestartPolicy.ALWAYS,
                shell("mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 8080 -h /www"));
        InstanceSpec client = pod("client", host.cidr.addressAt(78), RestartPolicy.ALWAYS,
                shell("while true; do sleep 1; done"));
        runtime.create(server);
        runtime.create(client);
        assertThat(awaitState(server.id(), InstanceState.Running.class).podIp()).isEqualTo(serverIp);
        awaitState(client.id(), InstanceState.Running.class);

        assertThat(exec(server.id(), "ip -4 addr show eth0").stdout()).contains(serverIp.getHostAddress() + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://" + serverIp.getHostAddress() + ":8080/index.html");
        await().atMost(PATIENCE).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body().strip().equals("hello-from-pod"));
        assertThat(exec(client.id(), "wget -q -O - " + uri).stdout()).isEqualTo("hello-from-pod");
    }
}
