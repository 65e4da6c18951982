package dev.skiff.node.agent.probe;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's probe manager and postStart hook runner for the pods of one node. {@link #sync} starts one
 * {@link ProbeWorker} per probe of each container of a running pod (ticking every {@code periodSeconds} on the
 * scheduler, probing on virtual threads) and runs a container's postStart handler once per attempt, before its
 * probes; {@link #overlay} folds the results into an instance's status (ready and started flags), which is what the
 * pod's Ready and ContainersReady conditions are computed from; {@link #generation} grows with every change so the
 * agent knows to write the status again. Thread-safe.
 */
public final class ProbeManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeManager.class);

    /** Where results go. */
    public interface Sink {

        /** A pod's probe results changed: its status must be written again. */
        void changed(String podUid);

        /** An Event about a container of the pod. */
        void event(Pod pod, String container, boolean warning, String reason, String message);
    }

    private final InstanceRuntime runtime;
    private final Handlers handlers;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Sink sink;
    private final Map<String, PodProbes> pods = new ConcurrentHashMap<>();

    public ProbeManager(InstanceRuntime runtime, Handlers handlers, Clock clock, ScheduledExecutorService scheduler,
                        Sink sink) {
        this.runtime = runtime;
        this.handlers = handlers;
        this.clock = clock;
        this.scheduler = scheduler;
        this.sink = sink;
    }

    /** One pod's workers. */
    private final class PodProbes {
        final String uid;
        volatile Pod pod;
        volatile String podIp;
        final AtomicLong generation = new AtomicLong();
        final Map<String, ContainerProbes> containers = new ConcurrentHashMap<>();
        final List<ScheduledFuture<?>> timers = new ArrayList<>();

        PodProbes(Pod pod) {
            this.uid = pod.getMetadata().getUid();
            this.pod = pod;
        }
    }

    /** One container's workers and its postStart state. */
    private final class ContainerProbes {
        final Container container;
        ProbeWorker liveness;
        ProbeWorker readiness;
        ProbeWorker startup;
        /** The attempt whose postStart handler ran (or runs), and whether it finished. */
        volatile String postStartFor;
        volatile boolean postStartDone = true;

        ContainerProbes(Container container) {
            this.container = container;
        }

        boolean startupDone() {
            return startup == null || startup.result();
        }
    }

    /**
     * Starts probing a running pod (idempotent) and runs postStart handlers of new container attempts. Pods whose
     * instance is terminal or being deleted stop probing.
     */
    public void sync(Pod pod, InstanceStatus status) {
        String uid = pod.getMetadata().getUid();
        if (status.terminal() || status.terminating()) {
            remove(uid);
            return;
        }
        if (!pods.containsKey(uid) && !probed(pod)) {
            return; // nothing to probe or hook: no state kept for the pod
        }
        PodProbes probes = pods.computeIfAbsent(uid, k -> start(pod));
        probes.pod = pod;
        probes.podIp = status.podIp() == null ? null : status.podIp().getHostAddress();
        for (ContainerStatus c : status.containers()) {
            ContainerProbes cp = probes.containers.get(c.name());
            if (cp == null || !(c.state() instanceof ContainerState.Running) || c.containerId().equals(cp.postStartFor)) {
                continue;
            }
            LifecycleHandler hook = cp.container.getLifecycle() == null ? null
                    : cp.container.getLifecycle().getPostStart();
            cp.postStartFor = c.containerId();
            if (hook == null) {
                continue;
            }
            cp.postStartDone = false;
            String attempt = c.containerId();
            Thread.ofVirtual().name("post-start-" + c.name()).start(() -> postStart(probes, cp, hook, attempt));
        }
    }

    private static boolean probed(Pod pod) {
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getLivenessProbe() != null || c.getReadinessProbe() != null || c.getStartupProbe() != null
                    || c.getLifecycle() != null && c.getLifecycle().getPostStart() != null) {
                return true;
            }
        }
        return false;
    }

    private PodProbes start(Pod pod) {
        PodProbes probes = new PodProbes(pod);
        for (Container c : pod.getSpec().getContainers()) {
            ContainerProbes cp = new ContainerProbes(c);
            cp.startup = worker(probes, cp, ProbeKind.STARTUP, c.getStartupProbe());
            cp.liveness = worker(probes, cp, ProbeKind.LIVENESS, c.getLivenessProbe());
            cp.readiness = worker(probes, cp, ProbeKind.READINESS, c.getReadinessProbe());
            probes.containers.put(c.getName(), cp);
        }
        return probes;
    }

    private ProbeWorker worker(PodProbes probes, ContainerProbes cp, ProbeKind kind, Probe probe) {
        if (probe == null) {
            return null;
        }
        String name = cp.container.getName();
        ProbeWorker worker = new ProbeWorker(kind, probe, clock, () -> handlers.run(probe.getExec(),
                probe.getHttpGet(), probe.getTcpSocket(), probe.getGrpc(), target(probes, cp),
                Duration.ofSeconds(ProbeWorker.positive(probe.getTimeoutSeconds(), 1))),
                new ProbeWorker.Listener() {
                    @Override
                    public void changed() {
                        probes.generation.incrementAndGet();
                        sink.changed(probes.uid);
                    }

                    @Override
                    public void unhealthy(ProbeKind k, String output) {
                        sink.event(probes.pod, name, true, "Unhealthy", k.label() + " probe failed: " + output);
                    }

                    @Override
                    public void kill(ProbeKind k) {
                        String message = "Container " + name + " failed " + k.label().toLowerCase()
                                + " probe, will be restarted";
                        killContainer(probes, name, grace(probes.pod, probe), message);
                    }
                });
        AtomicBoolean busy = new AtomicBoolean();
        long period = worker.period().toMillis();
        ScheduledFuture<?> timer = scheduler.scheduleWithFixedDelay(() -> {
            if (busy.compareAndSet(false, true)) {
                Thread.ofVirtual().name("probe-" + kind.label() + "-" + name).start(() -> {
                    try {
                        tick(probes, cp, worker);
                    } catch (RuntimeException e) {
                        LOG.warn("probe of {} in pod {} failed: {}", name, probes.uid, e.toString());
                    } finally {
                        busy.set(false);
                    }
                });
            }
        }, 0, period, TimeUnit.MILLISECONDS);
        synchronized (probes.timers) {
            probes.timers.add(timer);
        }
        return worker;
    }

    private void tick(PodProbes probes, ContainerProbes cp, ProbeWorker worker) {
        if (!cp.postStartDone) {
            return; // the kubelet does not probe a container whose postStart hook is still running
        }
        ContainerStatus status = runtime.status(InstanceId.of(probes.uid))
                .flatMap(s -> s.container(cp.container.getName())).orElse(null);
        worker.tick(status, cp.startupDone());
    }

    private void postStart(PodProbes probes, ContainerProbes cp, LifecycleHandler hook, String attempt) {
        String name = cp.container.getName();
        Outcome outcome = handlers.hook(hook, target(probes, cp), grace(probes.pod, null));
        cp.postStartDone = true;
        probes.generation.incrementAndGet(); // the container now counts as started
        sink.changed(probes.uid);
        if (!outcome.success() && attempt.equals(cp.postStartFor)) {
            // As the kubelet: the hook's failure is reported and the container killed (then restarted or not).
            sink.event(probes.pod, name, true, "FailedPostStartHook", outcome.output());
            killContainer(probes, name, grace(probes.pod, null), "FailedPostStartHook");
        }
    }

    private void killContainer(PodProbes probes, String name, Duration grace, String reason) {
        try {
            runtime.killContainer(InstanceId.of(probes.uid), name, grace, reason).whenComplete((killed, e) -> {
                if (e != null) {
                    sink.event(probes.pod, name, true, "Failed", "cannot restart container " + name + ": "
                            + e.getMessage());
                }
                sink.changed(probes.uid);
            });
        } catch (RuntimeException e) {
            LOG.info("pod {}: container {} not restarted: {}", probes.uid, name, e.getMessage());
        }
    }

    private Target target(PodProbes probes, ContainerProbes cp) {
        return new Target(InstanceId.of(probes.uid), probes.pod, cp.container, probes.podIp);
    }

    /** The probe's own terminationGracePeriodSeconds, else the pod's, else 30 s. */
    public static Duration grace(Pod pod, Probe probe) {
        if (probe != null && probe.getTerminationGracePeriodSeconds() != null) {
            return Duration.ofSeconds(probe.getTerminationGracePeriodSeconds());
        }
        Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(seconds == null ? 30 : Math.max(0, seconds));
    }

    /**
     * {@code status} with each probed container's {@code started} and {@code ready} flags as its probes say:
     * started once its startup probe succeeded; ready only when also started and its readiness probe succeeded.
     * Containers without probes keep the runtime's flags.
     */
    public InstanceStatus overlay(InstanceStatus status) {
        PodProbes probes = pods.get(status.id().value());
        if (probes == null) {
            return status;
        }
        List<ContainerStatus> containers = new ArrayList<>();
        for (ContainerStatus c : status.containers()) {
            ContainerProbes cp = probes.containers.get(c.name());
            if (cp == null || (cp.startup == null && cp.readiness == null && cp.postStartDone)) {
                containers.add(c);
                continue;
            }
            boolean started = c.started() && cp.startupDone() && cp.postStartDone;
            boolean ready = c.ready() && started && (cp.readiness == null || cp.readiness.result());
            containers.add(new ContainerStatus(c.name(), c.image(), c.imageId(), c.containerId(), c.state(),
                    c.lastState(), c.restartCount(), ready, started));
        }
        return new InstanceStatus(status.id(), status.version(), status.state(), status.podIp(), status.createdAt(),
                status.initContainers(), containers, status.terminatingSince());
    }

    /** Grows whenever a probe result of the pod changes. */
    public long generation(String podUid) {
        PodProbes probes = pods.get(podUid);
        return probes == null ? 0 : probes.generation.get();
    }

    /** Stops probing a pod. Idempotent. */
    public void remove(String podUid) {
        PodProbes probes = pods.remove(podUid);
        if (probes != null) {
            synchronized (probes.timers) {
                probes.timers.forEach(t -> t.cancel(false));
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(pods.keySet()).forEach(this::remove);
    }
}
