package dev.skiff.node.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.node.runtime.ContainerNotFoundException;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.ContainerStatus;
import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.DeleteResult;
import dev.skiff.node.runtime.ExecIo;
import dev.skiff.node.runtime.ExecRequest;
import dev.skiff.node.runtime.ExecResult;
import dev.skiff.node.runtime.InstanceEvent;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceNotFoundException;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.InstanceStatus;
import dev.skiff.node.runtime.LogOptions;
import dev.skiff.node.runtime.LogStream;
import dev.skiff.node.runtime.RestartPolicy;
import dev.skiff.node.runtime.RuntimeUnavailableException;
import dev.skiff.node.runtime.Subscription;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link InstanceRuntime} promises (see its Javadoc). A subclass supplies a fresh runtime per
 * test and maps {@link Workload}s onto specs it can run; runtimes with slow starts raise {@link #patience()}.
 * Restart tests need the runtime's restart backoff to be short (tens of milliseconds) in tests.
 */
public abstract class InstanceRuntimeContract {

    protected InstanceRuntime runtime;
    protected RecordingListener recorder;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<InstanceId> created = new ArrayList<>();

    /** A runtime for one test, holding no instances. The suite closes it after the test. */
    protected abstract InstanceRuntime newRuntime() throws Exception;

    /** A spec whose single container behaves as {@code workload}. */
    protected abstract InstanceSpec spec(InstanceId id, Workload workload, RestartPolicy policy, Duration grace);

    /** Called after the runtime is closed at the end of each test: release what {@link #newRuntime()} made. */
    protected void afterRuntimeClosed() {
    }

    /** The clock the runtime stamps its statuses with. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    /** How long anything may take to happen (an upper bound for waits, never an expected duration). */
    protected Duration patience() {
        return Duration.ofSeconds(20);
    }

    @BeforeEach
    void openRuntime() throws Exception {
        runtime = newRuntime();
        recorder = new RecordingListener();
        subscriptions.add(runtime.subscribe(recorder));
    }

    @AfterEach
    void closeRuntime() {
        subscriptions.forEach(Subscription::cancel);
        if (runtime != null) {
            try {
                for (InstanceId id : created) {
                    runtime.delete(id, Duration.ZERO).get(patience().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (RuntimeUnavailableException e) {
                // the test closed the runtime itself
            } catch (Exception e) {
                throw new AssertionError("could not clean up instances", e);
            } finally {
                runtime.close();
                afterRuntimeClosed();
            }
        }
    }

    protected InstanceId newId() {
        InstanceId id = InstanceId.of(UUID.randomUUID().toString());
        created.add(id);
        return id;
    }

    protected InstanceSpec spec(InstanceId id, Workload workload) {
        return spec(id, workload, RestartPolicy.ALWAYS, Duration.ofSeconds(30));
    }

    protected InstanceStatus awaitState(InstanceId id, Class<? extends InstanceState> state) {
        await().atMost(patience()).until(() -> runtime.status(id).map(s -> state.isInstance(s.state()))
                .orElse(false));
        return runtime.status(id).orElseThrow();
    }

    protected InstanceStatus awaitRunning(InstanceId id) {
        return awaitState(id, InstanceState.Running.class);
    }

    protected DeleteResult awaitDeletion(CompletableFuture<DeleteResult> future) throws Exception {
        return future.get(patience().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ContainerStatus onlyContainer(InstanceStatus status) {
        assertThat(status.containers()).hasSize(1);
        return status.containers().getFirst();
    }

    /** Per instance: versions only grow, Removed comes at most once and last, nothing follows it. */
    protected static void assertOrderedPerInstance(RecordingListener listener, InstanceId id) {
        List<InstanceEvent> events = listener.eventsOf(id);
        long lastVersion = 0;
        boolean removed = false;
        for (InstanceEvent event : events) {
            assertThat(removed).as("no event after Removed for %s: %s", id, events).isFalse();
            switch (event) {
                case InstanceEvent.StatusChanged changed -> {
                    assertThat(changed.status().version()).as("versions of %s grow", id).isGreaterThan(lastVersion);
                    lastVersion = changed.status().version();
                }
                case InstanceEvent.Removed gone -> {
                    removed = true;
                    assertThat(gone.last().terminal()).as("removed in a terminal state").isTrue();
                    assertThat(gone.last().version()).isEqualTo(lastVersion);
                }
                case InstanceEvent.Occurred ignored -> {
                }
            }
        }
        assertThat(listener.overlapped()).as("listener called concurrently").isFalse();
    }

    // --- identity and creation ---------------------------------------------------------------------------------

    @Test
    void describesItself() {
        assertThat(runtime.info().name()).isNotBlank();
        assertThat(runtime.info().runtimeVersion()).contains("://");
    }

    @Test
    void killContainerEndsTheAttemptAndTheRestartPolicyStartsAnother() throws Exception {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.runsUntilStopped()));
        await().atMost(patience()).until(() -> runtime.status(id).map(s -> onlyContainer(s).running())
                .orElse(false));
        ContainerStatus first = onlyContainer(runtime.status(id).orElseThrow());

        // Every runtime must stop a single container: liveness and startup probes depend on it.
        Boolean killed = runtime.killContainer(id, first.name(), Duration.ofSeconds(5), "contract test")
                .get(patience().toMillis(), TimeUnit.MILLISECONDS);

        assertThat(killed).isTrue();
        await().atMost(patience()).until(() -> {
            ContainerStatus c = onlyContainer(runtime.status(id).orElseThrow());
            return c.running() && c.restartCount() == first.restartCount() + 1;
        });
        ContainerStatus second = onlyContainer(runtime.status(id).orElseThrow());
        assertThat(second.containerId()).isNotEqualTo(first.containerId());
        assertThat(second.lastState()).isNotNull();
        assertThat(runtime.status(id).orElseThrow().state()).isInstanceOf(InstanceState.Running.class);
    }

    @Test
    void createIsIdempotentForAnEqualSpec() {
        InstanceId id = newId();
        InstanceSpec spec = spec(id, Workload.runsUntilStopped());

        CreateResult first = runtime.create(spec);
        CreateResult again = runtime.create(spec);

        assertThat(first).isInstanceOf(CreateResult.Created.class);
        InstanceStatus status = ((CreateResult.Created) first).status();
        assertThat(status.id()).isEqualTo(id);
        assertThat(status.version()).isPositive();
        assertThat(status.terminating()).isFalse();
        assertThat(again).isInstanceOf(CreateResult.Existing.class);
        assertThat(((CreateResult.Existing) again).status().id()).isEqualTo(id);
        assertThat(runtime.list()).extracting(InstanceStatus::id).containsOnlyOnce(id);
    }

    @Test
    void createWithADifferentSpecIsAConflictAndChangesNothing() {
        InstanceId id = newId();
        InstanceSpec spec = spec(id, Workload.runsUntilStopped());
        runtime.create(spec);
        InstanceSpec other = spec.withRestartPolicy(RestartPolicy.NEVER);

        CreateResult result = runtime.create(other);

        assertThat(result).isInstanceOf(CreateResult.SpecConflict.class);
        assertThat(((CreateResult.SpecConflict) result).message()).contains(id.value());
        assertThat(runtime.create(spec)).isInstanceOf(CreateResult.Existing.class);
    }

    @Test
    void createIsNotifiedAndRunningFollowsInOrder() {
        InstanceId id = newId();
        CreateResult.Created created = (CreateResult.Created) runtime.create(spec(id, Workload.runsUntilStopped()));

        await().atMost(patience()).until(() -> recorder.sawRunning(id));

        List<InstanceStatus> statuses = recorder.statusesOf(id);
        assertThat(statuses.getFirst()).isEqualTo(created.status());
        assertThat(statuses.getFirst().state()).isNotInstanceOf(InstanceState.Running.class);
        int firstRunning = IntStream.range(0, statuses.size())
                .filter(i -> statuses.get(i).state() instanceof InstanceState.Running).findFirst().orElseThrow();
        assertThat(statuses.subList(0, firstRunning)).allMatch(s -> s.state() instanceof InstanceState.Pending);
        InstanceStatus running = statuses.get(firstRunning);
        ContainerStatus container = onlyContainer(running);
        assertThat(container.state()).isInstanceOf(ContainerState.Running.class);
        assertThat(container.ready()).isTrue();
        assertThat(container.containerId()).isNotEmpty();
        assertThat(running.podIp()).isEqualTo(runtime.status(id).orElseThrow().podIp());
        assertOrderedPerInstance(recorder, id);
    }

    @Test
    void statusOfAnUnknownInstanceIsEmpty() {
        assertThat(runtime.status(InstanceId.of("never-created"))).isEmpty();
    }

    // --- deletion ----------------------------------------------------------------------------------------------

    @Test
    void deleteEndsTerminalRemovesAndIsRepeatable() throws Exception {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.runsUntilStopped()));
        awaitRunning(id);

        CompletableFuture<DeleteResult> first = runtime.delete(id);
        CompletableFuture<DeleteResult> second = runtime.delete(id);
        DeleteResult result = awaitDeletion(first);

        assertThat(result).isInstanceOf(DeleteResult.Deleted.class);
        InstanceStatus last = ((DeleteResult.Deleted) result).last();
        assertThat(last.terminal()).isTrue();
        assertThat(last.terminating()).isTrue();
        assertThat(onlyContainer(last).state()).isInstanceOf(ContainerState.Terminated.class);
        assertThat(awaitDeletion(second)).isIn(result, new DeleteResult.NotFound(id));
        assertThat(runtime.status(id)).isEmpty();
        assertThat(awaitDeletion(runtime.delete(id))).isEqualTo(new DeleteResult.NotFound(id));
        await().atMost(patience()).until(() -> recorder.sawRemoved(id));
        assertThat(recorder.eventsOf(id).getLast()).isEqualTo(new InstanceEvent.Removed(id, last));
        assertOrderedPerInstance(recorder, id);
    }

    @Test
    void deleteOfAnUnknownInstanceIsANoOp() throws Exception {
        InstanceId other = newId();
        runtime.create(spec(other, Workload.runsUntilStopped()));
        InstanceId unknown = InstanceId.of("unknown-" + UUID.randomUUID());

        assertThat(awaitDeletion(runtime.delete(unknown))).isEqualTo(new DeleteResult.NotFound(unknown));
        assertThat(awaitDeletion(runtime.delete(unknown, Duration.ZERO))).isEqualTo(new DeleteResult.NotFound(unknown));

        assertThat(runtime.list()).extracting(InstanceStatus::id).containsExactly(other);
        assertThat(recorder.eventsOf(unknown)).isEmpty();
    }

    @Test
    void deleteWhileStillPendingEndsTerminal() throws Exception {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.runsUntilStopped()));

        DeleteResult result = awaitDeletion(runtime.delete(id, Duration.ZERO));

        assertThat(result).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(((DeleteResult.Deleted) result).last().terminal()).isTrue();
        assertThat(runtime.status(id)).isEmpty();
        await().atMost(patience()).until(() -> recorder.sawRemoved(id));
        assertOrderedPerInstance(recorder, id);
    }

    @Test
    void aContainerThatStopsOnSigtermDoesNotWaitForTheGracePeriod() throws Exception {
        InstanceId id = newId();
        // A grace period far beyond the test's patience: the delete can only finish in time if SIGTERM worked.
        runtime.create(spec(id, Workload.runsUntilStopped(), RestartPolicy.ALWAYS, patience().multipliedBy(5)));
        awaitRunning(id);

        DeleteResult result = awaitDeletion(runtime.delete(id));

        ContainerState.Terminated stopped = (ContainerState.Terminated) onlyContainer(
                ((DeleteResult.Deleted) result).last()).state();
        assertThat(stopped.exitCode()).isNotEqualTo(137);
    }

    @Test
    void aContainerIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
        InstanceId id = newId();
        Duration grace = Duration.ofMillis(400);
        runtime.create(spec(id, Workload.ignoresSigterm(), RestartPolicy.ALWAYS, grace));
        awaitRunning(id);
        Instant asked = clock().instant();

        CompletableFuture<DeleteResult> deletion = runtime.delete(id);
        await().atMost(patience()).until(() -> runtime.status(id).map(InstanceStatus::terminating).orElse(true));
        DeleteResult result = awaitDeletion(deletion);

        InstanceStatus last = ((DeleteResult.Deleted) result).last();
        ContainerState.Terminated killed = (ContainerState.Terminated) onlyContainer(last).state();
        assertThat(killed.exitCode()).isEqualTo(137);
        // Not killed early: the kill comes no sooner than the grace period after the delete was asked for.
        assertThat(killed.finishedAt()).isAfterOrEqualTo(asked.plus(grace).minusMillis(5));
        assertThat(last.state()).isInstanceOf(InstanceState.Failed.class);
    }

    @Test
    void aSecondDeleteWithAShorterGracePeriodShortensIt() throws Exception {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.ignoresSigterm(), RestartPolicy.ALWAYS, patience().multipliedBy(5)));
        awaitRunning(id);

        CompletableFuture<DeleteResult> slow = runtime.delete(id);
        CompletableFuture<DeleteResult> now = runtime.delete(id, Duration.ZERO);

        DeleteResult result = awaitDeletion(now);
        assertThat(result).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(awaitDeletion(slow)).isEqualTo(result);
        ContainerState.Terminated killed = (ContainerState.Terminated) onlyContainer(
                ((DeleteResult.Deleted) result).last()).state();
        assertThat(killed.exitCode()).isEqualTo(137);
    }

    @Test
    void listReflectsCreatesAndDeletes() throws Exception {
        InstanceId a = newId();
        InstanceId b = newId();
        InstanceId c = newId();
        for (InstanceId id : List.of(a, b, c)) {
            runtime.create(spec(id, Workload.runsUntilStopped()));
        }
        assertThat(runtime.list()).extracting(InstanceStatus::id).containsExactlyInAnyOrder(a, b, c);

        awaitDeletion(runtime.delete(b, Duration.ZERO));

        assertThat(runtime.list()).extracting(InstanceStatus::id).containsExactlyInAnyOrder(a, c);
        awaitDeletion(runtime.delete(a, Duration.ZERO));
        awaitDeletion(runtime.delete(c, Duration.ZERO));
        assertThat(runtime.list()).isEmpty();
    }

    // --- exits and restart policies ----------------------------------------------------------------------------

    @Test
    void exitWithZeroUnderNeverSucceeds() {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.exitsAfter(Duration.ofMillis(50), 0), RestartPolicy.NEVER,
                Duration.ofSeconds(30)));

        InstanceStatus done = awaitState(id, InstanceState.Succeeded.class);

        ContainerStatus c = onlyContainer(done);
        assertThat(c.state()).isInstanceOfSatisfying(ContainerState.Terminated.class, t -> {
            assertThat(t.exitCode()).isZero();
            assertThat(t.reason()).isEqualTo("Completed");
            assertThat(t.startedAt()).isNotNull();
            assertThat(t.finishedAt()).isAfterOrEqualTo(t.startedAt());
        });
        assertThat(c.restartCount()).isZero();
        assertThat(c.ready()).isFalse();
        assertThat(runtime.list()).extracting(InstanceStatus::id).contains(id);
    }

    @Test
    void exitWithNonZeroUnderNeverFails() {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.exitsAfter(Duration.ofMillis(50), 3), RestartPolicy.NEVER,
                Duration.ofSeconds(30)));

        InstanceStatus done = awaitState(id, InstanceState.Failed.class);

        assertThat(onlyContainer(done).state()).isInstanceOfSatisfying(ContainerState.Terminated.class, t -> {
            assertThat(t.exitCode()).isEqualTo(3);
            assertThat(t.reason()).isEqualTo("Error");
        });
        assertThat(onlyContainer(done).restartCount()).isZero();
    }

    @Test
    void exitWithZeroUnderOnFailureSucceeds() {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.exitsAfter(Duration.ofMillis(50), 0), RestartPolicy.ON_FAILURE,
                Duration.ofSeconds(30)));

        InstanceStatus done = awaitState(id, InstanceState.Succeeded.class);

        assertThat(onlyContainer(done).restartCount()).isZero();
    }

    @Test
    void failuresUnderOnFailureRestartAndAreCounted() {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.exitsAfter(Duration.ofMillis(50), 2), RestartPolicy.ON_FAILURE,
                Duration.ofSeconds(30)));

        await().atMost(patience()).until(() -> runtime.status(id)
                .map(s -> onlyContainer(s).restartCount() >= 2).orElse(false));

        InstanceStatus status = runtime.status(id).orElseThrow();
        assertThat(status.terminal()).isFalse();
        assertThat(onlyContainer(status).lastState()).isNotNull();
        assertThat(onlyContainer(status).lastState().exitCode()).isEqualTo(2);
        assertOrderedPerInstance(recorder, id);
    }

    @Test
    void everyExitUnderAlwaysRestartsAndIsCounted() {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.exitsAfter(Duration.ofMillis(50), 0), RestartPolicy.ALWAYS,
                Duration.ofSeconds(30)));

        await().atMost(patience()).until(() -> runtime.status(id)
                .map(s -> onlyContainer(s).restartCount() >= 2).orElse(false));

        InstanceStatus status = runtime.status(id).orElseThrow();
        assertThat(status.state()).isInstanceOf(InstanceState.Running.class);
        assertThat(onlyContainer(status).lastState().exitCode()).isZero();
        // Restart counts seen through notifications never go down.
        List<Integer> counts = recorder.statusesOf(id).stream()
                .map(s -> onlyContainer(s).restartCount()).toList();
        assertThat(counts).isSorted();
    }

    @Test
    void aTerminalInstanceStaysListedUntilDeleted() throws Exception {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.exitsAfter(Duration.ZERO, 0), RestartPolicy.NEVER, Duration.ofSeconds(30)));
        InstanceStatus done = awaitState(id, InstanceState.Succeeded.class);

        DeleteResult result = awaitDeletion(runtime.delete(id));

        assertThat(result).isInstanceOf(DeleteResult.Deleted.class);
        assertThat(((DeleteResult.Deleted) result).last().state()).isInstanceOf(InstanceState.Succeeded.class);
        assertThat(((DeleteResult.Deleted) result).last().version()).isGreaterThan(done.version());
        assertThat(runtime.status(id)).isEmpty();
    }

    // --- notifications -----------------------------------------------------------------------------------------

    @Test
    void aSlowListenerStallsNeitherTheRuntimeNorOtherListeners() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener slowRecord = new RecordingListener();
        subscriptions.add(runtime.subscribe(event -> {
            try {
                release.await(patience().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            slowRecord.onEvent(event);
        }));
        List<InstanceId> ids = IntStream.range(0, 20).mapToObj(i -> newId()).toList();

        ids.forEach(id -> runtime.create(spec(id, Workload.runsUntilStopped())));

        await().atMost(patience()).until(() -> ids.stream().allMatch(recorder::sawRunning));
        assertThat(slowRecord.events()).isEmpty();
        awaitDeletion(runtime.delete(ids.getFirst(), Duration.ZERO));
        release.countDown();
        await().atMost(patience()).until(() -> ids.stream().allMatch(slowRecord::sawRunning)
                && slowRecord.sawRemoved(ids.getFirst()));
        ids.forEach(id -> assertOrderedPerInstance(slowRecord, id));
    }

    @Test
    void aThrowingListenerKeepsReceivingEvents() {
        RecordingListener afterThrow = new RecordingListener();
        subscriptions.add(runtime.subscribe(event -> {
            afterThrow.onEvent(event);
            throw new IllegalStateException("listener bug (expected by the test)");
        }));
        InstanceId id = newId();

        runtime.create(spec(id, Workload.runsUntilStopped()));

        await().atMost(patience()).until(() -> afterThrow.sawRunning(id));
    }

    @Test
    void aCancelledSubscriptionReceivesNothingMore() {
        RecordingListener cancelled = new RecordingListener();
        Subscription subscription = runtime.subscribe(cancelled);
        subscription.cancel();
        subscription.cancel();
        InstanceId id = newId();

        runtime.create(spec(id, Workload.runsUntilStopped()));

        await().atMost(patience()).until(() -> recorder.sawRunning(id));
        assertThat(cancelled.eventsOf(id)).isEmpty();
    }

    // --- concurrency -------------------------------------------------------------------------------------------

    @Test
    void concurrentCreatesAndDeletesOfManyInstancesSettle() throws Exception {
        int threads = 8;
        int perThread = 25;
        List<InstanceId> ids = IntStream.range(0, threads * perThread).mapToObj(i -> newId()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<DeleteResult>>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<InstanceId> mine = ids.subList(t * perThread, (t + 1) * perThread);
                work.add(pool.submit(() -> {
                    List<CompletableFuture<DeleteResult>> deletions = new ArrayList<>();
                    for (InstanceId id : mine) {
                        InstanceSpec spec = spec(id, Workload.runsUntilStopped());
                        assertThat(runtime.create(spec)).isInstanceOf(CreateResult.Created.class);
                        // A racing duplicate create must be recognised as the same instance.
                        assertThat(runtime.create(spec)).isInstanceOf(CreateResult.Existing.class);
                    }
                    for (int i = 0; i < mine.size(); i += 2) {
                        deletions.add(runtime.delete(mine.get(i), Duration.ZERO));
                    }
                    return deletions;
                }));
            }
            List<CompletableFuture<DeleteResult>> deletions = new ArrayList<>();
            for (Future<List<CompletableFuture<DeleteResult>>> f : work) {
                deletions.addAll(f.get(patience().toMillis(), TimeUnit.MILLISECONDS));
            }
            for (CompletableFuture<DeleteResult> d : deletions) {
                assertThat(awaitDeletion(d)).isInstanceOf(DeleteResult.Deleted.class);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<InstanceId> deleted = IntStream.range(0, ids.size()).filter(i -> i % perThread % 2 == 0)
                .mapToObj(ids::get).collect(Collectors.toSet());
        Set<InstanceId> kept = ids.stream().filter(id -> !deleted.contains(id)).collect(Collectors.toSet());

        assertThat(runtime.list()).extracting(InstanceStatus::id).containsExactlyInAnyOrderElementsOf(kept);
        await().atMost(patience()).until(() -> kept.stream().allMatch(recorder::sawRunning)
                && deleted.stream().allMatch(recorder::sawRemoved));
        ids.forEach(id -> assertOrderedPerInstance(recorder, id));
    }

    // --- logs, exec, stats -------------------------------------------------------------------------------------

    @Test
    void logsOfARunningContainerEndWithoutFollow() throws Exception {
        InstanceId id = newId();
        InstanceSpec spec = spec(id, Workload.runsUntilStopped());
        runtime.create(spec);
        awaitRunning(id);
        String container = spec.containers().getFirst().name();

        try (LogStream stream = runtime.logs(id, container, LogOptions.ALL)) {
            int lines = 0;
            while (stream.next().isPresent()) {
                lines++;
                assertThat(lines).as("a non-following stream ends").isLessThan(100_000);
            }
        }
        assertThatThrownBy(() -> runtime.logs(id, "no-such-container", LogOptions.ALL))
                .isInstanceOf(ContainerNotFoundException.class);
        assertThatThrownBy(() -> runtime.logs(InstanceId.of("no-such-instance"), container, LogOptions.ALL))
                .isInstanceOf(InstanceNotFoundException.class);
    }

    @Test
    void execRunsOrSaysItIsUnsupported() throws Exception {
        InstanceId id = newId();
        InstanceSpec spec = spec(id, Workload.runsUntilStopped());
        runtime.create(spec);
        awaitRunning(id);
        ExecIo io = new ExecIo(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());

        ExecResult result = runtime.exec(id, spec.containers().getFirst().name(),
                new ExecRequest(List.of("true"), false, false), io).get(patience().toMillis(), TimeUnit.MILLISECONDS);

        switch (result) {
            case ExecResult.Exited exited -> assertThat(exited.exitCode()).isZero();
            case ExecResult.Unsupported unsupported -> assertThat(unsupported.reason()).isNotBlank();
        }
        assertThatThrownBy(() -> runtime.exec(id, "no-such-container", new ExecRequest(List.of("true"), false, false),
                io)).isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void statsCoverRunningContainers() {
        InstanceId id = newId();
        InstanceSpec spec = spec(id, Workload.runsUntilStopped());
        runtime.create(spec);
        awaitRunning(id);

        var stats = runtime.stats(id).orElseThrow();

        assertThat(stats.id()).isEqualTo(id);
        assertThat(stats.containers()).extracting(c -> c.name()).containsExactly(spec.containers().getFirst().name());
        assertThat(stats.containers().getFirst().memory().workingSetBytes()).isPositive();
        assertThat(stats.containers().getFirst().rootfs().capacityBytes())
                .isGreaterThanOrEqualTo(stats.containers().getFirst().rootfs().usedBytes());
        assertThat(runtime.stats(InstanceId.of("no-such-instance"))).isEmpty();
    }

    @Test
    void ephemeralStorageCoversCreatedContainers() {
        InstanceId id = newId();
        InstanceSpec spec = spec(id, Workload.runsUntilStopped());
        runtime.create(spec);
        awaitRunning(id);

        var usage = runtime.ephemeralStorage(id).orElseThrow();

        assertThat(usage.id()).isEqualTo(id);
        assertThat(usage.containers()).extracting(c -> c.name()).contains(spec.containers().getFirst().name());
        assertThat(usage.containers()).allSatisfy(c -> {
            assertThat(c.writableLayerBytes()).isNotNegative();
            assertThat(c.logsBytes()).isNotNegative();
        });
        assertThat(usage.totalBytes()).isNotNegative();
        assertThat(runtime.ephemeralStorage(InstanceId.of("no-such-instance"))).isEmpty();
    }

    // --- closing -----------------------------------------------------------------------------------------------

    @Test
    void aClosedRuntimeRefusesCalls() {
        InstanceId id = newId();
        runtime.create(spec(id, Workload.runsUntilStopped()));

        runtime.close();
        runtime.close();

        assertThatThrownBy(() -> runtime.create(spec(newId(), Workload.runsUntilStopped())))
                .isInstanceOf(RuntimeUnavailableException.class);
        assertThatThrownBy(() -> runtime.delete(id)).isInstanceOf(RuntimeUnavailableException.class);
        assertThatThrownBy(runtime::list).isInstanceOf(RuntimeUnavailableException.class);
    }
}
