package dev.skiff.node.simulated;

import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.RestartPolicy;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated instance: a small state machine advanced by timers on the runtime's shared scheduler. It owns no
 * thread; between transitions it is a few objects (the latest snapshot, container statuses, pending timers).
 *
 * <p>Every transition runs under the instance's monitor and publishes its notifications before releasing it, which
 * is what keeps each instance's notifications in order. A delete's future is completed after the monitor is
 * released, so code chained on it cannot deadlock against the instance.
 *
 * <p>Timers are kept in slots (the sandbox slot for stages and init containers, one slot per container, one for the
 * kill at the end of a grace period). Scheduling into a slot cancels its previous timer and bumps the slot's epoch;
 * a timer that fires with a stale epoch (it lost the race with its cancellation) does nothing.
 */
final class SimInstance {

    private static final int SANDBOX = 0;
    /** The profile stage that stands for the image pull. */
    private static final String PULLING = "Pulling";

    private final SimulatedRuntime runtime;
    final InstanceSpec spec;
    private final SimulatedBehaviour behaviour;
    private final String invalid;
    private final Instant createdAt;
    private final int killSlot;

    // Guarded by this.
    private long version;
    private InstanceState state;
    private int stage;
    private int initIndex;
    private final ContainerStatus[] init;
    private final ContainerStatus[] main;
    private final ScheduledFuture<?>[] timers;
    private final int[] epochs;
    private Instant runningSince;
    private Instant terminatingSince;
    private Instant killAt;
    private CompletableFuture<DeleteResult> deletion;
    private DeleteResult toComplete;
    private boolean removed;

    private volatile InstanceStatus snapshot;

    SimInstance(SimulatedRuntime runtime, InstanceSpec spec) {
        this.runtime = runtime;
        this.spec = spec;
        SimulatedBehaviour parsed;
        String problem = null;
        try {
            parsed = SimulatedBehaviour.parse(spec.annotations());
        } catch (IllegalArgumentException e) {
            parsed = SimulatedBehaviour.DEFAULT;
            problem = e.getMessage();
        }
        this.behaviour = parsed;
        this.invalid = problem;
        this.createdAt = runtime.now();
        this.init = new ContainerStatus[spec.initContainers().size()];
        this.main = new ContainerStatus[spec.containers().size()];
        String mainWaiting = init.length > 0 ? "PodInitializing" : "ContainerCreating";
        for (int i = 0; i < init.length; i++) {
            init[i] = waiting(spec.initContainers().get(i), "PodInitializing", "", null);
        }
        for (int i = 0; i < main.length; i++) {
            main[i] = waiting(spec.containers().get(i), mainWaiting, "", null);
        }
        this.killSlot = main.length + 1;
        this.timers = new ScheduledFuture<?>[main.length + 2];
        this.epochs = new int[main.length + 2];
    }

    InstanceStatus snapshot() {
        return snapshot;
    }

    // --- lifecycle: stages, init containers, containers ----------------------------------------------------------

    /** Publishes the first snapshot and sets the machine going. Called once, under the monitor, by create. */
    void start() {
        assert Thread.holdsLock(this);
        if (invalid != null) {
            Instant now = runtime.now();
            for (int i = 0; i < main.length; i++) {
                main[i] = waiting(spec.containers().get(i), "InvalidSimulation", invalid, main[i]);
            }
            state = new InstanceState.Failed("InvalidSimulation", "[simulated] " + invalid, now);
            publishStatus();
            occurred(null, true, "InvalidSimulation", "[simulated] " + invalid);
            return;
        }
        if (runtime.profile().stages().isEmpty()) {
            state = new InstanceState.Pending("Creating", "[simulated] creating the instance");
            publishStatus();
            schedule(SANDBOX, Duration.ZERO, this::sandboxReady);
        } else {
            enterStage(0);
        }
    }

