package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.cri.proto.PodSandboxConfig;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.ImagePullPolicy;
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
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super(null, null, false, false);
        }
    }

    /** An image is missing and the pull policy forbids pulling it. */
    private static final class NeverPull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeverPull(String message) {
            super(message, null, false, false);
        }
    }

    final Object lock = new Object();
    private final CriRuntime runtime;
    private final CriClient client;
    InstanceSpec spec;
    /** False for an adopted instance until the node agent names its spec again (restarts need the full spec). */
    boolean specKnown;
    final InetAddress podIp;
    final Instant createdAt;
    final List<Track> init = new ArrayList<>();
    final List<Track> main = new ArrayList<>();
    private long version;
    private InstanceState state;
    private Instant terminatingSince;
    String sandboxId;
    private PodSandboxConfig sandboxConfig;
    private boolean deleting;
    private Duration grace;
    private final CompletableFuture<DeleteResult> deletion = new CompletableFuture<>();
    /** Container ids the poller saw exited and the worker has not read yet. */
    private final Set<String> exitedSeen = new java.util.HashSet<>();
    private boolean signalled;

    CriInstance(CriRuntime runtime, InstanceSpec spec, InetAddress podIp, Instant createdAt) {
        this.runtime = runtime;
        this.client = runtime.client();
        this.spec = spec;
        this.specKnown = true;
        this.podIp = podIp;
        this.createdAt = createdAt;
        spec.initContainers().forEach(c -> init.add(new Track(c, true)));
        spec.containers().forEach(c -> main.add(new Track(c, false)));
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
                long seconds = seconds(asked);
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

    /** The runtime closed: deletions still waiting fail, the worker ends, the sandbox stays for adoption. */
    void abandon(RuntimeException reason) {
        synchronized (lock) {
            signal();
        }
        deletion.completeExceptionally(reason);
    }

    private List<Track> tracks() {
        List<Track> all = new ArrayList<>(init);
        all.addAll(main);
        return all;
    }

    private void signal() {
        signalled = true;
        lock.notifyAll();
    }

    private void changed() {
        version++;
        runtime.publish(new InstanceEvent.StatusChanged(snapshot()));
    }

    private void occurred(String container, boolean warning, String reason, String message) {
        runtime.publish(new InstanceEvent.Occurred(spec.id(), container, warning, reason, message, runtime.now()));
    }

    /** Waits until {@code until}, a signal, or a deletion; throws {@link Interrupted} on deletion or close. */
    private void await(Instant until) {
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

    private void checkGoing() {
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
                startSandbox();
                pullImages();
                runInitContainers();
                startContainers();
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
            teardown();
        }
    }

    private void waitForDeletion() {
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

    private void startSandbox() {
        PodSandboxConfig config = CriSpecs.sandbox(runtime.config(), spec);
        runtime.network().assign(spec.id().value(), podIp, runtime.config().podCidr());
        String id = client.runPodSandbox(config);
        synchronized (lock) {
            sandboxId = id;
            sandboxConfig = config;
        }
        checkGoing();
    }

    private void pullImages() {
        for (Track t : tracks()) {
            int failures = 0;
            while (true) {
                checkGoing();
                try {
                    String ref = ensureImage(t);
                    synchronized (lock) {
                        t.imageRef = ref;
                    }
                    break;
                } catch (NeverPull e) {
                    // The kubelet's ErrImageNeverPull: nothing to pull; look again after the backoff.
                    synchronized (lock) {
                        t.state = new ContainerState.Waiting("ErrImageNeverPull", e.getMessage());
                        occurred(t.spec.name(), true, "ErrImageNeverPull", e.getMessage());
                        changed();
                    }
                    await(runtime.now().plus(runtime.config().backoff(failures++)));
                } catch (CriException e) {
                    if (e.unreachable()) {
                        throw e;
                    }
                    // The kubelet's image pull states: ErrImagePull right after a failure, ImagePullBackOff while
                    // waiting for the next attempt.
                    Duration backoff = runtime.config().backoff(failures++);
                    synchronized (lock) {
                        t.state = new ContainerState.Waiting("ErrImagePull", e.getMessage());
                        occurred(t.spec.name(), true, "Failed", "Failed to pull image \"" + t.spec.image() + "\": "
                                + e.getMessage());
                        changed();
                    }
                    await(runtime.now().plus(backoff.dividedBy(2)));
                    synchronized (lock) {
                        t.state = new ContainerState.Waiting("ImagePullBackOff", "Back-off pulling image \""
                                + t.spec.image() + "\"");
                        occurred(t.spec.name(), false, "BackOff", "Back-off pulling image \"" + t.spec.image()
                                + "\"");
                        changed();
                    }
                    await(runtime.now().plus(backoff.dividedBy(2)));
                }
            }
        }
    }

    private String ensureImage(Track t) {
        ImagePullPolicy policy = t.spec.imagePullPolicy();
        if (policy != ImagePullPolicy.ALWAYS) {
            var present = client.imageId(t.spec.image());
            if (present.isPresent()) {
                return present.get();
            }
            if (policy == ImagePullPolicy.NEVER) {
                throw new NeverPull("Container image \"" + t.spec.image()
                        + "\" is not present with pull policy of Never");
            }
        }
        occurred(t.spec.name(), false, "Pulling", "Pulling image \"" + t.spec.image() + "\"");
        String ref = client.pullImage(t.spec.image());
        occurred(t.spec.name(), false, "Pulled", "Successfully pulled image \"" + t.spec.image() + "\"");
        return ref;
    }

    private void runInitContainers() {
        for (Track t : init) {
            while (true) {
                createAndStart(t);
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

    private void startContainers() {
        for (Track t : main) {
            createAndStart(t);
        }
    }

    /** Supervises the containers: reads exits, restarts per policy after backoff, keeps the phase current. */
    private void supervise() {
        while (true) {
            Instant next = runtime.now().plus(runtime.config().pollInterval().multipliedBy(4));
            for (Track t : main) {
                if (t.containerId != null && !t.exited && exitSeen(t)) {
                    ContainerState.Terminated exit = readExit(t);
                    synchronized (lock) {
                        if (specKnown && spec.restartPolicy().restarts(exit.exitCode())) {
                            Duration delay = runtime.config().backoff(t.restarts);
                            t.restartAt = runtime.now().plus(delay);
                            t.lastState = exit;
                            t.state = new ContainerState.Waiting("CrashLoopBackOff", "back-off " + delay
                                    + " restarting failed container=" + t.spec.name());
                            occurred(t.spec.name(), true, "BackOff", "Back-off restarting failed container "
                                    + t.spec.name());
                        }
                        evaluate();
                        changed();
                    }
                }
                if (t.restartAt != null) {
                    if (!t.restartAt.isAfter(runtime.now())) {
                        synchronized (lock) {
                            t.restartAt = null;
                            t.restarts++;
                        }
                        createAndStart(t);
                    } else if (t.restartAt.isBefore(next)) {
                        next = t.restartAt;
                    }
                }
            }
            await(next);
        }
    }

    private boolean exitSeen(Track t) {
        synchronized (lock) {
            return exitedSeen.contains(t.containerId);
        }
    }

    /** The kubelet's phase rule: Running while a container runs or will restart; else Succeeded or Failed. */
    private void evaluate() {
        if (state.terminal()) {
            return;
        }
        boolean anyLive = false;
        for (Track t : main) {
            if (t.terminated() == null) {
                anyLive = true;
            }
        }
        if (anyLive) {
            if (!(state instanceof InstanceState.Running)) {
                state = new InstanceState.Running(runtime.now());
            }
            return;
        }
        state = terminalState();
    }

    private InstanceState terminalState() {
        Instant now = runtime.now();
        for (Track t : main) {
            ContainerState.Terminated exit = t.terminated();
            if (exit == null || exit.exitCode() != 0) {
                return new InstanceState.Failed("Error", "container " + t.spec.name()
                        + (exit == null ? " did not run" : " exited with code " + exit.exitCode()), now);
            }
        }
        return new InstanceState.Succeeded(now);
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
        ContainerState.Terminated exit = readExit(t);
        synchronized (lock) {
            changed();
        }
        return exit;
    }

    /** Reads how the current attempt ended (exit code, OOMKilled) and records it as the container's state. */
    private ContainerState.Terminated readExit(Track t) {
        var status = client.containerStatus(t.containerId);
        ContainerState.Terminated exit;
        if (status.isEmpty()) {
            exit = new ContainerState.Terminated(137, "ContainerStatusUnknown", "the container disappeared",
                    null, runtime.now());
        } else {
            var s = status.get();
            String reason = s.getReason().isEmpty() ? ContainerState.Terminated.reasonFor(s.getExitCode())
                    : s.getReason();
            exit = new ContainerState.Terminated(s.getExitCode(), reason, s.getMessage(),
                    s.getStartedAt() == 0 ? null : CriRuntime.instant(s.getStartedAt()),
                    s.getFinishedAt() == 0 ? runtime.now() : CriRuntime.instant(s.getFinishedAt()));
        }
        synchronized (lock) {
            t.exited = true;
            t.state = exit;
        }
        return exit;
    }

    private void createAndStart(Track t) {
        checkGoing();
        int attempt;
        synchronized (lock) {
            attempt = t.attempts++;
        }
        String id = client.createContainer(sandboxId, CriSpecs.container(runtime.config(), spec, t.spec, t.init,
                attempt), sandboxConfig);
        String obsolete;
        synchronized (lock) {
            obsolete = t.previousId;
            t.previousId = t.containerId;
            t.containerId = id;
            t.exited = false;
            if (t.previousId != null) {
                exitedSeen.remove(t.previousId);
            }
            occurred(t.spec.name(), false, "Created", "Created container " + t.spec.name());
        }
        if (obsolete != null) {
            // Keep one dead attempt (for logs --previous), as the kubelet keeps one; remove older ones.
            try {
                client.removeContainer(obsolete);
            } catch (CriException e) {
                LOG.debug("removing old attempt {} failed: {}", obsolete, e.getMessage());
            }
        }
        try {
            client.startContainer(id);
        } catch (CriException e) {
            if (e.unreachable()) {
                throw e;
            }
            // A container that cannot start (no such executable...) counts as an exit, as containerd reports
            // it: the restart policy and backoff apply.
            synchronized (lock) {
                t.exited = true;
                ContainerState.Terminated failed = new ContainerState.Terminated(128, "StartError", e.getMessage(),
                        null, runtime.now());
                t.state = failed;
                occurred(t.spec.name(), true, "Failed", "Error: " + e.getMessage());
                if (!t.init && specKnown && spec.restartPolicy().restarts(failed.exitCode())) {
                    Duration delay = runtime.config().backoff(t.restarts);
                    t.restartAt = runtime.now().plus(delay);
                    t.lastState = failed;
                    t.state = new ContainerState.Waiting("CrashLoopBackOff", "back-off " + delay
                            + " restarting failed container=" + t.spec.name());
                }
                if (!t.init) {
                    evaluate();
                }
                changed();
            }
            return;
        }
        Instant startedAt = client.containerStatus(id).filter(s -> s.getStartedAt() != 0)
                .map(s -> CriRuntime.instant(s.getStartedAt())).orElse(runtime.now());
        synchronized (lock) {
            t.state = new ContainerState.Running(startedAt);
            occurred(t.spec.name(), false, "Started", "Started container " + t.spec.name());
            if (!t.init) {
                evaluate();
            } else {
                state = new InstanceState.Pending("PodInitializing", "");
            }
            changed();
        }
    }

    // --- deletion ------------------------------------------------------------------------------------------------

    private static long seconds(Duration d) {
        // CRI timeouts are whole seconds: round up, so a container is never killed before its grace period ends.
        long s = d.toSeconds();
        return d.minusSeconds(s).isZero() ? s : s + 1;
    }

    private void teardown() {
        Duration stopGrace;
        List<Track> toStop;
        synchronized (lock) {
            stopGrace = grace;
            toStop = tracks().stream().filter(t -> t.containerId != null && t.terminated() == null
                    && !(t.state instanceof ContainerState.Waiting)).toList();
            if (!toStop.isEmpty()) {
                occurred(null, false, "Killing", "Stopping containers with a grace period of " + stopGrace);
            }
        }
        List<Thread> stoppers = new ArrayList<>();
        for (Track t : toStop) {
            stoppers.add(Thread.ofVirtual().start(() -> {
                try {
                    client.stopContainer(t.containerId, seconds(stopGrace));
                    readExit(t);
                } catch (CriException e) {
                    LOG.warn("stopping container {} of {} failed: {}", t.spec.name(), spec.id(), e.getMessage());
                }
            }));
        }
        for (Thread s : stoppers) {
            try {
                s.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        InstanceStatus last;
        synchronized (lock) {
            Instant now = runtime.now();
            for (Track t : tracks()) {
                if (t.terminated() == null) {
                    // Never ran, or waited to restart: reported as the kubelet reports such containers of a
                    // deleted pod.
                    t.state = new ContainerState.Terminated(137, "ContainerStatusUnknown",
                            "the container was not running when the instance was deleted", null, now);
                }
            }
            if (!state.terminal()) {
                state = terminalState();
            }
            changed();
            last = snapshot();
        }
        if (sandboxId != null) {
            try {
                client.stopPodSandbox(sandboxId);
                client.removePodSandbox(sandboxId);
            } catch (CriException e) {
                LOG.warn("removing sandbox of {} failed: {}", spec.id(), e.getMessage());
            }
        }
        runtime.removed(this, last);
        deletion.complete(new DeleteResult.Deleted(last));
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
