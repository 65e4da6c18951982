package dev.skiff.node.agent;

import dev.skiff.node.agent.env.EnvResolver;
import dev.skiff.node.agent.eviction.EvictionManager;
import dev.skiff.node.agent.probe.Handlers;
import dev.skiff.node.agent.volume.ApiTokenSource;
import dev.skiff.node.agent.volume.Tmpfs;
import dev.skiff.node.agent.volume.VolumeManager;
import dev.skiff.node.ipam.IpPool;
import dev.skiff.node.kubelet.KubeletServer;
import dev.skiff.node.kubelet.KubeletServing;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.runtime.Subscription;
import dev.skiff.node.stats.StorageMeter;
import dev.skiff.node.stats.SummaryCollector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

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

    /** Closes the agent's own informers, or removes its handlers from shared ones. */
    private final Runnable stopWatching;
    private final Subscription subscription;
    private final KeyedQueue queue;
    private final ScheduledFuture<?> heartbeat;
    private final EventBroadcaster eventWriters;
    private final KubeletServer kubelet;
    private final ImageCacheWatch imageCaches;
    private final ScheduledFuture<?> resync;
    /** Ephemeral storage eviction and CPU sampling, every {@link NodeConfig#housekeepingInterval()}. */
    private final ScheduledFuture<?> housekeeping;
    private final PodReconciler reconciler;
    private final Runnable removeDataDir;

    /**
     * How often mounted ConfigMaps, Secrets, tokens and downward-API files are rewritten even without a change
     * event (the kubelet's {@code syncFrequency}, 1 min): tokens are renewed at 80% of their life this way.
     */
    static final Duration VOLUME_RESYNC = Duration.ofMinutes(1);

    private NodeAgent(Runnable stopWatching, Subscription subscription, KeyedQueue queue,
                      ScheduledFuture<?> heartbeat, EventBroadcaster eventWriters, KubeletServer kubelet,
                      ImageCacheWatch imageCaches, ScheduledFuture<?> resync, ScheduledFuture<?> housekeeping,
                      PodReconciler reconciler, Runnable removeDataDir) {
        this.housekeeping = housekeeping;
        this.kubelet = kubelet;
        this.reconciler = reconciler;
        this.removeDataDir = removeDataDir;
        this.imageCaches = imageCaches;
        this.resync = resync;
        this.stopWatching = stopWatching;
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
        return start(client, config, runtime, clock, scheduler, kubelet, null);
    }

    /**
     * As {@link #start(KubernetesClient, NodeConfig, InstanceRuntime, Clock, ScheduledExecutorService,
     * KubeletServing)}, watching pods, ConfigMaps and Secrets through {@code shared} (the process's informers, which
     * other components use too) instead of informers of its own; null: its own, the pod watch filtered by the server
     * on {@code spec.nodeName} as a kubelet's is. The pod informer then carries every pod and the agent keeps those
     * bound to its node.
     */
    public static NodeAgent start(KubernetesClient client, NodeConfig config, InstanceRuntime runtime, Clock clock,
                                  ScheduledExecutorService scheduler, KubeletServing kubelet,
                                  AgentInformers shared) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");

        // The informer exists (not yet started) before the kubelet server, which reads the pods from its store.
        String nodeName = config.nodeName();
        SharedIndexInformer<Pod> informer = shared != null ? shared.informer(Pod.class)
                : client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).runnableInformer(0);
        // The pods bound to this node (a shared informer holds every pod of the cluster).
        Supplier<List<Pod>> podsOnNode = () -> informer.getStore().list().stream()
                .filter(pod -> onNode(pod, nodeName)).toList();
        // The summary collector needs the volumes, which exist only later; until then /stats/summary answers 503.
        AtomicReference<SummaryCollector> summaries = new AtomicReference<>();
        KubeletServer server = kubelet == null ? null : KubeletServer.start(kubelet,
                (namespace, name) -> Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name))
                        .filter(pod -> onNode(pod, nodeName)),
                runtime, clock, () -> {
                    SummaryCollector collector = summaries.get();
                    if (collector == null) {
                        throw new IllegalStateException("node " + nodeName + " is still starting");
                    }
                    return collector.summary();
                });
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
        // ConfigMaps and Secrets of every namespace: env references and volumes read them, and their updates reach
        // mounted files (the kubelet watches only the objects its pods reference; one informer each is simpler).
        SharedIndexInformer<ConfigMap> configMaps = shared != null ? shared.informer(ConfigMap.class)
                : client.configMaps().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<Secret> secrets = shared != null ? shared.informer(Secret.class)
                : client.secrets().inAnyNamespace().runnableInformer(0);
        CachedObjects objects = new CachedObjects(client, configMaps, secrets);
        Path dataDir = config.dataDir() != null ? config.dataDir() : temporaryDataDir(config.nodeName());
        VolumeManager volumes = new VolumeManager(dataDir, objects, new ApiTokenSource(client, clock), clock,
                Tmpfs.detect());
        // ServiceAccounts only for their imagePullSecrets (PodPullSecrets says why the node reads them).
        SharedIndexInformer<ServiceAccount> serviceAccounts = shared != null ? shared.informer(ServiceAccount.class)
                : client.serviceAccounts().inAnyNamespace().runnableInformer(0);
        PodPullSecrets pullSecrets = new PodPullSecrets(objects, (namespace, name) -> serviceAccount(client,
                serviceAccounts, namespace, name));
        PodPreparation preparation = new PodPreparation(new EnvResolver(objects), volumes, config.internalIp(),
                pullSecrets);
        ImageCacheWatch imageCaches = new ImageCacheWatch(client);
        PodReconciler reconciler = new PodReconciler(client, writes, config, runtime, IpPool.forSubnet(config.podCidr()),
                clock, scheduler, events, preparation, volumes, new Handlers(runtime),
                new ImageCacheHits(imageCaches::caches, clock, imageCaches::annotate));
        StorageMeter meter = new StorageMeter(runtime, volumes::volumeDir);
        SummaryCollector collector = new SummaryCollector(nodeName, podsOnNode, runtime, meter, clock);
        summaries.set(collector);
        EvictionManager evictions = new EvictionManager(podsOnNode, runtime, meter,
                new EvictionManager.Actions() {
                    @Override
                    public void evict(Pod pod, String message, boolean instanceExhausted) {
                        reconciler.evict(pod, message, instanceExhausted);
                    }

                    @Override
                    public void warn(Pod pod, String reason, String message) {
                        events.record(pod, null, false, true, reason, message);
                    }
                });
        ResourceEventHandler<ConfigMap> configMapHandler = objectHandler(reconciler, false);
        ResourceEventHandler<Secret> secretHandler = objectHandler(reconciler, true);
        configMaps.addEventHandler(configMapHandler);
        secrets.addEventHandler(secretHandler);
        // Subscribe before anything is created, so no change of an instance goes unseen.
        Subscription subscription = runtime.subscribe(reconciler);
        ResourceEventHandler<Pod> podHandler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                if (onNode(pod, nodeName)) {
                    reconciler.podSeen(pod);
                }
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (onNode(newPod, nodeName)) {
                    reconciler.podSeen(newPod);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                if (onNode(pod, nodeName)) {
                    reconciler.podGone(pod);
                }
            }
        };
        informer.addEventHandler(podHandler);
        // Own informers are closed with the agent; shared ones only lose the agent's handlers.
        Runnable stopWatching = shared == null
                ? () -> {
                    configMaps.close();
                    secrets.close();
                    serviceAccounts.close();
                    informer.close();
                }
                : () -> {
                    configMaps.removeEventHandler(configMapHandler);
                    secrets.removeEventHandler(secretHandler);
                    informer.removeEventHandler(podHandler);
                };
        KeyedQueue queue = null;
        ScheduledFuture<?> resync = null;
        ScheduledFuture<?> housekeeping = null;
        try {
            if (shared == null) {
                configMaps.start().toCompletableFuture().join();
                secrets.start().toCompletableFuture().join();
                serviceAccounts.start().toCompletableFuture().join();
                informer.start().toCompletableFuture().join();
            } else {
                shared.start();
            }
            // Addresses are claimed back from the synced pods before any reconcile hands out a new one.
            queue = new KeyedQueue("node-agent-" + config.nodeName(), WORKERS, reconciler::reconcile);
            reconciler.start(queue, podsOnNode.get());
            resync = scheduler.scheduleWithFixedDelay(() -> Thread.ofVirtual().start(reconciler::resyncAllVolumes),
                    VOLUME_RESYNC.toMillis(), VOLUME_RESYNC.toMillis(), TimeUnit.MILLISECONDS);
            housekeeping = scheduler.scheduleWithFixedDelay(() -> Thread.ofVirtual().start(() -> {
                        collector.sample();
                        evictions.housekeeping();
                    }), config.housekeepingInterval().toMillis(), config.housekeepingInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            if (resync != null) {
                resync.cancel(false);
            }
            if (housekeeping != null) {
                housekeeping.cancel(false);
            }
            imageCaches.close();
            stopWatching.run();
            reconciler.close();
            subscription.close();
            heartbeat.cancel(false);
            if (queue != null) {
                queue.close();
            }
            eventWriters.close();
            if (server != null) {
                server.close();
            }
            if (config.dataDir() == null) {
                deleteTree(dataDir);
            }
            throw e;
        }
        return new NodeAgent(stopWatching, subscription, queue, heartbeat, eventWriters, server,
                imageCaches, resync, housekeeping, reconciler,
                config.dataDir() == null ? () -> {
                    volumes.unmountAll();
                    deleteTree(dataDir);
                } : () -> { });
    }

    /** Whether the pod is bound to this node (a shared pod informer carries every pod of the cluster). */
    private static boolean onNode(Pod pod, String nodeName) {
        return pod.getSpec() != null && nodeName.equals(pod.getSpec().getNodeName());
    }

    /** A ServiceAccount from the informer, else by a GET (one created right before its pod); empty if none. */
    private static Optional<ServiceAccount> serviceAccount(KubernetesClient client,
                                                           SharedIndexInformer<ServiceAccount> informer,
                                                           String namespace, String name) {
        ServiceAccount cached = informer.getStore().getByKey(namespace + "/" + name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            return Optional.ofNullable(client.serviceAccounts().inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    private static Path temporaryDataDir(String nodeName) {
        try {
            return Files.createTempDirectory("skiff-node-" + nodeName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the node's data dir", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory
        }
    }

    /** ConfigMap/Secret changes, handed to the reconciler off the informer's thread (it may write files). */
    private static <T extends HasMetadata> ResourceEventHandler<T> objectHandler(PodReconciler reconciler,
                                                                               boolean secret) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed(obj);
            }

            private void changed(T obj) {
                Thread.ofVirtual().start(() -> reconciler.objectChanged(obj.getMetadata().getNamespace(), secret,
                        obj.getMetadata().getName()));
            }
        };
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        resync.cancel(false);
        housekeeping.cancel(false);
        imageCaches.close();
        reconciler.close();
        stopWatching.run();
        subscription.close();
        queue.close();
        eventWriters.close();
        removeDataDir.run();
        if (kubelet != null) {
            kubelet.close();
        }
    }
}