    private void enterStage(int index) {
        List<Stage> stages = runtime.profile().stages();
        if (index >= stages.size()) {
            sandboxReady();
            return;
        }
        stage = index;
        Stage s = stages.get(index);
        if (PULLING.equals(s.reason()) && imagesPresent()) {
            // As the kubelet with IfNotPresent/Never: an image already on the node is not pulled, and no
            // Pulling/Pulled events are recorded (only images an image cache pulled are held by the simulation).
            enterStage(index + 1);
            return;
        }
        String message = "[simulated] " + expand(s.message());
        // After a retried stage (ErrImagePull...), the containers wait for the normal reason again.
        String usual = init.length > 0 ? "PodInitializing" : "ContainerCreating";
        for (int i = 0; i < main.length; i++) {
            if (main[i].state() instanceof ContainerState.Waiting w && !w.reason().equals(usual)) {
                main[i] = waiting(spec.containers().get(i), usual, "", main[i]);
            }
        }
        state = new InstanceState.Pending(s.reason(), message);
        publishStatus();
        occurred(null, false, s.reason(), message);
        schedule(SANDBOX, delayOf(s), () -> stageDone(index));
    }

    private boolean imagesPresent() {
        return java.util.stream.Stream.concat(spec.initContainers().stream(), spec.containers().stream())
                .allMatch(c -> c.imagePullPolicy() != dev.skiff.node.runtime.ImagePullPolicy.ALWAYS
                        && runtime.holds(c.image()));
    }

    private void stageDone(int index) {
        Stage s = runtime.profile().stages().get(index);
        if (s.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < s.failureRate()) {
            switch (s.onFailure()) {
                case StageFailure.Fail fail -> {
                    String message = "[simulated] " + expand(fail.message());
                    state = new InstanceState.Failed(fail.reason(), message, runtime.now());
                    publishStatus();
                    occurred(null, true, fail.reason(), message);
                }
                case StageFailure.Retry retry -> {
                    String message = "[simulated] " + s.reason() + " failed; retrying in " + retry.backoff();
                    for (int i = 0; i < main.length; i++) {
                        main[i] = waiting(spec.containers().get(i), retry.waitingReason(), message, main[i]);
                    }
                    state = new InstanceState.Pending(retry.waitingReason(), message);
                    publishStatus();
                    occurred(null, true, "Failed", message);
                    schedule(SANDBOX, retry.backoff(), () -> enterStage(index));
                }
            }
            return;
        }
        if (s.doneReason() != null) {
            occurred(null, false, s.doneReason(), "[simulated] " + expand(s.doneMessage()));
        }
        enterStage(index + 1);
    }

    private void sandboxReady() {
        stage = runtime.profile().stages().size();
        if (init.length > 0) {
            startInit(0, false);
        } else {
            startContainers();
        }
    }

    private void startInit(int index, boolean restart) {
        initIndex = index;
        ContainerSpec c = spec.initContainers().get(index);
        init[index] = started(c, init[index], restart, index);
        occurred(c.name(), false, "Created", "[simulated] Created container " + c.name());
        occurred(c.name(), false, "Started", "[simulated] Started container " + c.name());
        state = new InstanceState.Pending("PodInitializing",
                "[simulated] init container " + (index + 1) + "/" + init.length + " running");
        publishStatus();
        schedule(SANDBOX, behaviour.runTime(c.name(), true), () -> initExited(index));
    }

    private void initExited(int index) {
        ContainerSpec c = spec.initContainers().get(index);
        int code = behaviour.exitCode(c.name(), true);
        init[index] = terminated(init[index], code, ContainerState.Terminated.reasonFor(code), "");
        if (code == 0) {
            if (index + 1 < init.length) {
                startInit(index + 1, false);
            } else {
                initIndex = init.length;
                startContainers();
            }
        } else if (spec.restartPolicy() == RestartPolicy.NEVER) {
            state = new InstanceState.Failed("Error",
                    "[simulated] init container " + c.name() + " exited with code " + code, runtime.now());
            publishStatus();
        } else {
            restartLater(SANDBOX, init, index, c, () -> startInit(index, true));
        }
    }

    private void startContainers() {
        Instant now = runtime.now();
        for (int i = 0; i < main.length; i++) {
            startContainer(i, false);
        }
        runningSince = now;
        state = new InstanceState.Running(now);
        publishStatus();
    }

