package dev.skiff.node.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.image.testing.TestRegistry;
import dev.skiff.node.runtime.AttachRequest;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.ImagePullFailedException;
import dev.skiff.node.runtime.ImagePullPolicy;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.PortForwardResult;
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.RegistryCredential;
import dev.skiff.node.runtime.RestartPolicy;
import dev.skiff.node.runtime.Subscription;
import dev.skiff.node.runtime.TerminalSize;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The interactive and image calls of the cri runtime on a real containerd: exec with stdin and a terminal, attach,
 * port-forward, killContainer, and pullImage with registry credentials. One sandbox serves the interactive checks.
 */
class CriInteractiveTest extends OnCriHost {

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private ExecResult exec(InstanceId id, ExecRequest request, ExecIo io) throws Exception {
        return runtime.exec(id, "main", request, io).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void execWithATerminalAttachPortForwardAndKillOnOneSandbox() throws Exception {
        // Serves a page with busybox httpd (it daemonises) and writes a line every second for attach.
        String script = "mkdir -p /www && echo hello-from-the-pod > /www/index.html && httpd -p 8080 -h /www; "
                + "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done";
        ContainerSpec main = new ContainerSpec("main", host.busybox(), ImagePullPolicy.IF_NOT_PRESENT,
                List.of("sh", "-c", script), List.of(), null, null, null, true, false);
        InstanceSpec spec = InstanceSpec.of(InstanceId.of(UUID.randomUUID().toString()), "default", "interactive",
                List.of(main)).withRestartPolicy(RestartPolicy.ALWAYS).withGracePeriod(Duration.ofSeconds(1));
        List<InstanceEvent> events = new CopyOnWriteArrayList<>();
        Subscription subscription = runtime.subscribe(events::add);
        runtime.create(spec);
        InstanceId id = spec.id();
        await().atMost(PATIENCE).until(() -> runtime.status(id).map(s -> s.state() instanceof InstanceState.Running)
                .orElse(false));

        // A terminal: the command sees a pts device, and cat echoes stdin until ^D (the terminal's EOF).
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        assertThat(exec(id, new ExecRequest(List.of("tty"), false, true), new ExecIo(null, tty, null)))
                .isEqualTo(new ExecResult.Exited(0));
        assertThat(text(tty)).matches("(?s)/dev/pts/\\d+\\s*");
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        InputStream typed = new ByteArrayInputStream("hello\n\u0004".getBytes(StandardCharsets.UTF_8));
        assertThat(exec(id, new ExecRequest(List.of("cat"), true, true), new ExecIo(typed, echoed, null)))
                .isEqualTo(new ExecResult.Exited(0));
        assertThat(text(echoed)).contains("hello");

        // Stdin without a terminal, separate stderr, the exit code from the error channel.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream line = new ByteArrayInputStream("from-stdin\n".getBytes(StandardCharsets.UTF_8));
        assertThat(exec(id, new ExecRequest(List.of("sh", "-c", "read x; echo got $x; echo oops >&2; exit 3"),
                true, false), new ExecIo(line, out, err))).isEqualTo(new ExecResult.Exited(3));
        assertThat(text(out)).isEqualTo("got from-stdin\n");
        assertThat(text(err)).isEqualTo("oops\n");

        // The end of stdin reaches the command (kubectl cp into a pod is `tar xf -`): cat ends on its own.
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        InputStream lines = new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        assertThat(exec(id, new ExecRequest(List.of("sh", "-c", "cat > /tmp/copied && wc -l < /tmp/copied"),
                true, false), new ExecIo(lines, copied, null))).isEqualTo(new ExecResult.Exited(0));
        assertThat(text(copied).strip()).isEqualTo("2");
        // The same with stdin arriving and ending while the command runs, as a remote client's does.
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream fed = new PipedInputStream(feed);
        ByteArrayOutputStream counted = new ByteArrayOutputStream();
        var late = runtime.exec(id, "main", new ExecRequest(List.of("sh", "-c", "cat > /tmp/late && wc -l < /tmp/late"),
                true, false), new ExecIo(fed, counted, null));
        feed.write("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
        feed.close();
        assertThat(late.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new ExecResult.Exited(0));
        assertThat(text(counted).strip()).isEqualTo("3");

        // Resizes reach the terminal: the command waits until its terminal has the size the client sent.
        var sizes = new java.util.concurrent.LinkedBlockingQueue<TerminalSize>(List.of(new TerminalSize(123, 45)));
        ByteArrayOutputStream size = new ByteArrayOutputStream();
        // The queue's take() blocks after the one size until the session ends (the runtime interrupts its reader).
        ExecIo sized = new ExecIo(new PipedInputStream(new PipedOutputStream()), size, null, sizes::take);
        assertThat(exec(id, new ExecRequest(List.of("sh", "-c",
                "until [ \"$(stty size)\" = \"45 123\" ]; do :; done; echo sized"), true, true), sized))
                .isEqualTo(new ExecResult.Exited(0));
        assertThat(text(size)).contains("sized");

        // Port-forward: a connection to the pod's port 8080, half-closed after the request.
        PortForwardResult forwarded = runtime.portForward(id, 8080);
        assertThat(forwarded).isInstanceOf(PortForwardResult.Connected.class);
        try (var port = ((PortForwardResult.Connected) forwarded).connection()) {
            port.output().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            port.output().flush();
            port.closeOutput();
            assertThat(new String(port.input().readAllBytes(), StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.").contains("hello-from-the-pod");
        }
        assertThat(runtime.portForward(id, 8081)).isInstanceOf(PortForwardResult.Failed.class);

        // Attach without stdin lasts until the process ends; killContainer ends it and the policy restarts it.
        ByteArrayOutputStream watched = new ByteArrayOutputStream();
        CompletableFuture<ExecResult> watching = runtime.attach(id, "main", new AttachRequest(false, false),
                new ExecIo(null, synchronizedStream(watched), synchronizedStream(watched)));
        await().atMost(PATIENCE).until(() -> text(watched).contains("tick"));
        ContainerStatus first = runtime.status(id).orElseThrow().containers().getFirst();
        assertThat(runtime.killContainer(id, "main", Duration.ofSeconds(1), "Container main failed liveness probe")
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(watching.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecResult.Exited.class);
        await().atMost(PATIENCE).until(() -> {
            ContainerStatus c = runtime.status(id).orElseThrow().containers().getFirst();
            return c.running() && c.restartCount() == 1;
        });
        ContainerStatus second = runtime.status(id).orElseThrow().containers().getFirst();
        assertThat(second.containerId()).isNotEqualTo(first.containerId());
        assertThat(second.lastState().exitCode()).isIn(137, 143);

        // Attach with stdin: output arrives while attached; the caller's stdin ending detaches, the process stays.
        ByteArrayOutputStream attached = new ByteArrayOutputStream();
        PipedOutputStream attachKeys = new PipedOutputStream();
        CompletableFuture<ExecResult> detached = runtime.attach(id, "main", new AttachRequest(true, false),
                new ExecIo(new PipedInputStream(attachKeys), synchronizedStream(attached),
                        synchronizedStream(attached)));
        await().atMost(PATIENCE).until(() -> text(attached).contains("tick"));
        attachKeys.close();
        assertThat(detached.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(new ExecResult.Exited(-1));

        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(InstanceEvent.Occurred.class,
                o -> assertThat(o.reason()).isEqualTo("Killing")));
        subscription.close();
    }

    @Test
    void pullImageUsesTheCredentialOfTheImagesRegistry() throws Exception {
        try (TestRegistry secured = TestRegistry.withAuth("puller", "s3cret")) {
            host.containerd.allowPlainHttp(secured.address());
            String image = secured.busybox();

            assertThatThrownBy(() -> runtime.pullImage(image, List.of()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ImagePullFailedException.class)
                    .message().isNotBlank();
            List<RegistryCredential> elsewhere = List.of(new RegistryCredential("other.example:5000", "puller",
                    "s3cret"));
            assertThatThrownBy(() -> runtime.pullImage(image, elsewhere).get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOf(ImagePullFailedException.class);

            List<RegistryCredential> right = List.of(elsewhere.getFirst(),
                    new RegistryCredential(secured.address(), "puller", "s3cret"));
            PulledImage pulled = runtime.pullImage(image, right).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(pulled.reference()).isEqualTo(image);
            assertThat(pulled.imageId()).startsWith("sha256:");
            assertThat(pulled.sizeBytes()).isPositive();
        }
    }

    private static OutputStream synchronizedStream(ByteArrayOutputStream target) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (target) {
                    target.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (target) {
                    target.write(b, off, len);
                }
            }
        };
    }
}
