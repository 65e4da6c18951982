package dev.skiff.control.controller;

import dev.skiff.control.controller.gc.Classified;
import dev.skiff.control.controller.gc.Decision;
import dev.skiff.control.controller.gc.DependencyGraph;
import dev.skiff.control.controller.gc.GcRules;
import dev.skiff.control.controller.gc.Node;
import dev.skiff.control.controller.gc.ObjectWrites;
import dev.skiff.control.controller.gc.OwnerRef;
import dev.skiff.control.controller.gc.OwnerState;
import dev.skiff.control.controller.gc.ResourceKind;
import dev.skiff.control.controller.gc.ResourceMonitors;
import dev.skiff.control.controller.gc.SharedMonitors;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The garbage collector, after kube-controller-manager's {@code pkg/controller/garbagecollector}: every deletable
 * resource is watched ({@link ResourceMonitors}), every object indexed by uid and by owner uid
 * ({@link DependencyGraph}), and two kinds of work run on one {@link Controller} queue:
 * <ul>
 *   <li>{@code delete:<uid>} (upstream's {@code attemptToDelete}): an object whose owners are all absent is deleted
 *       (absence confirmed by a live GET, since the graph may lag); one whose owner waits in foreground deletion
 *       is deleted too (in the foreground if it has dependents of its own); references to absent owners are
 *       removed while a live owner remains; an object marked for foreground deletion loses its
 *       {@code foregroundDeletion} finalizer once no dependent with {@code blockOwnerDeletion} is left;</li>
 *   <li>{@code orphan:<uid>} (upstream's {@code attemptToOrphan}): an object marked with the {@code orphan}
 *       finalizer has its references removed from its dependents, then loses the finalizer.</li>
 * </ul>
 * The decisions are {@link GcRules}' pure functions; {@link ObjectWrites} carries them out. Discovery runs again
 * when a CustomResourceDefinition changes, when an owner reference names a kind not yet watched, and every
 * {@link #RESYNC} (upstream resyncs its monitors periodically too).
 *
 * <p>Thread-safe: informer threads update the graph, the controller never runs one key on two threads.
 * {@link #start()} blocks until every resource's first list has been read; reconciles block on API calls.
 */
public final class GarbageCollector implements Reconciler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    /** How often discovery runs again on its own (upstream's garbage collector resyncs every 30 s). */
    static final Duration RESYNC = Duration.ofSeconds(30);
    private static final String DELETE = "delete:";
    private static final String ORPHAN = "orphan:";
    private static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";

    private final DependencyGraph graph = new DependencyGraph();
    private final ResourceMonitors monitors;
    private final ObjectWrites writes;
    private final EventRecorder events;
    private final Controller controller;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    /** Invalid references already reported ({@code dependentUid/ownerUid}), so each is reported once. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile ScheduledFuture<?> periodic;

    public GarbageCollector(KubernetesClient client, Clock clock, int workers, ScheduledExecutorService executor) {
        this(client, clock, workers, executor, SharedMonitors.NONE);
    }

    /** Watches the resources {@code shared} already has an informer for through those informers. */
    public GarbageCollector(KubernetesClient client, Clock clock, int workers, ScheduledExecutorService executor,
                            SharedMonitors shared) {
        this.executor = executor;
        this.writes = new ObjectWrites(client);
        this.events = new EventRecorder(client, clock, "garbage-collector-controller");
        this.controller = new Controller("garbagecollector", this, workers, executor);
        this.monitors = new ResourceMonitors(client, new GraphBuilder(), shared);
    }

    public Controller controller() {
        return controller;
    }

    /** The graph, for tests that check what the collector has observed. */
    DependencyGraph graph() {
        return graph;
    }

    /**
     * Discovers and watches every deletable resource, waits for their first lists, then starts collecting (as
     * upstream waits for its graph to sync before its workers run).
     */
    public void start() {
        monitors.sync();
        controller.start();
        periodic = executor.scheduleWithFixedDelay(this::requestResync, RESYNC.toMillis(), RESYNC.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("garbage collector watches {} resources, {} objects", monitors.size(), graph.size());
    }

    /** Runs discovery again soon, on the executor; requests made meanwhile share that run. */
    void requestResync() {
        if (!resyncQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                resyncQueued.set(false);
                try {
                    monitors.sync();
                } catch (RuntimeException e) {
                    LOG.warn("garbage collector discovery failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            resyncQueued.set(false);
        }
    }

    @Override
    public void reconcile(String key) throws Exception {
        if (key.startsWith(ORPHAN)) {
            orphan(key.substring(ORPHAN.length()));
        } else {
            attemptToDelete(key.substring(DELETE.length()));
        }
    }

    private void attemptToDelete(String uid) throws Exception {
        Node item = graph.get(uid);
        if (item == null) {
            return;
        }
        if (item.beingDeleted() && !item.deletingDependents()) {
            return; // on its way out; its dependents are looked at when it is gone
        }
        List<Node> dependents = graph.dependents(uid).stream()
                .filter(d -> GcRules.isValidDependent(item, d)).toList();
        if (item.deletingDependents()) {
            carryOut(item, GcRules.forDeletingDependents(item, dependents));
            return;
        }
        if (item.owners().isEmpty()) {
            return;
        }
        List<Classified> owners = new ArrayList<>();
        for (OwnerRef ref : item.owners()) {
            owners.add(new Classified(ref, classify(item, ref)));
        }
        carryOut(item, GcRules.forOwners(item, owners, dependents));
    }

    /**
     * Resolves one owner reference. The graph answers for an owner it holds alive under the referenced name;
     * anything else (absent, renamed, waiting for dependents) is confirmed by a live GET before it can lead to a
     * deletion. Namespaced owners are looked up in the dependent's namespace: owner references carry none.
     */
    private OwnerState classify(Node item, OwnerRef ref) {
        Optional<ResourceKind> resolved = monitors.resolve(ref.apiVersion(), ref.kind());
        if (resolved.isEmpty()) {
            // A kind discovery did not list (yet): a CRD being established. Never judged absent on a guess.
            requestResync();
            throw new IllegalStateException("owner kind " + ref.groupKind() + " of " + item.id()
                    + " is not served (yet)");
        }
        ResourceKind kind = resolved.get();
        if (kind.namespaced() && item.id().namespace().isEmpty()) {
            return OwnerState.UNRESOLVABLE;
        }
        String namespace = kind.namespaced() ? item.id().namespace() : "";
        Node cached = graph.get(ref.uid());
        if (cached != null && kind.namespaced() && !cached.id().namespace().equals(namespace)) {
            // The uid belongs to an object in another namespace: the reference points nowhere in this one.
            reportInvalidNamespace(item, ref);
        } else if (cached != null && cached.id().name().equals(ref.name())
                && cached.id().resource().groupKind().equals(kind.groupKind()) && !cached.deletingDependents()) {
            return OwnerState.SOLID;
        }
        Optional<Node> live = writes.get(kind, namespace, ref.name());
        if (live.isEmpty() || !live.get().uid().equals(ref.uid())) {
            return OwnerState.DANGLING;
        }
        return live.get().deletingDependents() ? OwnerState.WAITING_FOR_DEPENDENTS : OwnerState.SOLID;
    }

    private void carryOut(Node item, Decision decision) throws Exception {
        switch (decision) {
            case Decision.Keep keep -> {
            }
            case Decision.RemoveOwnerReferences remove -> {
                LOG.debug("removing owner references {} from {}", remove.ownerUids(), item.id());
                writes.removeOwnerReferences(item.id(), remove.ownerUids());
            }
            case Decision.Delete delete -> {
                if (delete.unblockFirst()) {
                    writes.unblockOwnerReferences(item.id());
                }
                LOG.debug("deleting {} with propagation {}", item.id(), delete.propagationPolicy());
                writes.delete(item.id(), delete.propagationPolicy());
            }
            case Decision.RemoveFinalizer remove -> writes.removeFinalizer(item.id(), remove.finalizer());
            case Decision.AwaitDependents await -> await.dependents().forEach(d -> enqueueDelete(d.uid()));
            case Decision.InvalidOwner invalid -> reportInvalidNamespace(item, invalid.ref());
        }
    }

    private void orphan(String uid) {
        Node owner = graph.get(uid);
        if (owner == null || !owner.orphaningDependents()) {
            return;
        }
        for (Node dependent : GcRules.toOrphan(owner, graph.dependents(uid))) {
            writes.removeOwnerReferences(dependent.id(), Set.of(uid));
        }
        writes.removeFinalizer(owner.id(), Node.ORPHAN);
    }

    /**
     * Upstream's {@code OwnerRefInvalidNamespace} warning on the dependent: its reference names an owner that
     * cannot exist where the dependent is (another namespace, or a namespaced owner of a cluster-scoped object).
     */
    private void reportInvalidNamespace(Node item, OwnerRef ref) {
        if (!reported.add(item.uid() + "/" + ref.uid())) {
            return;
        }
        String namespace = item.id().namespace();
        GenericKubernetesResource involved = new GenericKubernetesResource();
        involved.setApiVersion(item.id().resource().apiVersion());
        involved.setKind(item.id().resource().kind());
        involved.setMetadata(new ObjectMetaBuilder().withName(item.id().name())
                .withNamespace(namespace.isEmpty() ? null : namespace).withUid(item.uid()).build());
        events.warning(involved, "OwnerRefInvalidNamespace", "ownerRef [" + ref.apiVersion() + "/" + ref.kind()
                + ", namespace: " + namespace + ", name: " + ref.name() + ", uid: " + ref.uid()
                + "] does not exist in namespace \"" + namespace + "\"");
    }

    private void enqueueDelete(String uid) {
        controller.enqueue(DELETE + uid);
    }

    /**
     * Upstream's {@code GraphBuilder.processGraphChanges}: keeps the graph current and queues the work a change
     * calls for. Runs on informer threads; never blocks.
     */
    private final class GraphBuilder implements ResourceMonitors.Listener {

        @Override
        public void onUpsert(ResourceKind resource, GenericKubernetesResource object) {
            Node next = Node.of(resource, object);
            Node previous = graph.put(next);
            boolean ownersChanged = previous == null ? !next.owners().isEmpty()
                    : !previous.owners().equals(next.owners());
            if (ownersChanged) {
                enqueueDelete(next.uid());
                if (previous != null) {
                    // An owner waiting for this dependent may no longer have to.
                    Set<OwnerRef> gone = new HashSet<>(previous.owners());
                    next.owners().forEach(gone::remove);
                    gone.forEach(ref -> enqueueIfWaiting(ref.uid()));
                }
            }
            if (next.orphaningDependents()) {
                controller.enqueue(ORPHAN + next.uid());
            }
            if (next.deletingDependents()) {
                enqueueDelete(next.uid());
                graph.dependents(next.uid()).forEach(d -> enqueueDelete(d.uid()));
            }
            if (resource.groupResource().equals(CRDS)) {
                requestResync();
            }
        }

        @Override
        public void onDelete(ResourceKind resource, GenericKubernetesResource object) {
            String uid = object.getMetadata().getUid();
            Node removed = graph.remove(uid);
            if (removed == null) {
                removed = Node.of(resource, object);
            }
            graph.dependents(uid).forEach(d -> enqueueDelete(d.uid()));
            removed.owners().forEach(ref -> enqueueIfWaiting(ref.uid()));
            if (resource.groupResource().equals(CRDS)) {
                requestResync();
            }
        }

        private void enqueueIfWaiting(String ownerUid) {
            Node owner = graph.get(ownerUid);
            if (owner != null && owner.deletingDependents()) {
                enqueueDelete(ownerUid);
            }
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> timer = periodic;
        if (timer != null) {
            timer.cancel(false);
        }
        controller.close();
        monitors.close();
    }
}