    private void startContainer(int index, boolean restart) {
        ContainerSpec c = spec.containers().get(index);
        main[index] = started(c, main[index], restart, init.length + index);
        occurred(c.name(), false, "Created", "[simulated] Created container " + c.name());
        occurred(c.name(), false, "Started", "[simulated] Started container " + c.name());
        Duration runTime = behaviour.runTime(c.name(), false);
        if (runTime != null) {
            schedule(1 + index, runTime, () -> containerExited(index, behaviour.exitCode(c.name(), false)));
        }
    }

    private void containerExited(int index, int code) {
        ContainerSpec c = spec.containers().get(index);
        main[index] = terminated(main[index], code, ContainerState.Terminated.reasonFor(code), "");
        if (deletion != null) {
            finishWhenStopped();
            return;
        }
        if (spec.restartPolicy().restarts(code)) {
            restartLater(1 + index, main, index, c, () -> {
                startContainer(index, true);
                evaluate();
                publishStatus();
            });
            return;
        }
        evaluate();
        publishStatus();
    }

    /**
     * Restarts an exited container after the kubelet-style backoff: at once for the first restart, then waiting in
     * {@code CrashLoopBackOff}. Publishes.
     */
    private void restartLater(int slot, ContainerStatus[] statuses, int index, ContainerSpec c, Runnable restart) {
        Duration wait = runtime.profile().backoffBefore(statuses[index].restartCount() + 1);
        if (wait.isZero()) {
            restart.run();
            return;
        }
        String message = "[simulated] back-off " + wait + " restarting failed container=" + c.name() + " pod="
                + spec.namespace() + "/" + spec.name();
        statuses[index] = waiting(c, "CrashLoopBackOff", message, statuses[index]);
        evaluate();
        publishStatus();
        occurred(c.name(), true, "BackOff", "[simulated] Back-off restarting failed container " + c.name());
        schedule(slot, wait, restart);
    }

    /**
     * The kubelet's phase rule once containers were started: Running while any container runs or will restart;
     * otherwise Succeeded when all exited with 0, else Failed.
     */
    private void evaluate() {
        if (state.terminal() || stage < runtime.profile().stages().size() || initIndex < init.length) {
            return;
        }
        for (ContainerStatus c : main) {
            if (!c.terminated()) {
                if (!(state instanceof InstanceState.Running)) {
                    state = new InstanceState.Running(runningSince);
                }
                return;
            }
        }
        state = terminalState();
    }

    private InstanceState terminalState() {
        Instant now = runtime.now();
        for (ContainerStatus c : main) {
            if (c.state() instanceof ContainerState.Terminated t && t.exitCode() != 0) {
                return new InstanceState.Failed("Error",
                        "[simulated] container " + c.name() + " exited with code " + t.exitCode(), now);
            }
            if (!c.terminated()) {
                return new InstanceState.Failed("Error", "[simulated] container " + c.name() + " did not run", now);
            }
        }
        return new InstanceState.Succeeded(now);
    }

    /**
     * Ends a running main container's attempt as a failed probe does; see
     * {@link dev.skiff.node.runtime.InstanceRuntime#killContainer}. False when it was not running.
     */
    boolean killContainer(String name, String reason) {
        synchronized (this) {
            if (deletion != null || state.terminal()) {
                return false;
            }
            for (int i = 0; i < main.length; i++) {
                if (main[i].name().equals(name) && main[i].running()) {
                    cancel(1 + i);
                    occurred(name, false, "Killing", reason);
                    // The same path as an exit: the restart policy and back-off decide what happens next.
                    containerExited(i, 137);
                    return true;
                }
            }
            return false;
        }
    }

    // --- deletion ------------------------------------------------------------------------------------------------

    /** Starts (or joins) the deletion; see {@link dev.skiff.node.runtime.InstanceRuntime#delete}. */
    CompletableFuture<DeleteResult> delete(Duration override) {
        CompletableFuture<DeleteResult> future;
        DeleteResult result;
        synchronized (this) {
            Duration grace = override != null ? override : spec.gracePeriod();
            if (deletion != null) {
                shorten(grace);
                return deletion;
            }
            deletion = new CompletableFuture<>();
            terminatingSince = runtime.now();
            if (state.terminal()) {
                finish();
            } else {
                stopEverything(grace);
            }
            future = deletion;
            result = takeCompletion();
        }
        if (result != null) {
            future.complete(result);
        }
        return future;
    }

