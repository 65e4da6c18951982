package dev.skiff.node.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs pods as <em>instances</em>: one sandbox per pod on a virtual node. The node agent (the virtual kubelet) is
 * its only caller; it maps Pods onto {@link InstanceSpec}s, and {@link InstanceStatus}es back onto pod statuses.
 *
 * <h2>Model</h2>
 * An instance is created once from an immutable spec and runs its containers according to the spec's restart
 * policy: the runtime, not the caller, restarts exited containers, as Elastic Container Instance does. It ends in
 * a terminal state ({@link InstanceState.Succeeded} or {@link InstanceState.Failed}) by itself (all containers
 * exited and none restarts) or through {@link #delete}, and stays listed until deleted.
 *
 * <h2>Threads</h2>
 * Every method is thread-safe and may be called concurrently for the same or different instances. No method waits
 * for an instance to make progress: {@link #create} returns once the instance is recorded, {@link #delete} returns a
 * future. Methods may block briefly on the runtime's own I/O (a real runtime talks to a daemon), so callers use
 * virtual threads or a pool sized for it. Implementations take their clock and executors from their creator.
 *
 * <h2>Notifications</h2>
 * {@link #subscribe} delivers every change of every instance as {@link InstanceEvent}s, in order per instance, on
 * the runtime's notification executor. Delivery never blocks the runtime: each subscriber has its own queue, so a
 * slow listener only delays itself.
 *
 * <h2>Failures</h2>
 * Problems of one instance (an image that cannot be pulled, a container that crashes) are reported in its status,
 * never thrown. Methods throw {@link RuntimeUnavailableException} when the runtime itself cannot serve them (after
 * {@link #close()}, or its daemon is unreachable); the caller retries with backoff.
 */
public interface InstanceRuntime extends AutoCloseable {

    /** What this runtime is; {@link RuntimeInfo#simulated()} says whether its instances are real. Cheap, constant. */
    RuntimeInfo info();

    /**
     * Creates an instance, or confirms one exists. Idempotent by {@link InstanceSpec#id()}: if an instance with this
     * id exists, an equal spec answers {@link CreateResult.Existing} and a different spec
     * {@link CreateResult.SpecConflict}, changing nothing either way (also while it is being deleted).
     *
     * <p>Returns as soon as the instance is recorded, normally in {@link InstanceState.Pending}; pulling, creating
     * and starting happen afterwards and are reported through {@link #subscribe notifications}. A new instance's
     * first snapshot is also delivered as an {@link InstanceEvent.StatusChanged}.
     *
     * @throws RuntimeUnavailableException if the runtime cannot accept instances now
     */
    CreateResult create(InstanceSpec spec);

    /**
     * Stops and removes an instance. Running containers get SIGTERM, and SIGKILL (exit code 137) once the grace
     * period has passed; containers still starting are abandoned. The instance then reaches a terminal state (its
     * last {@link InstanceEvent.StatusChanged}), is removed ({@link InstanceEvent.Removed}), and the future completes
     * with {@link DeleteResult.Deleted} carrying that terminal status. An instance that is already terminal is
     * removed at once.
     *
     * <p>Repeatable: deleting an instance that is being deleted joins that deletion (a shorter grace period shortens
     * it, a longer one never extends it, as the kubelet does); deleting an unknown or removed instance completes at
     * once with {@link DeleteResult.NotFound} and changes nothing.
     *
     * <p>Does not block: the future completes on a runtime thread; callers must not run long work in its stages
     * without switching executors.
     *
     * @param gracePeriod the time containers get between SIGTERM and SIGKILL, or null for the spec's
     */
    CompletableFuture<DeleteResult> delete(InstanceId id, Duration gracePeriod);

    /** {@link #delete(InstanceId, Duration)} with the spec's grace period. */
    default CompletableFuture<DeleteResult> delete(InstanceId id) {
        return delete(id, null);
    }

    /** The latest snapshot of an instance, or empty if there is none. Never blocks on instance progress. */
    Optional<InstanceStatus> status(InstanceId id);

    /**
     * Snapshots of every instance not yet removed, including terminal ones and those being deleted, in no
     * particular order. Each snapshot is consistent; the list as a whole is not an atomic cut across instances. To
     * follow changes without missing any, {@link #subscribe} first and list afterwards, keeping for each instance
     * the snapshot with the higher {@link InstanceStatus#version()}.
     */
    List<InstanceStatus> list();

    /**
     * Registers a listener for every change after this call. Deliveries happen on the runtime's notification
     * executor, one at a time per listener, in order per instance; listeners never run inside runtime calls.
     * The runtime keeps delivering to a listener that throws.
     */
    Subscription subscribe(InstanceListener listener);

    /**
     * Opens a container's log. Without {@code follow} the stream ends after the lines that exist now; with it, it
     * stays open until the container's current attempt exits, the instance is removed, or the stream is closed.
     * Opening does not block on instance progress.
     *
     * @throws InstanceNotFoundException  if there is no such instance
     * @throws ContainerNotFoundException if the instance has no such container, or no previous attempt when
     *                                    {@link LogOptions#previous()} is asked
     */
    LogStream logs(InstanceId id, String container, LogOptions options);

    /**
     * Runs a command in a running container, reading and writing the caller's streams. The future completes when
     * the command exits ({@link ExecResult.Exited}) or at once with {@link ExecResult.Unsupported} when this
     * runtime has no processes to run it in. With {@link ExecRequest#tty()} the command gets a terminal, sized by
     * {@link ExecIo#resizes()} as the client's changes; the end of {@link ExecIo#stdin()} closes the command's
     * stdin (how {@code kubectl exec -i} and {@code kubectl cp} end their input).
     *
     * @throws InstanceNotFoundException  if there is no such instance
     * @throws ContainerNotFoundException if it has no such container
     */
    CompletableFuture<ExecResult> exec(InstanceId id, String container, ExecRequest request, ExecIo io);

    /**
     * Attaches to the main process of a running container: its output from now on goes to {@code io}'s stdout and
     * stderr, and {@code io}'s stdin (when the request has one) to the process's stdin, as {@code kubectl attach}
     * (the CRI's {@code Attach}). With a tty, {@link ExecIo#resizes()} resize the container's terminal.
     *
     * <p>The future completes when the process exits ({@link ExecResult.Exited}), when the caller's stdin and the
     * session end first (also {@link ExecResult.Exited}, with the code the process has then, or -1 if it still
     * runs), or at once with {@link ExecResult.Unsupported} when the runtime has no processes to attach to. Several
     * sessions may attach to one container at once; each sees the output written while it is attached. Detaching
     * (the caller closing its streams) never stops the process. Does not block; thread-safe.
     *
     * <p>The default answers {@link ExecResult.Unsupported}, for runtimes without processes.
     *
     * @throws InstanceNotFoundException  if there is no such instance
     * @throws ContainerNotFoundException if it has no such container
     */
    default CompletableFuture<ExecResult> attach(InstanceId id, String container, AttachRequest request, ExecIo io) {
        return CompletableFuture.completedFuture(new ExecResult.Unsupported(
                info().name() + " runtime cannot attach to containers"));
    }

    /**
     * Opens a TCP connection to {@code port} inside the instance's network namespace (reachable there on the
     * loopback address, as the kubelet's port-forward dials {@code localhost:port} in the pod's netns). Blocks
     * until the connection is established or refused (short: a local connect); call it on a virtual thread.
     * Thread-safe; each call opens a new connection, which the caller closes.
     *
     * <p>The default answers {@link PortForwardResult.Unsupported}, for runtimes without network namespaces.
     *
     * @param port 1..65535
     * @throws InstanceNotFoundException if there is no such instance
     */
    default PortForwardResult portForward(InstanceId id, int port) {
        return new PortForwardResult.Unsupported(info().name() + " runtime cannot forward ports");
    }

    /**
     * Ends the current attempt of one running main container, as the kubelet does when a liveness or startup probe
     * fails or a postStart hook fails ({@code killContainer} in the kubelet's runtime manager): SIGTERM, then SIGKILL
     * once {@code gracePeriod} has passed. The container's end is then handled exactly as if it had exited by itself:
     * it is restarted (with the usual back-off) or not according to the instance's restart policy, and its
     * {@code lastState} shows the attempt killed (exit code 137 when SIGKILL was needed). The runtime records
     * {@code reason} in an {@code Occurred} notification ({@code Killing}).
     *
     * <p>Idempotent per attempt: a container that is not running (waiting, exited, or its instance being deleted)
     * is left alone and the future completes with {@code false}; a second call for an attempt already being killed
     * joins it. Does not block: the future completes on a runtime thread once the attempt ended ({@code true}).
     * Thread-safe.
     *
     * <p>The default answers a future failed with {@link UnsupportedOperationException}: runtimes that cannot stop
     * one container without the others say so, and the agent reports that the probe could not restart it.
     *
     * @param gracePeriod time between SIGTERM and SIGKILL (the pod's {@code terminationGracePeriodSeconds}, or the
     *                    probe's own {@code terminationGracePeriodSeconds})
     * @param reason      why, for the notification (e.g. "Container app failed liveness probe, will be restarted")
     * @throws InstanceNotFoundException  if there is no such instance
     * @throws ContainerNotFoundException if it has no such container
     */
    default CompletableFuture<Boolean> killContainer(InstanceId id, String container, Duration gracePeriod,
                                                     String reason) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                info().name() + " cannot stop a single container"));
    }

    /**
     * Current resource usage of an instance's running containers, or empty if there is no such instance. Cheap
     * enough to call for every instance every scrape interval.
     */
    Optional<InstanceStats> stats(InstanceId id);

    /**
     * The ephemeral storage an instance's containers occupy: each container's writable layer and log files (not
     * its volumes, which the node agent measures), or empty if there is no such instance. The node agent calls it
     * for every running instance every housekeeping interval (the kubelet's 10 s) to enforce
     * {@code limits.ephemeral-storage} and the instance's ephemeral storage size, and for the stats Summary API.
     *
     * <p>A read: idempotent and side-effect free. May block briefly on the runtime's own I/O (asking its daemon,
     * walking log files), so callers use virtual threads; figures may lag a little behind the disk (containerd
     * refreshes writable-layer sizes on its own period). Thread-safe.
     *
     * <p>The default derives the writable layers from {@link #stats}' {@code rootfs} of the running containers and
     * reports no log bytes, for runtimes that keep no log files.
     */
    default Optional<EphemeralUsage> ephemeralStorage(InstanceId id) {
        return stats(id).map(s -> new EphemeralUsage(id, s.timestamp(), s.containers().stream()
                .map(c -> new EphemeralUsage.ContainerUsage(c.name(), c.rootfs().usedBytes(), 0))
                .toList()));
    }

    /**
     * Makes an image present on the node without running it: what an image cache is built from. Idempotent: an
     * image already present completes at once (a runtime may refresh the tag). Does not block; the future completes
     * on a runtime thread with the local image, or exceptionally with an {@link ImagePullFailedException} whose
     * message says why the registry refused (unknown image, unauthorised, unreachable).
     *
     * <p>The default completes exceptionally with {@link UnsupportedOperationException}: a runtime that cannot hold
     * images says so.
     *
     * @param image       the image reference, as a pod would write it
     * @param credentials credentials for the image's registry (empty for anonymous pulls)
     */
    default CompletableFuture<PulledImage> pullImage(String image, List<RegistryCredential> credentials) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                info().name() + " runtime cannot pull images"));
    }

    /**
     * {@link #pullImage(String, List)} reaching the image's registry as {@code access} says (ECI's
     * {@code k8s.aliyun.com/plain-http-registry} and {@code k8s.aliyun.com/insecure-registry}, as an image cache's
     * annotations carry them). Same contract otherwise: idempotent, non-blocking, thread-safe.
     *
     * <p>The default ignores {@code access} and pulls as {@link #pullImage(String, List)} does: runtimes whose
     * registries need no transport settings (the simulated one) stay correct without implementing it.
     *
     * @param access how to reach registries named by the annotations ({@link RegistryAccess#DEFAULT}: as configured)
     */
    default CompletableFuture<PulledImage> pullImage(String image, List<RegistryCredential> credentials,
                                                     RegistryAccess access) {
        return pullImage(image, credentials);
    }

    /**
     * Stops the runtime: subscriptions end, deletions still waiting complete exceptionally with
     * {@link RuntimeUnavailableException}, and later calls throw it. A simulated runtime forgets its instances;
     * a real one leaves them running for the next node agent to adopt. Idempotent. Does not shut down the
     * executors it was given.
     */
    @Override
    void close();
}
