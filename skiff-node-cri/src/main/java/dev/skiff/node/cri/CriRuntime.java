package dev.skiff.node.cri;

import dev.skiff.node.cri.stream.RuncExec;
import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.net.PodNetwork;
import dev.skiff.node.cri.proto.Container;
import dev.skiff.node.cri.proto.ContainerState;
import dev.skiff.node.cri.proto.ExecSyncResponse;
import dev.skiff.node.ipam.Allocation;
import dev.skiff.node.ipam.IpPool;
import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.ContainerStats;
import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.EphemeralUsage;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceListener;
import dev.skiff.node.runtime.InstanceNotFoundException;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceStats;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import dev.skiff.node.runtime.AttachRequest;
import dev.skiff.node.runtime.PortForwardResult;
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.RegistryAccess;
import dev.skiff.node.runtime.RegistryCredential;
import dev.skiff.node.cri.containerd.RegistryHosts;
import dev.skiff.node.runtime.RuntimeInfo;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import dev.skiff.node.runtime.Subscription;
import dev.skiff.node.runtime.support.EventHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cri} runtime: every instance is a pod sandbox of a containerd reached through the Container Runtime
 * Interface, with runc as OCI runtime and the sandbox's own network, PID, IPC and UTS namespaces. Honours the
 * {@link InstanceRuntime} contract; the kubelet-like work per instance is {@link CriInstance}'s.
 *
 * <p>containerd 1.6 has no CRI event stream, so one poller lists this runtime's containers every
 * {@link CriRuntimeConfig#pollInterval()} and tells instances whose containers exited. {@link #close()} leaves the
 * sandboxes running; a new CriRuntime with the same {@link CriRuntimeConfig#owner()} adopts them from their labels.
 */
public final class CriRuntime implements InstanceRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(CriRuntime.class);

    /** The OCI runtime containerd runs (a host requirement), for {@link RuncExec}; null if absent. */
    private static final Path RUNC = dev.skiff.node.cri.containerd.HostRequirements.onPath("runc");

    private final CriClient client;
    private final PodNetwork network;
    private final CriRuntimeConfig config;
    private final Clock clock;
    private final EventHub hub;
    private final IpPool fallbackAddresses;
    private final RuntimeInfo info;
    private final ConcurrentHashMap<InstanceId, CriInstance> instances = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> poller;
    private final CriStreams streams;
    private final CriImages images;
    private final StartGate starts;
    private volatile boolean closed;

    /**
     * @param client        the CRI of a running containerd
     * @param network       the pod network containerd's CNI configuration uses
     * @param timers        runs the status poller (not shut down by {@link #close()})
     * @param notifications delivers events to subscribers (not shut down by {@link #close()})
     */
    public CriRuntime(CriClient client, PodNetwork network, CriRuntimeConfig config, Clock clock,
                      ScheduledExecutorService timers, Executor notifications) {
        this(client, network, config, clock, timers, notifications, StartGate.unbounded(), null);
    }

    /**
     * @param starts        bounds the instance starts on this host; share one among the runtimes of one containerd
     * @param registryHosts containerd's registry host files, through which pods' {@code plain-http-registry} and
     *                      {@code insecure-registry} annotations take effect; null to pull every image as
     *                      containerd is configured (the annotations are then ignored with a warning)
     * @see #CriRuntime(CriClient, PodNetwork, CriRuntimeConfig, Clock, ScheduledExecutorService, Executor)
     */
    public CriRuntime(CriClient client, PodNetwork network, CriRuntimeConfig config, Clock clock,
                      ScheduledExecutorService timers, Executor notifications, StartGate starts,
                      RegistryHosts registryHosts) {
        this.starts = starts;
        this.client = client;
        this.network = network;
        this.config = config;
        this.clock = clock;
        this.hub = new EventHub(notifications);
        this.fallbackAddresses = IpPool.forSubnet(config.podCidr());
        var version = client.version();
        this.info = new RuntimeInfo(version.getRuntimeName(), version.getRuntimeVersion(), false);
        this.streams = new CriStreams(client);
        this.images = new CriImages(client, registryHosts);
        network.addSubnet(config.podCidr());
        CriAdoption.adopt(this);
        long period = config.pollInterval().toMillis();
        this.poller = timers.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
    }

    // --- internals shared with CriInstance -----------------------------------------------------------------------

    StartGate startGate() {
        return starts;
    }

    CriClient client() {
        return client;
    }

    PodNetwork network() {
        return network;
    }

    CriRuntimeConfig config() {
        return config;
    }

    CriImages images() {
        return images;
    }

    Instant now() {
        return clock.instant();
    }

    boolean closed() {
        return closed;
    }

    void publish(InstanceEvent event) {
        hub.publish(event);
    }

    Map<InstanceId, CriInstance> instances() {
        return instances;
    }

    IpPool fallbackAddresses() {
        return fallbackAddresses;
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    /** Called by an instance once its sandbox is gone; publishes {@code Removed} under the instance's lock. */
    void removed(CriInstance instance, InstanceStatus last) {
        synchronized (instance.lock) {
            instances.remove(instance.spec.id(), instance);
            network.release(instance.spec.id().value());
            fallbackAddresses.release(instance.spec.id().value());
            publish(new InstanceEvent.Removed(instance.spec.id(), last));
        }
    }

    private void poll() {
        if (closed || instances.isEmpty()) {
            return;
        }
        try {
            Map<String, CriInstance> byInstance = new HashMap<>();
            instances.values().forEach(i -> byInstance.put(i.spec.id().value(), i));
            for (Container c : client.listContainers(null, Map.of(CriSpecs.OWNER_LABEL, config.owner()))) {
                if (c.getState() == ContainerState.CONTAINER_EXITED) {
                    CriInstance instance = byInstance.get(c.getLabelsOrDefault(CriSpecs.INSTANCE_LABEL, ""));
                    if (instance != null) {
                        instance.sawExited(c.getId());
                    }
                }
            }
        } catch (CriException e) {
            LOG.warn("polling container states failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("polling container states failed", e);
        }
    }

    private void open() {
        if (closed) {
            throw new RuntimeUnavailableException("the cri runtime is closed", null);
        }
    }

    // --- InstanceRuntime -----------------------------------------------------------------------------------------

    @Override
    public RuntimeInfo info() {
        return info;
    }

    @Override
    public CreateResult create(InstanceSpec spec) {
        open();
        while (true) {
            CriInstance existing = instances.get(spec.id());
            if (existing != null) {
                return CriAdoption.compare(existing, spec);
            }
            InetAddress address = spec.podIp();
            if (address == null) {
                Allocation allocation = fallbackAddresses.allocate(spec.id().value());
                if (!(allocation instanceof Allocation.Allocated allocated)) {
                    throw new RuntimeUnavailableException("no free address in " + config.podCidr(), null);
                }
                address = allocated.address();
            }
            CriInstance instance = new CriInstance(this, spec, address, now());
            synchronized (instance.lock) {
                if (instances.putIfAbsent(spec.id(), instance) != null) {
                    continue;
                }
                InstanceStatus first = instance.created();
                instance.start();
                return new CreateResult.Created(first);
            }
        }
    }

    @Override
    public CompletableFuture<DeleteResult> delete(InstanceId id, Duration gracePeriod) {
        open();
        CriInstance instance = instances.get(id);
        if (instance == null) {
            return CompletableFuture.completedFuture(new DeleteResult.NotFound(id));
        }
        return instance.delete(gracePeriod);
    }

    @Override
    public Optional<InstanceStatus> status(InstanceId id) {
        CriInstance instance = instances.get(id);
        return instance == null ? Optional.empty() : Optional.of(instance.snapshot());
    }

    @Override
    public List<InstanceStatus> list() {
        open();
        List<InstanceStatus> all = new ArrayList<>();
        instances.values().forEach(i -> all.add(i.snapshot()));
        return all;
    }

    @Override
    public Subscription subscribe(InstanceListener listener) {
        return hub.subscribe(listener);
    }

    private Track track(InstanceId id, String container) {
        CriInstance instance = instances.get(id);
        if (instance == null) {
            throw new InstanceNotFoundException(id);
        }
        Track track = instance.track(container);
        if (track == null) {
            throw new ContainerNotFoundException("instance " + id + " has no container " + container);
        }
        return track;
    }

    @Override
    public LogStream logs(InstanceId id, String container, LogOptions options) {
        open();
        CriInstance instance = instances.get(id);
        Track track = track(id, container);
        int attempt;
        synchronized (instance.lock) {
            attempt = track.attempts - (options.previous() ? 2 : 1);
        }
        if (attempt < 0) {
            if (options.previous()) {
                throw new ContainerNotFoundException("instance " + id + " has no container " + container);
            }
            return CriLogStream.empty();
        }
        Path file = CriSpecs.logDirectory(config, instance.spec).resolve(container).resolve(attempt + ".log");
        int followed = attempt;
        return CriLogStream.open(file, options, () -> {
            synchronized (instance.lock) {
                return instances.get(id) != instance || closed || track.attempts - 1 != followed || track.exited
                        || track.terminated() != null;
            }
        });
    }

    @Override
    public CompletableFuture<ExecResult> exec(InstanceId id, String container, ExecRequest request, ExecIo io) {
        open();
        String containerId = runningContainer(id, container);
        if (request.stdin() && !request.tty() && RUNC != null) {
            // stdin without a terminal must see EOF when the caller's ends (kubectl cp): see RuncExec.
            return new RuncExec(RUNC).exec(containerId, request.command(), io);
        }
        if (request.stdin() || request.tty()) {
            // Interactive: the CRI's streaming Exec (ExecSync has neither stdin nor a terminal).
            return streams.exec(containerId, request.command(), request.stdin(), request.tty(), io);
        }
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Thread.ofVirtual().name("cri-exec-" + id).start(() -> {
            try {
                ExecSyncResponse response = client.execSync(containerId, request.command(), Duration.ZERO);
                io.stdout().write(response.getStdout().toByteArray());
                if (io.stderr() != null) {
                    io.stderr().write(response.getStderr().toByteArray());
                } else {
                    io.stdout().write(response.getStderr().toByteArray());
                }
                result.complete(new ExecResult.Exited(response.getExitCode()));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The CRI id of the running attempt of {@code container}; throws the SPI's not-found exceptions. */
    private String runningContainer(InstanceId id, String container) {
        Track track = track(id, container);
        CriInstance instance = instances.get(id);
        synchronized (instance.lock) {
            if (track.running()) {
                return track.containerId;
            }
        }
        throw new ContainerNotFoundException("container " + container + " of instance " + id + " is not running");
    }

    @Override
    public CompletableFuture<ExecResult> attach(InstanceId id, String container, AttachRequest request, ExecIo io) {
        open();
        String containerId = runningContainer(id, container);
        return streams.attach(containerId, request.stdin(), request.tty(), io, () -> {
            // The session ended: the process's exit code if it has exited, -1 while it still runs.
            try {
                return client.containerStatus(containerId)
                        .filter(s -> s.getState() == ContainerState.CONTAINER_EXITED)
                        .map(s -> s.getExitCode()).orElse(-1);
            } catch (CriException e) {
                return -1;
            }
        });
    }

    @Override
    public PortForwardResult portForward(InstanceId id, int port) {
        open();
        CriInstance instance = instances.get(id);
        if (instance == null) {
            throw new InstanceNotFoundException(id);
        }
        String sandboxId;
        synchronized (instance.lock) {
            sandboxId = instance.sandboxId;
        }
        return streams.portForward(instance.podIp, sandboxId, port);
    }

    @Override
    public CompletableFuture<Boolean> killContainer(InstanceId id, String container, Duration gracePeriod,
                                                    String reason) {
        open();
        Track track = track(id, container);
        return ContainerKills.kill(instances.get(id), track, gracePeriod, reason);
    }

    @Override
    public CompletableFuture<PulledImage> pullImage(String image, List<RegistryCredential> credentials) {
        return pullImage(image, credentials, RegistryAccess.DEFAULT);
    }

    @Override
    public CompletableFuture<PulledImage> pullImage(String image, List<RegistryCredential> credentials,
                                                    RegistryAccess access) {
        open();
        return images.pull(image, credentials == null ? List.of() : credentials,
                access == null ? RegistryAccess.DEFAULT : access);
    }

    @Override
    public Optional<InstanceStats> stats(InstanceId id) {
        open();
        CriInstance instance = instances.get(id);
        if (instance == null) {
            return Optional.empty();
        }
        List<ContainerStats> containers = new ArrayList<>();
        for (var status : instance.snapshot().containers()) {
            if (!(status.state() instanceof dev.skiff.node.runtime.ContainerState.Running running)) {
                continue;
            }
            Track track = instance.track(status.name());
            String containerId;
            synchronized (instance.lock) {
                containerId = track.containerId;
            }
            try {
                var s = client.containerStats(containerId);
                long capacity = track.spec.resources().limits().ephemeralStorageBytes() > 0
                        ? track.spec.resources().limits().ephemeralStorageBytes() : config.ephemeralStorage();
                long used = s.getWritableLayer().getUsedBytes().getValue();
                containers.add(new ContainerStats(status.name(), running.startedAt(),
                        new ContainerStats.Cpu(s.getCpu().getUsageNanoCores().getValue(),
                                s.getCpu().getUsageCoreNanoSeconds().getValue()),
                        new ContainerStats.Memory(s.getMemory().getWorkingSetBytes().getValue(),
                                s.getMemory().getUsageBytes().getValue(), s.getMemory().getRssBytes().getValue()),
                        new ContainerStats.Filesystem(used, Math.max(capacity, used))));
            } catch (CriException e) {
                LOG.debug("stats of {} failed: {}", containerId, e.getMessage());
            }
        }
        return Optional.of(new InstanceStats(id, now(), containers));
    }

    @Override
    public Optional<EphemeralUsage> ephemeralStorage(InstanceId id) {
        open();
        CriInstance instance = instances.get(id);
        return instance == null ? Optional.empty()
                : Optional.of(CriStorage.of(client, config, instance, now()));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        poller.cancel(false);
        hub.close();
        streams.close();
        RuntimeUnavailableException reason = new RuntimeUnavailableException("the cri runtime was closed", null);
        instances.values().forEach(i -> i.abandon(reason));
        instances.clear();
    }
}