    private void stopEverything(Duration grace) {
        cancel(SANDBOX);
        Instant now = runtime.now();
        boolean anyRunning = false;
        for (int i = 0; i < init.length; i++) {
            if (init[i].running()) {
                anyRunning = true;
                sigterm(SANDBOX, spec.initContainers().get(i).name(), () -> stopInit());
            } else if (!init[i].terminated()) {
                init[i] = neverStarted(init[i], now);
            }
        }
        for (int i = 0; i < main.length; i++) {
            int index = i;
            if (main[i].running()) {
                anyRunning = true;
                sigterm(1 + i, main[i].name(), () -> containerExited(index, 0));
            } else if (!main[i].terminated()) {
                cancel(1 + i);
                main[i] = neverStarted(main[i], now);
            }
        }
        if (!anyRunning) {
            finish();
            return;
        }
        killAt = now.plus(grace);
        schedule(killSlot, grace, this::kill);
        publishStatus();
    }

    /** SIGTERM: a well-behaved container exits with 0 after its shutdown time; one ignoring it waits for the kill. */
    private void sigterm(int slot, String container, Runnable exit) {
        occurred(container, false, "Killing", "[simulated] Stopping container " + container);
        if (!behaviour.ignoreSigterm()) {
            schedule(slot, behaviour.shutdownAfter(), exit);
        }
    }

    private void stopInit() {
        for (int i = 0; i < init.length; i++) {
            if (init[i].running()) {
                init[i] = terminated(init[i], 0, "Completed", "[simulated] stopped by SIGTERM");
            }
        }
        finishWhenStopped();
    }

    /** The grace period is over: SIGKILL whatever still runs (exit code 137, as the kubelet reports it). */
    private void kill() {
        String message = "[simulated] killed: did not stop within the grace period";
        for (int i = 0; i < init.length; i++) {
            if (init[i].running()) {
                init[i] = terminated(init[i], 137, "Error", message);
            }
        }
        for (int i = 0; i < main.length; i++) {
            if (main[i].running()) {
                main[i] = terminated(main[i], 137, "Error", message);
            }
        }
        finish();
    }

    private void finishWhenStopped() {
        for (ContainerStatus c : init) {
            if (c.running()) {
                publishStatus();
                return;
            }
        }
        for (ContainerStatus c : main) {
            if (c.running()) {
                publishStatus();
                return;
            }
        }
        finish();
    }

    /** A repeated delete with a shorter grace period moves the kill earlier; a longer one changes nothing. */
    private void shorten(Duration grace) {
        if (removed || killAt == null) {
            return;
        }
        Instant proposed = runtime.now().plus(grace);
        if (proposed.isBefore(killAt)) {
            killAt = proposed;
            schedule(killSlot, grace, this::kill);
        }
    }

    /** Terminal state, last snapshot, removal; the deletion's result is completed once the monitor is released. */
    private void finish() {
        for (int slot = 0; slot < timers.length; slot++) {
            cancel(slot);
        }
        if (!state.terminal()) {
            state = terminalState();
        }
        killAt = null;
        publishStatus();
        removed = true;
        runtime.removed(this);
        InstanceStatus last = snapshot;
        runtime.publish(new InstanceEvent.Removed(spec.id(), last));
        toComplete = new DeleteResult.Deleted(last);
    }

    private DeleteResult takeCompletion() {
        DeleteResult result = toComplete;
        toComplete = null;
        return result;
    }

    /** The runtime closes: stop all timers, fail a waiting deletion. */
    void abandon() {
        CompletableFuture<DeleteResult> pending;
        synchronized (this) {
            for (int slot = 0; slot < timers.length; slot++) {
                cancel(slot);
            }
            removed = true;
            pending = deletion;
        }
        if (pending != null) {
            pending.completeExceptionally(new RuntimeUnavailableException("the simulated runtime was closed", null));
        }
    }

    // --- timers --------------------------------------------------------------------------------------------------

