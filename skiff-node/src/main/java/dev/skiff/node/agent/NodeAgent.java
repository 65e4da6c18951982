package dev.skiff.node.agent;

import dev.skiff.node.ipam.IpPool;
import dev.skiff.node.kubelet.KubeletServer;
import dev.skiff.node.kubelet.KubeletServing;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.Subscription;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One virtual kubelet: registers a Node, heartbeats it, and runs the pods bound to it through an
 * {@link InstanceRuntime}. Start it with {@link #start}; {@link #close()} stops watching and heartbeating but
 * leaves the instances and the Node alone (a restarted agent adopts both, as a restarted kubelet does).
 *
 * <p>Thread-safe. {@link #start} blocks until the Node is registered and the pod informer has synced; the work
 * afterwards runs on the given scheduler (heartbeats, retry timers), the informer's thread and the agent's own
 * virtual threads (pod reconciling, event writes through an {@link EventBroadcaster}).
 */
public final class NodeAgent implements AutoCloseable {

    /**
     * Reconciling workers (virtual threads): pods are independent, and each worker mostly waits on the API server
     * (a status write). The kubelet runs one pod worker per pod; 8 here capped a burst at 8 writes in flight per
     * node, which made the node agent the queue of the pods benchmark (decision 026).
     */
    private static final int WORKERS = 64;

    private final SharedIndexInformer<Pod> informer;
    private final Subscription subscription;
    private final KeyedQueue queue;
    private final ScheduledFuture<?> heartbeat;
    private final EventBroadcaster eventWriters;
    private final KubeletServer kubelet;

    private NodeAgent(SharedIndexInformer<Pod> informer, Subscription subscription, KeyedQueue queue,
                      ScheduledFuture<?> heartbeat, EventBroadcaster eventWriters, KubeletServer kubelet) {
        this.kubelet = kubelet;
        this.informer = informer;
        this.subscription = subscription;
        this.queue = queue;
        this.heartbeat = heartbeat;
        this.eventWriters = eventWriters;
    }

    /**
     * Registers the node, starts its heartbeat and starts running its pods.
     *
     * @param client    an authenticated client (the agent does not close it)
     * @param runtime   where pods run (the agent does not close it)
     * @param scheduler for heartbeats and retry timers (the agent does not shut it down)
     */
    public static NodeAgent start(KubernetesClient client, NodeConfig config, InstanceRuntime runtime, Clock clock,
                                  ScheduledExecutorService scheduler) {
        return start(client, config, runtime, clock, scheduler, null);
    }

    /**
     * Registers the node, starts its heartbeat and kubelet server, and starts running its pods.
     *
     * @param kubelet how the node's kubelet server (logs, exec, attach, port-forward) listens, or null for none (the
     *                Node then publishes the kubelet's default port, where nothing answers)
     */
    public static NodeAgent start(KubernetesClient client, NodeConfig config, InstanceRuntime runtime, Clock clock,
                                  ScheduledExecutorService scheduler, KubeletServing kubelet) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");

        // The informer exists (not yet started) before the kubelet server, which reads the pods from its store.
        SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace()
                .withField("spec.nodeName", config.nodeName())
                .runnableInformer(0);
        KubeletServer server = kubelet == null ? null : KubeletServer.start(kubelet,
                (namespace, name) -> Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name)),
                runtime, clock);
        NodeHeartbeat node = new NodeHeartbeat(client, config, runtime.info(), clock,
                server == null ? NodeObjects.DEFAULT_KUBELET_PORT : server.port());
        try {
            node.register();
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        long leaseMillis = config.leaseInterval().toMillis();
        ScheduledFuture<?> heartbeat = scheduler.scheduleWithFixedDelay(node::beat, leaseMillis, leaseMillis,
                TimeUnit.MILLISECONDS);

        RawWrites writes = new RawWrites(client);
        EventBroadcaster eventWriters = new EventBroadcaster("node-agent-" + config.nodeName(),
                EventBroadcaster.Limits.kubelet(), clock, event -> PodEvents.write(writes, event));
        PodEvents events = new PodEvents(config.nodeName(), clock, eventWriters);
        PodReconciler reconciler = new PodReconciler(client, writes, config, runtime, IpPool.forSubnet(config.podCidr()),
                clock, scheduler, events);
        // Subscribe before anything is created, so no change of an instance goes unseen.
        Subscription subscription = runtime.subscribe(reconciler);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                reconciler.podSeen(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                reconciler.podSeen(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                reconciler.podGone(pod);
            }
        });
        KeyedQueue queue = null;
        try {
            informer.start().toCompletableFuture().join();
            // Addresses are claimed back from the synced pods before any reconcile hands out a new one.
            queue = new KeyedQueue("node-agent-" + config.nodeName(), WORKERS, reconciler::reconcile);
            reconciler.start(queue, informer.getStore().list());
        } catch (RuntimeException e) {
            informer.close();
            subscription.close();
            heartbeat.cancel(false);
            if (queue != null) {
                queue.close();
            }
            eventWriters.close();
            if (server != null) {
                server.close();
            }
            throw e;
        }
        return new NodeAgent(informer, subscription, queue, heartbeat, eventWriters, server);
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        informer.close();
        subscription.close();
        queue.close();
        eventWriters.close();
        if (kubelet != null) {
            kubelet.close();
        }
    }
}
