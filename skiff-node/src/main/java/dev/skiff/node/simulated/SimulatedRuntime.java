package dev.skiff.node.simulated;

import dev.skiff.node.runtime.ImageReference;
import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.EphemeralUsage;
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
import dev.skiff.node.runtime.PulledImage;
import dev.skiff.node.runtime.RegistryCredential;
import dev.skiff.node.runtime.RuntimeInfo;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import dev.skiff.node.runtime.Subscription;
import dev.skiff.node.runtime.support.EventHub;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An {@link InstanceRuntime} whose instances are not real: each is a small state machine driven through the
 * {@link SimulationProfile}'s lifecycle stages by timers on one shared scheduler (kwok's approach), so one process
 * holds tens of thousands of instances. Containers run until deleted or for as long as their pod's
 * {@code skiff.dev/simulated-*} annotations say ({@link SimulatedBehaviour}), and restart per the restart policy.
 * Logs are synthetic, exec is {@link ExecResult.Unsupported unsupported}, stats are derived from requests.
 *
 * <p>It says what it is: {@link #info()} is simulated, and every message it writes starts with
 * {@code [simulated]}. It is for scale tests and development only; it runs no workload.
 *
 * <p>Thread-safe. The scheduler runs all timers (two threads are plenty for 50,000 instances, since a transition
 * takes microseconds); the notification executor runs listener deliveries and should be a virtual-thread executor
 * so a slow listener never holds up others. Both belong to the caller.
 */
public final class SimulatedRuntime implements InstanceRuntime {

    public static final RuntimeInfo INFO = new RuntimeInfo("simulated", "0.1.0", true);

    private final SimulationProfile profile;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final EventHub hub;
    private final ConcurrentHashMap<InstanceId, SimInstance> instances = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InstanceId, Set<SimLogStream>> followers = new ConcurrentHashMap<>();
    /** Images "pulled" ahead of time (image caches), normalized: instances needing only these skip Pulling. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public SimulatedRuntime(SimulationProfile profile, Clock clock, ScheduledExecutorService scheduler,
                            Executor notifications) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.hub = new EventHub(notifications);
    }

    @Override
    public RuntimeInfo info() {
        return INFO;
    }

    @Override
    public CreateResult create(InstanceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        checkOpen();
        SimInstance existing = instances.get(spec.id());
        if (existing != null) {
            return compare(existing, spec);
        }
        SimInstance fresh = new SimInstance(this, spec);
        try {
            // Under the new instance's monitor, so nobody who finds it in the map acts on it before it started.
            synchronized (fresh) {
                existing = instances.putIfAbsent(spec.id(), fresh);
                if (existing == null) {
                    fresh.start();
                    return new CreateResult.Created(fresh.snapshot());
                }
            }
        } catch (RuntimeUnavailableException e) {
            instances.remove(spec.id(), fresh);
            throw new RuntimeUnavailableException("the simulated runtime's scheduler is shut down", e);
        }
        return compare(existing, spec);
    }

    private static CreateResult compare(SimInstance existing, InstanceSpec spec) {
        if (existing.spec.equals(spec)) {
            return new CreateResult.Existing(existing.snapshot());
        }
        List<String> differing = new ArrayList<>();
        for (RecordComponent component : InstanceSpec.class.getRecordComponents()) {
            try {
                if (!Objects.equals(component.getAccessor().invoke(existing.spec),
                        component.getAccessor().invoke(spec))) {
                    differing.add(component.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read InstanceSpec." + component.getName(), e);
            }
        }
        return new CreateResult.SpecConflict(existing.snapshot(), "instance " + spec.id()
                + " exists with a different spec (" + String.join(", ", differing)
                + " differ); instances are immutable: delete it and create it again");
    }

    @Override
    public CompletableFuture<DeleteResult> delete(InstanceId id, Duration gracePeriod) {
        Objects.requireNonNull(id, "id");
        if (gracePeriod != null && gracePeriod.isNegative()) {
            throw new IllegalArgumentException("grace period must not be negative: " + gracePeriod);
        }
        checkOpen();
        SimInstance instance = instances.get(id);
        if (instance == null) {
            return CompletableFuture.completedFuture(new DeleteResult.NotFound(id));
        }
        return instance.delete(gracePeriod);
    }

    @Override
    public Optional<InstanceStatus> status(InstanceId id) {
        checkOpen();
        SimInstance instance = instances.get(id);
        return instance == null ? Optional.empty() : Optional.of(instance.snapshot());
    }

    @Override
    public List<InstanceStatus> list() {
        checkOpen();
        List<InstanceStatus> all = new ArrayList<>(instances.size());
        for (SimInstance instance : instances.values()) {
            all.add(instance.snapshot());
        }
        return all;
    }

    /** How many instances exist (cheaper than {@code list().size()}). */
    public int size() {
        return instances.size();
    }

    @Override
    public Subscription subscribe(InstanceListener listener) {
        checkOpen();
        return hub.subscribe(listener);
    }

    @Override
    public LogStream logs(InstanceId id, String container, LogOptions options) {
        Objects.requireNonNull(options, "options");
        InstanceStatus status = existing(id, container);
        SimLogStream stream = new SimLogStream(this, status, container, options);
        if (options.follow() && !options.previous()) {
            followers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(stream);
            // A change between reading the status and registering would be missed: wake once with the latest.
            status(id).ifPresent(stream::wake);
        }
        return stream;
    }

    @Override
    public CompletableFuture<ExecResult> exec(InstanceId id, String container, ExecRequest request, ExecIo io) {
        Objects.requireNonNull(request, "request");
        existing(id, container);
        return CompletableFuture.completedFuture(new ExecResult.Unsupported(
                "the simulated runtime runs no processes: exec is not available in simulated instances"));
    }

    /**
     * Records the image as held without fetching anything: a simulated node "has" every image it was asked to pull,
     * so image caches can be exercised at scale. The id says it is simulated.
     */
    @Override
    public CompletableFuture<PulledImage> pullImage(String image, List<RegistryCredential> credentials) {
        Objects.requireNonNull(image, "image");
        checkOpen();
        held.add(ImageReference.normalize(image));
        return CompletableFuture.completedFuture(new PulledImage(image, "simulated:" + image, 0));
    }

    /** Kills the container's attempt at once (exit code 137): simulated containers have no shutdown to wait for. */
    @Override
    public CompletableFuture<Boolean> killContainer(InstanceId id, String container, Duration gracePeriod,
                                                    String reason) {
        existing(id, container);
        return CompletableFuture.completedFuture(instances.get(id).killContainer(container, reason));
    }

    @Override
    public Optional<InstanceStats> stats(InstanceId id) {
        checkOpen();
        SimInstance instance = instances.get(id);
        if (instance == null) {
            return Optional.empty();
        }
        return Optional.of(SyntheticStats.of(instance.spec, instance.snapshot(), clock.instant(),
                profile.ephemeralStorage()));
    }

    /**
     * What {@link SimulatedStorage} reads from the pod's annotations for every container that was created: the
     * storage limits and eviction of the node agent are tested with it.
     */
    @Override
    public Optional<EphemeralUsage> ephemeralStorage(InstanceId id) {
        checkOpen();
        SimInstance instance = instances.get(id);
        if (instance == null) {
            return Optional.empty();
        }
        return Optional.of(SimulatedStorage.of(instance.spec, instance.snapshot(), clock.instant()));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SimInstance instance : instances.values()) {
            instance.abandon();
        }
        instances.clear();
        hub.close();
        followers.values().forEach(streams -> streams.forEach(SimLogStream::close));
        followers.clear();
    }

    private InstanceStatus existing(InstanceId id, String container) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(container, "container");
        checkOpen();
        SimInstance instance = instances.get(id);
        if (instance == null) {
            throw new InstanceNotFoundException(id);
        }
        InstanceStatus status = instance.snapshot();
        if (status.container(container).isEmpty()) {
            throw new ContainerNotFoundException("container " + container + " is not valid for instance " + id);
        }
        return status;
    }

    private void checkOpen() {
        if (closed) {
            throw new RuntimeUnavailableException("the simulated runtime is closed", null);
        }
    }

    // --- services for SimInstance ------------------------------------------------------------------------------

    SimulationProfile profile() {
        return profile;
    }

    /** Whether {@link #pullImage} put this image on the simulated node. */
    boolean holds(String image) {
        return held.contains(ImageReference.normalize(image));
    }

    Instant now() {
        return clock.instant();
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throw new RuntimeUnavailableException("the simulated runtime's scheduler is shut down", e);
        }
    }

    boolean listening() {
        return hub.hasSubscribers();
    }

    void publish(InstanceEvent event) {
        hub.publish(event);
    }

    /** An instance published a new snapshot: wake whoever follows its logs. */
    void changed(InstanceStatus status) {
        Set<SimLogStream> streams = followers.get(status.id());
        if (streams != null) {
            streams.forEach(s -> s.wake(status));
        }
    }

    boolean exists(InstanceId id) {
        return instances.containsKey(id);
    }

    /** An instance finished its deletion: forget it, and end the logs followed on it. */
    void removed(SimInstance instance) {
        instances.remove(instance.spec.id(), instance);
        Set<SimLogStream> streams = followers.remove(instance.spec.id());
        if (streams != null) {
            InstanceStatus last = instance.snapshot();
            streams.forEach(s -> s.wake(last));
        }
    }

    void unfollow(InstanceId id, SimLogStream stream) {
        followers.computeIfPresent(id, (k, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    static String imageId(String image) {
        return image + "@simulated";
    }

    /** {@code simulated://} and 16 hex digits, distinct per instance, container position and attempt. */
    static String containerId(InstanceId id, int position, int attempt) {
        long h = id.value().hashCode() * 0x9E3779B97F4A7C15L + position * 0xC2B2AE3D27D4EB4FL + attempt;
        h ^= (h >>> 31);
        h *= 0xBF58476D1CE4E5B9L;
        h ^= (h >>> 29);
        return "simulated://" + String.format("%016x", h);
    }
}
