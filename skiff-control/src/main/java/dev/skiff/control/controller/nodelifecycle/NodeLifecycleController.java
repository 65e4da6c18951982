package dev.skiff.control.controller.nodelifecycle;

import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.EventRecorder;
import dev.skiff.control.controller.Pods;
import dev.skiff.control.controller.Reconciler;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The node lifecycle controller, after upstream's {@code node_lifecycle_controller.go} with taint-based eviction and
 * the orphan/terminating parts of PodGC. One reconcile per node (key: the node's name), run on every Node or Lease
 * change, on pod changes that concern a sick node, and for every node each {@link NodeLifecycleConfig#monitorPeriod}
 * (upstream's {@code monitorNodeHealth} loop):
 * <ol>
 *   <li>A node whose last sign of life (a Lease renewal or a new status heartbeat, timed by the controller's own
 *       clock when it observes them, as upstream's {@code nodeHealthMap}, so clock skew does not matter) is older
 *       than the grace period gets its kubelet conditions Unknown ({@link NodeHealth}) and a {@code NodeNotReady}
 *       event.</li>
 *   <li>Its taints follow its conditions ({@link NodeTaints}): unreachable/not-ready NoSchedule and NoExecute; they
 *       go when the kubelet reports Ready again.</li>
 *   <li>Pods on a node that is not Ready get Ready=False ({@code MarkPodsNotReady}).</li>
 *   <li>Pods that do not tolerate the NoExecute taints are evicted at once, the others when their
 *       {@code tolerationSeconds} run out ({@link TaintEviction}; admission gives every pod 300 s).</li>
 *   <li>Pods left terminating on a silent node past their deletion time, and pods bound to a node that no longer
 *       exists, are force-deleted (PodGC): no kubelet will ever confirm their end.</li>
 * </ol>
 * Upstream rate-limits evictions per zone ({@code --node-eviction-rate}) and stops them when a whole zone is down;
 * with one virtual node per zone that protection would never let a virtual node's pods move, so it is not applied.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one node on two threads. Reconciles block on API calls.
 */
public final class NodeLifecycleController implements Reconciler, AutoCloseable {

    /** The pod informer index this controller adds: pods by {@code spec.nodeName}. */
    public static final String BY_NODE = "nodeName";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final NodeLifecycleConfig config;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;
    private final ScheduledExecutorService executor;
    private final PodWrites writes;
    private final EventRecorder events;
    private final Controller controller;
    /** Node name → when the controller last saw it alive (upstream's probeTimestamp). */
    private final Map<String, Instant> lastSignOfLife = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> monitor;

    public NodeLifecycleController(KubernetesClient client, Clock clock, NodeLifecycleConfig config,
                                   SharedIndexInformer<Node> nodes, SharedIndexInformer<Lease> leases,
                                   SharedIndexInformer<Pod> pods, int workers, ScheduledExecutorService executor) {
        this.client = client;
        this.clock = clock;
        this.config = config;
        this.nodes = nodes;
        this.pods = pods;
        this.executor = executor;
        this.writes = new PodWrites(client, clock);
        this.events = new EventRecorder(client, clock, "node-controller");
        this.controller = new Controller("nodelifecycle", this, workers, executor);
        pods.addIndexers(Map.of(BY_NODE, pod -> List.of(nodeNameOf(pod))));
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                lastSignOfLife.putIfAbsent(node.getMetadata().getName(), clock.instant());
                controller.enqueue(node.getMetadata().getName());
            }

            @Override
            public void onUpdate(Node before, Node after) {
                if (!Objects.equals(heartbeat(before), heartbeat(after))) {
                    lastSignOfLife.put(after.getMetadata().getName(), clock.instant());
                }
                controller.enqueue(after.getMetadata().getName());
            }

            @Override
            public void onDelete(Node node, boolean unknown) {
                controller.enqueue(node.getMetadata().getName());
            }
        });
        leases.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Lease lease) {
                renewed(lease);
            }

            @Override
            public void onUpdate(Lease before, Lease after) {
                if (!Objects.equals(renewTime(before), renewTime(after))) {
                    renewed(after);
                }
            }

            @Override
            public void onDelete(Lease lease, boolean unknown) {
            }
        });
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                podChanged(after);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
            }
        });
    }

    public Controller controller() {
        return controller;
    }

    /** Starts the controller and the periodic health check of every node; call once the informers synced. */
    public void start() {
        controller.start();
        long period = config.monitorPeriod().toMillis();
        try {
            monitor = executor.scheduleWithFixedDelay(() -> nodes.getIndexer().list()
                    .forEach(n -> controller.enqueue(n.getMetadata().getName())), period, period,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("executor shut down; node monitor not started");
        }
    }

    @Override
    public void reconcile(String name) throws Exception {
        Node node = nodes.getIndexer().getByKey(name);
        if (node == null) {
            collectOrphans(name);
            return;
        }
        Instant now = clock.instant();
        Instant seen = lastSignOfLife.computeIfAbsent(name, k -> now);
        boolean silent = NodeHealth.silent(seen, now, config.gracePeriod());
        if (silent) {
            List<NodeCondition> conditions = NodeHealth.markedUnknown(node, now);
            if (conditions != null) {
                node = client.nodes().resource(new NodeBuilder(node).editOrNewStatus().withConditions(conditions)
                        .endStatus().build()).updateStatus();
                LOG.info("node {} stopped renewing its lease: marked Unknown", name);
                events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
            }
        }
        List<Taint> taints = NodeTaints.reconciled(node, now);
        if (taints != null) {
            node = client.nodes().resource(new NodeBuilder(node).editOrNewSpec().withTaints(taints).endSpec().build())
                    .update();
        }
        String ready = NodeHealth.ready(node);
        boolean notReady = ready != null && !"True".equals(ready);
        List<Taint> noExecute = NodeTaints.noExecute(node);
        Instant next = null;
        for (Pod pod : pods.getIndexer().byIndex(BY_NODE, name)) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                next = earliest(next, collectTerminating(pod, silent, now));
                continue;
            }
            if (!Pods.isActive(pod)) {
                continue;
            }
            if (notReady && Pods.isReady(pod)) {
                writes.markNotReady(pod);
            }
            if (TaintEviction.decide(pod, noExecute, now) instanceof TaintEviction.EvictAt(Instant at)) {
                if (at.isAfter(now)) {
                    next = earliest(next, at);
                } else {
                    events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod "
                            + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
                    writes.evict(pod);
                }
            }
        }
        if (next != null) {
            controller.enqueueAfter(name, Duration.between(now, next));
        }
    }

    /**
     * A terminating pod on a silent node whose deletion time has passed will never be confirmed by its kubelet:
     * force-delete it. Answers when to look again, or null.
     */
    private Instant collectTerminating(Pod pod, boolean silent, Instant now) throws Exception {
        if (!silent) {
            return null;
        }
        Instant deadline = Times.parse(pod.getMetadata().getDeletionTimestamp());
        if (deadline != null && deadline.isAfter(now)) {
            return deadline;
        }
        LOG.info("force-deleting pod {}/{}: terminating on unreachable node {}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), nodeNameOf(pod));
        writes.forceDelete(pod);
        return null;
    }

    /** PodGC's {@code gcOrphaned}: pods bound to a node that does not exist (confirmed by the server) go. */
    private void collectOrphans(String name) throws Exception {
        lastSignOfLife.remove(name);
        List<Pod> orphans = pods.getIndexer().byIndex(BY_NODE, name);
        if (orphans.isEmpty() || client.nodes().withName(name).get() != null) {
            return;
        }
        for (Pod pod : orphans) {
            LOG.info("force-deleting pod {}/{}: its node {} is gone", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), name);
            writes.forceDelete(pod);
        }
    }

    private void renewed(Lease lease) {
        String name = lease.getMetadata().getName();
        lastSignOfLife.put(name, clock.instant());
        controller.enqueue(name);
    }

    /** Wakes the pod's node when the pod may need this controller: its node is sick or gone. */
    private void podChanged(Pod pod) {
        String name = nodeNameOf(pod);
        if (name.isEmpty()) {
            return;
        }
        Node node = nodes.getIndexer().getByKey(name);
        if (node == null || !NodeTaints.noExecute(node).isEmpty() || !"True".equals(NodeHealth.ready(node))) {
            controller.enqueue(name);
        }
    }

    private static String nodeNameOf(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
    }

    private static Object renewTime(Lease lease) {
        return lease.getSpec() == null ? null : lease.getSpec().getRenewTime();
    }

    private static String heartbeat(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        // Conditions this controller wrote (Unknown) are no sign of the kubelet's life.
        return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .filter(c -> !"NodeStatusUnknown".equals(c.getReason())
                        && !"NodeStatusNeverUpdated".equals(c.getReason()))
                .map(NodeCondition::getLastHeartbeatTime).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    @Override
    public void close() {
        ScheduledFuture<?> m = monitor;
        if (m != null) {
            m.cancel(false);
        }
        controller.close();
    }
}
