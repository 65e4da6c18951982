package dev.skiff.node.agent.probe;

import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One probe of one container, with the kubelet's worker semantics ({@code pkg/kubelet/prober/worker.go}), advanced
 * one period at a time by {@link #tick}:
 * <ul>
 *   <li>a new container attempt (another container ID) starts over: readiness not ready, startup not started,
 *       liveness healthy, counters at zero, a liveness/startup worker that was on hold resumes;</li>
 *   <li>liveness and readiness do not probe until the startup probe (if any) succeeded; startup stops probing
 *       once it did;</li>
 *   <li>nothing is probed before {@code initialDelaySeconds} after the container started;</li>
 *   <li>a result is published only after {@code successThreshold} consecutive successes or
 *       {@code failureThreshold} consecutive failures; each failure is reported as {@code Unhealthy};</li>
 *   <li>a liveness or startup failure that reaches the threshold asks for the container to be killed and holds the
 *       worker until the next attempt.</li>
 * </ul>
 * Not thread-safe: its manager never runs two ticks of one worker at once.
 */
final class ProbeWorker {

    /** What a worker tells its manager. */
    interface Listener {

        /** The published result changed (readiness or startup flipped). */
        void changed();

        /** One probe run failed (the kubelet's {@code Unhealthy} warning). */
        void unhealthy(ProbeKind kind, String output);

        /** A liveness or startup probe reached its failure threshold: the container must be restarted. */
        void kill(ProbeKind kind);
    }

    private final ProbeKind kind;
    private final Probe probe;
    private final Clock clock;
    private final Supplier<Outcome> prober;
    private final Listener listener;

    private String containerId;
    private Boolean lastResult;
    private int resultRun;
    private boolean onHold;
    private boolean published;

    ProbeWorker(ProbeKind kind, Probe probe, Clock clock, Supplier<Outcome> prober, Listener listener) {
        this.kind = kind;
        this.probe = probe;
        this.clock = clock;
        this.prober = prober;
        this.listener = listener;
        this.published = initial();
    }

    /** Readiness: ready; startup: started; liveness: healthy. */
    boolean result() {
        return published;
    }

    ProbeKind kind() {
        return kind;
    }

    /** The period between ticks ({@code periodSeconds}, 10 s by default). */
    Duration period() {
        return Duration.ofSeconds(positive(probe.getPeriodSeconds(), 10));
    }

    /**
     * One period.
     *
     * @param status      the container's current status, or null when it has none
     * @param startupDone whether the container's startup probe (if it has one) succeeded
     */
    void tick(ContainerStatus status, boolean startupDone) {
        if (status == null || !(status.state() instanceof ContainerState.Running running)) {
            // Not running: readiness is lost at once; the counters wait for the next attempt.
            publish(initial());
            return;
        }
        if (!status.containerId().equals(containerId)) {
            containerId = status.containerId();
            onHold = false;
            resultRun = 0;
            lastResult = null;
            publish(initial());
        }
        if (onHold) {
            return;
        }
        if (kind != ProbeKind.STARTUP && !startupDone) {
            return;
        }
        if (kind == ProbeKind.STARTUP && published) {
            return;
        }
        Duration sinceStart = Duration.between(running.startedAt(), clock.instant());
        if (sinceStart.getSeconds() < positive(probe.getInitialDelaySeconds(), 0)) {
            return;
        }
        Outcome outcome = prober.get();
        if (!outcome.success()) {
            listener.unhealthy(kind, outcome.output());
        }
        if (lastResult != null && lastResult == outcome.success()) {
            resultRun++;
        } else {
            lastResult = outcome.success();
            resultRun = 1;
        }
        int needed = outcome.success() ? successThreshold() : positive(probe.getFailureThreshold(), 3);
        if (resultRun < needed) {
            return;
        }
        publish(outcome.success());
        if (!outcome.success() && kind != ProbeKind.READINESS) {
            onHold = true;
            resultRun = 0;
            listener.kill(kind);
        }
    }

    /** Liveness and startup must use a success threshold of 1 (validation); readiness may ask for more. */
    private int successThreshold() {
        return kind == ProbeKind.READINESS ? positive(probe.getSuccessThreshold(), 1) : 1;
    }

    private boolean initial() {
        return kind == ProbeKind.LIVENESS;
    }

    private void publish(boolean result) {
        if (result != published) {
            published = result;
            listener.changed();
        }
    }

    static int positive(Integer value, int fallback) {
        return value == null || value <= 0 ? fallback : value;
    }
}
