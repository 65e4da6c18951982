package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.proto.PodSandboxConfig;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance: a pod sandbox and its containers, driven by one virtual thread that walks the kubelet's steps
 * (sandbox, image pulls, init containers in order, containers, supervision with restart backoff) and, once deleted,
 * stops everything and removes the sandbox. Other threads only read snapshots, ask for deletion, and signal that
 * the runtime's poller saw containers exit. Every change happens under {@link #lock} and is published there, so
 * subscribers see an instance's events in order.
 */
final class CriInstance {

    private static final Logger LOG = LoggerFactory.getLogger(CriInstance.class);

    /** Thrown inside the worker when a deletion (or the runtime's close) ends what it was doing. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super(null, null, false, false);
        }
    }

    final Object lock = new Object();
    final CriRuntime runtime;
    final CriClient client;
    InstanceSpec spec;
    /** False for an adopted instance until the node agent names its spec again (restarts need the full spec). */
    boolean specKnown;
    final InetAddress podIp;
    final Instant createdAt;
    final List<Track> init = new ArrayList<>();
    final List<Track> main = new ArrayList<>();
    private long version;
    InstanceState state;
    private Instant terminatingSince;
    String sandboxId;
    PodSandboxConfig sandboxConfig;
    private boolean deleting;
    Duration grace;
    final CompletableFuture<DeleteResult> deletion = new CompletableFuture<>();
    /** Container ids the poller saw exited and the worker has not read yet. */
    final Set<String> exitedSeen = new java.util.HashSet<>();
    private boolean signalled;
    /** The first start's stages for a Flight Recording (see {@link FirstStart}). */
    private final InstanceStartEvent startEvent = new InstanceStartEvent();
    private long startNanos;

    CriInstance(CriRuntime runtime, InstanceSpec spec, InetAddress podIp, Instant createdAt) {
        this.runtime = runtime;
        this.client = runtime.client();
        this.spec = spec;
        this.specKnown = true;
        this.podIp = podIp;
        this.createdAt = createdAt;
        spec.initContainers().forEach(c -> init.add(new Track(c, true)));
        spec.containers().forEach(c -> main.add(new Track(c, false)));
        if (!init.isEmpty()) {
            // The kubelet's default waiting reason is PodInitializing for every container of a pod with init
            // containers (ContainerCreating only without them): kubectl shows it until the init containers are done.
            main.forEach(t -> t.state = new ContainerState.Waiting("PodInitializing", ""));
        }
        this.state = new InstanceState.Pending("ContainerCreating", "");
        this.version = 1;
    }

    /** The instance's first snapshot; call once, before {@link #start}. */
    InstanceStatus created() {
        synchronized (lock) {
            InstanceStatus status = snapshot();
            runtime.publish(new InstanceEvent.StatusChanged(status));
            return status;
        }
    }

    /** Marks an adopted instance: its sandbox exists, its state was rebuilt from the CRI. */
    void adopted(String existingSandbox, InstanceState rebuilt) {
        synchronized (lock) {
            this.sandboxId = existingSandbox;
            this.sandboxConfig = CriSpecs.sandbox(runtime.config(), spec);
            this.specKnown = false;
            this.state = rebuilt;
        }
    }

    void start() {
        startEvent.begin();
        startNanos = System.nanoTime();
        Thread.ofVirtual().name("cri-instance-" + spec.id()).start(this::run);
    }

    InstanceStatus snapshot() {
        synchronized (lock) {
            return new InstanceStatus(spec.id(), version, state, podIp, createdAt,
                    init.stream().map(Track::status).toList(), main.stream().map(Track::status).toList(),
                    terminatingSince);
        }
    }

