package dev.skiff.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.node.agent.AgentHarness;
import dev.skiff.node.agent.NodeConfig;
import dev.skiff.node.ipam.Cidr;
import dev.skiff.node.runtime.TerminalSize;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams of {@code kubectl exec}, {@code exec -it}, {@code attach}, {@code cp} and {@code port-forward} through
 * Skiff's real API server and a node agent's kubelet server, with the real kubectl (WebSocket v5 for exec and
 * attach, SPDY tunnelled in WebSocket for port-forward). The node's runtime is {@link LocalProcessTransportRuntime},
 * a transport double that runs commands as local processes: what is proven is the transport, not isolation.
 */
class KubectlStreamsEndToEndTest {

    private static final String NODE = "vk-streams";

    @TempDir
    static Path dir;

    static AgentHarness harness;
    static TestApiServer server;
    static KubernetesClient client;
    static LocalProcessTransportRuntime runtime;
    static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        harness = AgentHarness.start(dir, NodeConfig.of(NODE, "zone-a", "vsw-1", "skiff",
                Cidr.parse("10.30.0.0/24"), "127.0.0.1"), simulated -> runtime = new LocalProcessTransportRuntime(simulated),
                server -> {
                    List<String> pems = server.kubeletServing(NODE, "127.0.0.1");
                    return new KubeletServing("127.0.0.1", 0, pems.get(0), pems.get(1), pems.get(2),
                            java.util.Set.of(TestApiServer.KUBELET_CLIENT_USER));
                });
        server = harness.server();
        client = harness.client();
        kubeconfig = dir.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig);
        kubectl(null, "apply", "-f", Files.writeString(dir.resolve("pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: streams}
                spec:
                  nodeName: vk-streams
                  containers:
                  - {name: main, image: busybox:1, stdin: true, stdinOnce: true}
                  - {name: side, image: busybox:1}
                """).toString()).ok();
        kubectl(null, "wait", "--for=condition=Ready", "pod/streams", "--timeout=60s").ok();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void execPassesStreamsAndTheExitCodeAndCpCopiesBothWays() throws Exception {
        Result exec = kubectl(null, "exec", "streams", "-c", "main", "--", "sh", "-c",
                "echo to-stdout; echo to-stderr >&2; exit 3");
        assertThat(exec.exitCode()).isEqualTo(3);
        assertThat(exec.out()).isEqualTo("to-stdout\n");
        assertThat(exec.err()).contains("to-stderr");

        // stdin ends with v5's close signal: cat sees EOF and exits 0.
        Result cat = kubectl("line one\nline two\n", "exec", "-i", "streams", "-c", "main", "--", "cat").ok();
        assertThat(cat.out()).isEqualTo("line one\nline two\n");

        Result missing = kubectl(null, "exec", "streams", "-c", "nope", "--", "true");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("container nope is not valid for pod streams");

        // kubectl cp is exec with tar: into the "container" (here the test machine's file system) and back.
        Path source = Files.writeString(dir.resolve("source.txt"), "copied through exec and tar\n");
        Path inPod = Files.createDirectories(dir.resolve("pod-fs"));
        kubectl(null, "cp", source.toString(), "streams:" + inPod + "/copied.txt", "-c", "main").ok();
        assertThat(inPod.resolve("copied.txt")).hasContent("copied through exec and tar");
        Path back = dir.resolve("back.txt");
        kubectl(null, "cp", "streams:" + inPod + "/copied.txt", back.toString(), "-c", "main").ok();
        assertThat(back).hasContent("copied through exec and tar");
    }

    @Test
    void execNeedsCreateOnPodsExecEvenOverAWebSocketGet() throws Exception {
        kubectl(null, "create", "role", "exec-get", "--verb=get", "--resource=pods,pods/exec").ok();
        kubectl(null, "create", "rolebinding", "exec-get", "--role=exec-get", "--user=viewer").ok();
        Result denied = kubectl(null, "exec", "--as=viewer", "streams", "-c", "main", "--", "true");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.err()).contains("cannot create resource \"pods/exec\"");

        kubectl(null, "create", "role", "exec-create", "--verb=create", "--resource=pods/exec").ok();
        kubectl(null, "create", "rolebinding", "exec-create", "--role=exec-create", "--user=viewer").ok();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl(null, "exec", "--as=viewer",
                "streams", "-c", "main", "--", "echo", "allowed").ok().out()).isEqualTo("allowed\n"));
    }

    @Test
    void execWithATerminalSendsItsSize() throws Exception {
        // kubectl allocates the remote tty only when its own stdin is a terminal: script(1) gives it one, sized
        // 123x45, which kubectl sends on the resize channel. The remote command (a local process here) waits for a
        // file the test creates once the size arrived, so a fast command cannot end the session first.
        Path go = dir.resolve("tty-go");
        String command = "stty cols 123 rows 45; kubectl --kubeconfig=" + kubeconfig
                + " exec -it streams -c main -- sh -c 'while [ ! -e " + go + " ]; do sleep 0.05; done;"
                + " echo tty-session-ok'";
        var session = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return run(null, List.of("script", "-qec", command, "/dev/null"));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.resizes().contains(new TerminalSize(123, 45)));
        } finally {
            Files.writeString(go, "go");
        }
        Result tty = session.get(60, TimeUnit.SECONDS);
        assertThat(tty.exitCode()).as(tty.toString()).isZero();
        assertThat(tty.out()).contains("tty-session-ok");
    }

    @Test
    void attachFeedsTheMainProcessAndShowsItsOutput() throws Exception {
        Result attach = kubectl("echo attached-$((6 * 7))\n", "attach", "-i", "streams", "-c", "main").ok();
        assertThat(attach.out()).contains("attached-42");
    }

    @Test
    void portForwardCopiesAConnectionToThePodsPort() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> serveEcho(echo));
            List<String> command = command("port-forward", "pod/streams", ":" + echo.getLocalPort());
            Process forward = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                BufferedReader output = new BufferedReader(new InputStreamReader(forward.getInputStream(),
                        StandardCharsets.UTF_8));
                Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> "
                        + echo.getLocalPort());
                int localPort = -1;
                String line;
                List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
                while (localPort < 0 && (line = output.readLine()) != null) {
                    seen.add(line);
                    Matcher m = forwarding.matcher(line);
                    if (m.find()) {
                        localPort = Integer.parseInt(m.group(1));
                    }
                }
                assertThat(localPort).as("kubectl port-forward said: %s", seen).isPositive();
                Thread.ofVirtual().start(() -> {
                    try {
                        String more;
                        while ((more = output.readLine()) != null) {
                            seen.add(more);
                        }
                    } catch (IOException e) {
                        // kubectl ended
                    }
                });
                for (int round = 0; round < 2; round++) {
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), localPort)) {
                        socket.setSoTimeout(30_000);
                        OutputStream out = socket.getOutputStream();
                        out.write(("ping " + round + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        // Half-closed: the FIN travels to the pod's port while its reply still comes back.
                        socket.shutdownOutput();
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.UTF_8));
                        assertThat(in.readLine()).isEqualTo("echo: ping " + round);
                    } catch (IOException e) {
                        throw new AssertionError("forwarded connection failed; kubectl said: " + seen, e);
                    }
                }
            } finally {
                forward.destroy();
                if (!forward.waitFor(10, TimeUnit.SECONDS)) {
                    forward.destroyForcibly();
                }
            }
        }
    }

    @Test
    void portForwardToAClosedPortReportsTheKubeletsError() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Process forward = new ProcessBuilder(command("port-forward", "pod/streams", ":" + closed))
                .redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(forward.getInputStream(),
                    StandardCharsets.UTF_8));
            List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> " + closed);
            int localPort = -1;
            String line;
            while (localPort < 0 && (line = output.readLine()) != null) {
                seen.add(line);
                Matcher m = forwarding.matcher(line);
                if (m.find()) {
                    localPort = Integer.parseInt(m.group(1));
                }
            }
            assertThat(localPort).as("kubectl port-forward said: %s", seen).isPositive();
            Thread.ofVirtual().start(() -> {
                try {
                    String more;
                    while ((more = output.readLine()) != null) {
                        seen.add(more);
                    }
                } catch (IOException e) {
                    // kubectl ended
                }
            });
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), localPort)) {
                socket.setSoTimeout(30_000);
                // Nothing answers behind the pod's port: the forwarded connection ends without a byte.
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            } catch (java.net.SocketException reset) {
                // kubectl may reset the local connection instead of closing it: also an end without data
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(String.join("\n", seen))
                    .contains("error forwarding port " + closed + " to pod streams"));
        } finally {
            forward.destroy();
            if (!forward.waitFor(10, TimeUnit.SECONDS)) {
                forward.destroyForcibly();
            }
        }
    }

    /** Answers every line with {@code echo: <line>} until the client closes. */
    private static void serveEcho(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (socket) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.UTF_8));
                        String line;
                        while ((line = in.readLine()) != null) {
                            socket.getOutputStream().write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        // client gone
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    record Result(int exitCode, String out, String err) {
        Result ok() {
            assertThat(exitCode).as("kubectl failed: %s %s", err, out).isZero();
            return this;
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig,
                "--request-timeout=0"));
        command.addAll(List.of(args));
        return command;
    }

    private static Result kubectl(String stdin, String... args) throws IOException, InterruptedException {
        return run(stdin, command(args));
    }

    private static Result run(String stdin, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "kubectl", ".out");
        Path err = Files.createTempFile(dir, "kubectl", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