    private void schedule(int slot, Duration delay, Runnable action) {
        cancel(slot);
        int epoch = ++epochs[slot];
        timers[slot] = runtime.schedule(() -> fire(slot, epoch, action), delay);
    }

    private void cancel(int slot) {
        ScheduledFuture<?> timer = timers[slot];
        if (timer != null) {
            timer.cancel(false);
            timers[slot] = null;
        }
        epochs[slot]++;
    }

    private void fire(int slot, int epoch, Runnable action) {
        CompletableFuture<DeleteResult> future;
        DeleteResult result;
        synchronized (this) {
            if (removed || epochs[slot] != epoch) {
                return;
            }
            timers[slot] = null;
            action.run();
            future = deletion;
            result = takeCompletion();
        }
        if (result != null) {
            future.complete(result);
        }
    }

    private Duration delayOf(Stage s) {
        long jitter = s.jitter().toNanos();
        return jitter <= 0 ? s.delay() : s.delay().plusNanos(ThreadLocalRandom.current().nextLong(jitter));
    }

    // --- statuses and notifications ------------------------------------------------------------------------------

    private void publishStatus() {
        version++;
        snapshot = new InstanceStatus(spec.id(), version, state, spec.podIp(), createdAt, Arrays.asList(init),
                Arrays.asList(main), terminatingSince);
        runtime.publish(new InstanceEvent.StatusChanged(snapshot));
        runtime.changed(snapshot);
    }

    private void occurred(String container, boolean warning, String reason, String message) {
        if (runtime.listening()) {
            runtime.publish(new InstanceEvent.Occurred(spec.id(), container, warning, reason, message,
                    runtime.now()));
        }
    }

    private String expand(String template) {
        if (!template.contains("{images}")) {
            return template;
        }
        StringBuilder images = new StringBuilder();
        for (ContainerSpec c : spec.initContainers()) {
            images.append(images.isEmpty() ? "" : ", ").append('"').append(c.image()).append('"');
        }
        for (ContainerSpec c : spec.containers()) {
            images.append(images.isEmpty() ? "" : ", ").append('"').append(c.image()).append('"');
        }
        return template.replace("{images}", images);
    }

    private static ContainerStatus waiting(ContainerSpec c, String reason, String message, ContainerStatus prev) {
        return new ContainerStatus(c.name(), c.image(), prev == null ? "" : prev.imageId(),
                prev == null ? "" : prev.containerId(), new ContainerState.Waiting(reason, message),
                prev == null ? null : prev.lastState(), prev == null ? 0 : prev.restartCount(), false, false);
    }

    private ContainerStatus started(ContainerSpec c, ContainerStatus prev, boolean restart, int position) {
        ContainerState.Terminated last = prev.state() instanceof ContainerState.Terminated t ? t : prev.lastState();
        int restarts = restart ? prev.restartCount() + 1 : prev.restartCount();
        return new ContainerStatus(c.name(), c.image(), SimulatedRuntime.imageId(c.image()),
                SimulatedRuntime.containerId(spec.id(), position, restarts),
                new ContainerState.Running(runtime.now()), restart ? last : prev.lastState(), restarts, true, true);
    }

    private ContainerStatus terminated(ContainerStatus prev, int code, String reason, String message) {
        Instant startedAt = prev.state() instanceof ContainerState.Running r ? r.startedAt() : null;
        return new ContainerStatus(prev.name(), prev.image(), prev.imageId(), prev.containerId(),
                new ContainerState.Terminated(code, reason, message, startedAt, runtime.now()), prev.lastState(),
                prev.restartCount(), false, prev.started());
    }

    /**
     * A container that was not running (never started, or waiting to restart) when its instance was deleted, reported
     * as the kubelet reports such containers of a deleted pod: exit code 137, {@code ContainerStatusUnknown}.
     */
    private static ContainerStatus neverStarted(ContainerStatus prev, Instant now) {
        return new ContainerStatus(prev.name(), prev.image(), prev.imageId(), prev.containerId(),
                new ContainerState.Terminated(137, "ContainerStatusUnknown",
                        "[simulated] the container was not running when the instance was deleted", null, now),
                prev.lastState(), prev.restartCount(), false, false);
    }
}