    boolean currentContainer(String containerId) {
        synchronized (lock) {
            for (Track t : tracks()) {
                if (containerId.equals(t.containerId)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The poller saw {@code containerId} of this instance exited. */
    void sawExited(String containerId) {
        synchronized (lock) {
            if (currentContainer(containerId) && exitedSeen.add(containerId)) {
                signal();
            }
        }
    }

    /**
     * Asks for deletion with {@code gracePeriod} (null: the spec's). A later, shorter grace period shortens a
     * running stop; a longer one never extends it.
     */
    CompletableFuture<DeleteResult> delete(Duration gracePeriod) {
        Duration asked = gracePeriod == null ? spec.gracePeriod() : gracePeriod;
        synchronized (lock) {
            if (!deleting) {
                deleting = true;
                grace = asked;
                terminatingSince = runtime.now();
                changed();
                signal();
            } else if (asked.compareTo(grace) < 0) {
                grace = asked;
                // The worker may be blocked in StopContainer with the longer timeout: stop again with the shorter
                // one, as the kubelet does when a second delete shortens the grace period.
                List<String> running = tracks().stream().filter(t -> t.containerId != null && t.running())
                        .map(t -> t.containerId).toList();
                long seconds = InstanceTeardown.seconds(asked);
                Thread.ofVirtual().start(() -> running.forEach(id -> {
                    try {
                        client.stopContainer(id, seconds);
                    } catch (CriException e) {
                        LOG.debug("shortened stop of {} failed: {}", id, e.getMessage());
                    }
                }));
            }
            return deletion;
        }
    }

    boolean deleting() {
        synchronized (lock) {
            return deleting;
        }
    }

    /** The runtime closed: deletions still waiting fail, the worker ends, the sandbox stays for adoption. */
    void abandon(RuntimeException reason) {
        synchronized (lock) {
            signal();
        }
        deletion.completeExceptionally(reason);
    }

    List<Track> tracks() {
        List<Track> all = new ArrayList<>(init);
        all.addAll(main);
        return all;
    }

    void signal() {
        signalled = true;
        lock.notifyAll();
    }

    void changed() {
        version++;
        runtime.publish(new InstanceEvent.StatusChanged(snapshot()));
    }

    void occurred(String container, boolean warning, String reason, String message) {
        runtime.publish(new InstanceEvent.Occurred(spec.id(), container, warning, reason, message, runtime.now()));
    }

    /** Waits until {@code until}, a signal, or a deletion; throws {@link Interrupted} on deletion or close. */
    void await(Instant until) {
        synchronized (lock) {
            while (!signalled && !deleting && !runtime.closed()) {
                long millis = Duration.between(runtime.now(), until).toMillis();
                if (millis <= 0) {
                    break;
                }
                try {
                    lock.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Interrupted();
                }
            }
            signalled = false;
            checkGoing();
        }
    }

    void checkGoing() {
        synchronized (lock) {
            if (deleting || runtime.closed()) {
                throw new Interrupted();
            }
        }
    }

    // --- the worker ----------------------------------------------------------------------------------------------

    private void run() {
        try {
            if (sandboxId == null) {
                FirstStart.run(this, startEvent, startNanos);
            }
            supervise();
        } catch (Interrupted e) {
            // deletion or close: handled below
        } catch (RuntimeException e) {
            if (!runtime.closed()) {
                LOG.warn("instance {} failed: {}", spec.id(), e.getMessage());
                synchronized (lock) {
                    if (!deleting) {
                        state = new InstanceState.Failed("ProviderFailed", e.getMessage(), runtime.now());
                        changed();
                    }
                }
                waitForDeletion();
            }
        }
        if (!runtime.closed()) {
            InstanceTeardown.run(this);
        }
    }

    void waitForDeletion() {
        synchronized (lock) {
            while (!deleting && !runtime.closed()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    void startSandbox() {
        checkGoing();
        PodSandboxConfig config = CriSpecs.sandbox(runtime.config(), spec);
        runtime.network().assign(spec.id().value(), podIp, runtime.config().podCidr());
        String id = client.runPodSandbox(config);
        synchronized (lock) {
            sandboxId = id;
            sandboxConfig = config;
        }
        checkGoing();
    }

    void runInitContainers() {
        for (Track t : init) {
            while (true) {
                ContainerAttempts.createAndStart(this, t);
                ContainerState.Terminated exit = awaitExit(t);
                if (exit.exitCode() == 0) {
                    break;
                }
                if (!spec.restartPolicy().restarts(exit.exitCode())) {
                    synchronized (lock) {
                        state = new InstanceState.Failed("Error", "init container " + t.spec.name()
                                + " exited with code " + exit.exitCode(), runtime.now());
                        changed();
                    }
                    waitForDeletion();
                    throw new Interrupted();
                }
                backOff(t);
            }
        }
    }

    void startContainers() {
        for (Track t : main) {
            ContainerAttempts.createAndStart(this, t);
        }
    }

    /**
     * Supervises the containers: reads exits, restarts per policy after backoff, keeps the phase current. An adopted
     * instance whose spec is not known yet neither restarts nor ends: it waits for the node agent's create.
     */
    private void supervise() {
        while (true) {
            Instant next = runtime.now().plus(runtime.config().pollInterval().multipliedBy(4));
            for (Track t : main) {
                boolean exited = false;
                if (t.containerId != null && !t.exited && exitSeen(t)) {
                    ContainerAttempts.readExit(this, t);
                    exited = true;
                }
                synchronized (lock) {
                    boolean scheduled = scheduleRestart(t);
                    if (specKnown && (exited || scheduled)) {
                        state = PhaseRules.evaluate(state, main, runtime.now());
                    }
                    if (exited || scheduled) {
                        changed();
                    }
                }
                if (t.restartAt != null) {
                    if (!t.restartAt.isAfter(runtime.now())) {
                        synchronized (lock) {
                            t.restartAt = null;
                            t.restarts++;
                        }
                        ContainerAttempts.createAndStart(this, t);
                    } else if (t.restartAt.isBefore(next)) {
                        next = t.restartAt;
                    }
                }
            }
            await(next);
        }
    }

    /** Puts an exited container that the policy restarts into CrashLoopBackOff until its backoff is over. */
    boolean scheduleRestart(Track t) {
        ContainerState.Terminated exit = t.terminated();
        if (exit == null || t.restartAt != null || !specKnown || state.terminal()
                || !spec.restartPolicy().restarts(exit.exitCode())) {
            return false;
        }
        Duration delay = runtime.config().backoff(t.restarts);
        t.restartAt = runtime.now().plus(delay);
        t.lastState = exit;
        t.state = new ContainerState.Waiting("CrashLoopBackOff", "back-off " + delay
                + " restarting failed container=" + t.spec.name());
        occurred(t.spec.name(), true, "BackOff", "Back-off restarting failed container " + t.spec.name());
        return true;
    }

    private boolean exitSeen(Track t) {
        synchronized (lock) {
            return exitedSeen.contains(t.containerId);
        }
    }

    private void backOff(Track t) {
        Duration delay = runtime.config().backoff(t.restarts);
        synchronized (lock) {
            t.lastState = t.terminated();
            t.state = new ContainerState.Waiting("CrashLoopBackOff", "back-off " + delay
                    + " restarting failed container=" + t.spec.name());
            occurred(t.spec.name(), true, "BackOff", "Back-off restarting failed container " + t.spec.name());
            changed();
        }
        await(runtime.now().plus(delay));
        synchronized (lock) {
            t.restarts++;
        }
    }

    private ContainerState.Terminated awaitExit(Track t) {
        synchronized (lock) {
            if (t.exited) {
                return t.terminated();
            }
        }
        while (!exitSeen(t)) {
            await(runtime.now().plus(runtime.config().pollInterval().multipliedBy(4)));
        }
        ContainerState.Terminated exit = ContainerAttempts.readExit(this, t);
        synchronized (lock) {
            changed();
        }
        return exit;
    }

    /** For status lookups of logs and exec: the current (or previous) CRI container of {@code name}. */
    Track track(String name) {
        synchronized (lock) {
            for (Track t : tracks()) {
                if (t.spec.name().equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    ContainerStatus containerStatus(String name) {
        synchronized (lock) {
            Track t = track(name);
            return t == null ? null : t.status();
        }
    }
}
