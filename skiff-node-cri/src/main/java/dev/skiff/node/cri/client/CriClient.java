package dev.skiff.node.cri.client;

import dev.skiff.node.cri.proto.ContainerStatus;
import dev.skiff.node.cri.proto.ContainerStatusRequest;
import dev.skiff.node.cri.proto.ContainerStats;
import dev.skiff.node.cri.proto.ContainerStatsRequest;
import dev.skiff.node.cri.proto.CreateContainerRequest;
import dev.skiff.node.cri.proto.ExecSyncRequest;
import dev.skiff.node.cri.proto.ExecSyncResponse;
import dev.skiff.node.cri.proto.ImageServiceGrpc;
import dev.skiff.node.cri.proto.ImageSpec;
import dev.skiff.node.cri.proto.ImageStatusRequest;
import dev.skiff.node.cri.proto.ListContainersRequest;
import dev.skiff.node.cri.proto.ContainerFilter;
import dev.skiff.node.cri.proto.Container;
import dev.skiff.node.cri.proto.ListPodSandboxRequest;
import dev.skiff.node.cri.proto.PodSandbox;
import dev.skiff.node.cri.proto.PodSandboxConfig;
import dev.skiff.node.cri.proto.PodSandboxFilter;
import dev.skiff.node.cri.proto.PodSandboxStatus;
import dev.skiff.node.cri.proto.PodSandboxStatusRequest;
import dev.skiff.node.cri.proto.PullImageRequest;
import dev.skiff.node.cri.proto.RemoveContainerRequest;
import dev.skiff.node.cri.proto.RemovePodSandboxRequest;
import dev.skiff.node.cri.proto.RunPodSandboxRequest;
import dev.skiff.node.cri.proto.RuntimeServiceGrpc;
import dev.skiff.node.cri.proto.StartContainerRequest;
import dev.skiff.node.cri.proto.StopContainerRequest;
import dev.skiff.node.cri.proto.StopPodSandboxRequest;
import dev.skiff.node.cri.proto.VersionRequest;
import dev.skiff.node.cri.proto.VersionResponse;
import dev.skiff.node.cri.proto.ContainerConfig;
import dev.skiff.node.cri.proto.AttachRequest;
import dev.skiff.node.cri.proto.AuthConfig;
import dev.skiff.node.cri.proto.ExecRequest;
import dev.skiff.node.cri.proto.PortForwardRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small blocking client for a CRI runtime (containerd's {@code runtime.v1} services) on a unix socket. Every call
 * has a deadline, so a hung daemon turns into {@link CriException}s instead of stuck threads. Thread-safe: one
 * channel serves all callers (gRPC multiplexes calls over one HTTP/2 connection).
 */
public final class CriClient implements AutoCloseable {

    /** Ordinary calls: containerd answers in well under a second; generous for a loaded 2-core machine. */
    private static final Duration CALL = Duration.ofSeconds(60);
    /** Pulls move layers and may take long on a slow registry. */
    private static final Duration PULL = Duration.ofMinutes(10);

    private final EventLoopGroup loop;
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;
    private final Path socket;

    private CriClient(Path socket) {
        this.socket = socket;
        this.loop = new EpollEventLoopGroup(1);
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                // containerd's CRI answers can be large (ExecSync output is capped at 16 MiB per stream upstream).
                .maxInboundMessageSize(40 * 1024 * 1024)
                .build();
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    /** A client for the runtime listening on {@code socket}; connects lazily on the first call. */
    public static CriClient connect(Path socket) {
        return new CriClient(socket);
    }

    /** The runtime's socket (containerd's own API answers on it too, which {@code ctr} uses). */
    public Path socket() {
        return socket;
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub rt() {
        return runtime.withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ImageServiceGrpc.ImageServiceBlockingStub img(Duration deadline) {
        return images.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> T call(String what, java.util.function.Supplier<T> rpc) {
        CriCallEvent event = new CriCallEvent();
        event.begin();
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            event.failed = true;
            throw new CriException(what, e.getStatus());
        } finally {
            if (event.shouldCommit()) {
                event.method = what;
                event.commit();
            }
        }
    }

    /** A status call whose NOT_FOUND means "no such object" (empty) rather than a failure. */
    private static <T> Optional<T> lookup(String what, java.util.function.Supplier<T> rpc) {
        try {
            return Optional.of(call(what, rpc));
        } catch (CriException e) {
            if (e.code() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public VersionResponse version() {
        return call("Version", () -> rt().version(VersionRequest.newBuilder().setVersion("v1").build()));
    }

    public String runPodSandbox(PodSandboxConfig config) {
        return call("RunPodSandbox", () -> rt().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config)
                .build()).getPodSandboxId());
    }

    /** Stops a sandbox's processes and releases its network; idempotent (CRI contract). */
    public void stopPodSandbox(String sandboxId) {
        call("StopPodSandbox", () -> rt().stopPodSandbox(StopPodSandboxRequest.newBuilder()
                .setPodSandboxId(sandboxId).build()));
    }

    /** Removes a sandbox and its containers; idempotent (CRI contract). */
    public void removePodSandbox(String sandboxId) {
        call("RemovePodSandbox", () -> rt().removePodSandbox(RemovePodSandboxRequest.newBuilder()
                .setPodSandboxId(sandboxId).build()));
    }

    public Optional<PodSandboxStatus> podSandboxStatus(String sandboxId) {
        return lookup("PodSandboxStatus", () -> rt().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                .setPodSandboxId(sandboxId).build()).getStatus());
    }

    /**
     * The process id of a sandbox's pause process (its namespaces' holder), from the verbose status containerd
     * answers ({@code info} JSON with a top-level {@code pid}); empty when the sandbox is gone or has no process.
     */
    public java.util.OptionalLong sandboxPid(String sandboxId) {
        try {
            String info = rt().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId)
                    .setVerbose(true).build()).getInfoOrDefault("info", "");
            var m = java.util.regex.Pattern.compile("\"pid\"\\s*:\\s*(\\d+)").matcher(info);
            long pid = m.find() ? Long.parseLong(m.group(1)) : 0;
            return pid > 0 ? java.util.OptionalLong.of(pid) : java.util.OptionalLong.empty();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return java.util.OptionalLong.empty();
            }
            throw new CriException("PodSandboxStatus", e.getStatus());
        }
    }

    /** Sandboxes carrying all of {@code labels}. */
    public List<PodSandbox> listPodSandboxes(Map<String, String> labels) {
        return call("ListPodSandbox", () -> rt().listPodSandbox(ListPodSandboxRequest.newBuilder()
                .setFilter(PodSandboxFilter.newBuilder().putAllLabelSelector(labels)).build()).getItemsList());
    }

    /** Containers of {@code sandboxId} (null: of every sandbox) carrying all of {@code labels}. */
    public List<Container> listContainers(String sandboxId, Map<String, String> labels) {
        ContainerFilter.Builder filter = ContainerFilter.newBuilder().putAllLabelSelector(labels);
        if (sandboxId != null) {
            filter.setPodSandboxId(sandboxId);
        }
        return call("ListContainers", () -> rt().listContainers(ListContainersRequest.newBuilder()
                .setFilter(filter).build()).getContainersList());
    }

    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return call("CreateContainer", () -> rt().createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId).setConfig(config).setSandboxConfig(sandboxConfig).build())
                .getContainerId());
    }

    public void startContainer(String containerId) {
        call("StartContainer", () -> rt().startContainer(StartContainerRequest.newBuilder()
                .setContainerId(containerId).build()));
    }

    /**
     * Stops a container: SIGTERM (or the image's stop signal), then SIGKILL after {@code timeoutSeconds}; returns
     * once it exited. Idempotent (CRI contract). The deadline covers the grace period.
     */
    public void stopContainer(String containerId, long timeoutSeconds) {
        long deadline = CALL.toMillis() + TimeUnit.SECONDS.toMillis(timeoutSeconds);
        call("StopContainer", () -> runtime.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                .stopContainer(StopContainerRequest.newBuilder().setContainerId(containerId)
                        .setTimeout(timeoutSeconds).build()));
    }

    public void removeContainer(String containerId) {
        call("RemoveContainer", () -> rt().removeContainer(RemoveContainerRequest.newBuilder()
                .setContainerId(containerId).build()));
    }

    public Optional<ContainerStatus> containerStatus(String containerId) {
        return lookup("ContainerStatus", () -> rt().containerStatus(ContainerStatusRequest.newBuilder()
                .setContainerId(containerId).build()).getStatus());
    }

    /** Runs a command to completion; {@code timeout} zero means no limit on the command itself. */
    public ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout) {
        long limit = timeout.isZero() ? Duration.ofHours(1).toMillis() : timeout.toMillis() + CALL.toMillis();
        return call("ExecSync", () -> runtime.withDeadlineAfter(limit, TimeUnit.MILLISECONDS)
                .execSync(ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(command)
                        .setTimeout(timeout.toSeconds()).build()));
    }

    public ContainerStats containerStats(String containerId) {
        return call("ContainerStats", () -> rt().containerStats(ContainerStatsRequest.newBuilder()
                .setContainerId(containerId).build()).getStats());
    }

    /** The image if the runtime has it. */
    public Optional<dev.skiff.node.cri.proto.Image> image(String image) {
        var response = call("ImageStatus", () -> img(CALL).imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()));
        return response.hasImage() ? Optional.of(response.getImage()) : Optional.empty();
    }

    /** The image's id if the runtime has it. */
    public Optional<String> imageId(String image) {
        var response = call("ImageStatus", () -> img(CALL).imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()));
        return response.hasImage() ? Optional.of(response.getImage().getId()) : Optional.empty();
    }

    /** Pulls an image; answers its reference (the image id). */
    public String pullImage(String image) {
        return pullImage(image, null);
    }

    /** Pulls an image with {@code auth} for its registry (null: anonymously); answers its reference. */
    public String pullImage(String image, AuthConfig auth) {
        PullImageRequest.Builder request = PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image));
        if (auth != null) {
            request.setAuth(auth);
        }
        return call("PullImage", () -> img(PULL).pullImage(request.build()).getImageRef());
    }

    /**
     * Prepares an interactive exec; answers the URL on the runtime's streaming server that runs it once a client
     * connects (the URL is single-use and expires after about a minute, as the CRI streaming server's tokens do).
     */
    public String exec(ExecRequest request) {
        return call("Exec", () -> rt().exec(request).getUrl());
    }

    /** Prepares an attach to a container's main process; answers the streaming server's URL for it. */
    public String attach(AttachRequest request) {
        return call("Attach", () -> rt().attach(request).getUrl());
    }

    /** Prepares a port-forward into a sandbox's network namespace; answers the streaming server's URL for it. */
    public String portForward(String sandboxId, int port) {
        return call("PortForward", () -> rt().portForward(PortForwardRequest.newBuilder()
                .setPodSandboxId(sandboxId).addPort(port).build()).getUrl());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
