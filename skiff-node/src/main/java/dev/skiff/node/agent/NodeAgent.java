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
    private final List<SharedIndexInformer<?>> objectInformers;
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

    private NodeAgent(SharedIndexInformer<Pod> informer, Subscription subscription, KeyedQueue queue,
                      ScheduledFuture<?> heartbeat, EventBroadcaster eventWriters, KubeletServer kubelet,
                      List<SharedIndexInformer<?>> objectInformers, ImageCacheWatch imageCaches,
                      ScheduledFuture<?> resync, ScheduledFuture<?> housekeeping,
                      PodReconciler reconciler, Runnable removeDataDir) {
        this.housekeeping = housekeeping;
        this.kubelet = kubelet;
        this.reconciler = reconciler;
        this.removeDataDir = removeDataDir;
        this.objectInformers = objectInformers;
        this.imageCaches = imageCaches;
        this.resync = resync;
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
        // The summary collector needs the volumes, which exist only later; until then /stats/summary answers 503.
        AtomicReference<SummaryCollector> summaries = new AtomicReference<>();
        KubeletServer server = kubelet == null ? null : KubeletServer.start(kubelet,
                (namespace, name) -> Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name)),
                runtime, clock, () -> {
                    SummaryCollector collector = summaries.get();
                    if (collector == null) {
                        throw new IllegalStateException("node " + config.nodeName() + " is still starting");
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
        SharedIndexInformer<ConfigMap> configMaps = client.configMaps().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<Secret> secrets = client.secrets().inAnyNamespace().runnableInformer(0);
        CachedObjects objects = new CachedObjects(client, configMaps, secrets);
        Path dataDir = config.dataDir() != null ? config.dataDir() : temporaryDataDir(config.nodeName());
        VolumeManager volumes = new VolumeManager(dataDir, objects, new ApiTokenSource(client, clock), clock,
                Tmpfs.detect());
        PodPreparation preparation = new PodPreparation(new EnvResolver(objects), volumes, config.internalIp());
        ImageCacheWatch imageCaches = new ImageCacheWatch(client);
        PodReconciler reconciler = new PodReconciler(client, writes, config, runtime, IpPool.forSubnet(config.podCidr()),
                clock, scheduler, events, preparation, volumes, new Handlers(runtime),
                new ImageCacheHits(imageCaches::caches, clock, imageCaches::annotate));
        StorageMeter meter = new StorageMeter(runtime, volumes::volumeDir);
        SummaryCollector collector = new SummaryCollector(config.nodeName(), () -> informer.getStore().list(),
                runtime, meter, clock);
        summaries.set(collector);
        EvictionManager evictions = new EvictionManager(() -> informer.getStore().list(), runtime, meter,
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
        configMaps.addEventHandler(objectHandler(reconciler, false));
        secrets.addEventHandler(objectHandler(reconciler, true));
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
        ScheduledFuture<?> resync = null;
        ScheduledFuture<?> housekeeping = null;
        try {
            configMaps.start().toCompletableFuture().join();
            secrets.start().toCompletableFuture().join();
            informer.start().toCompletableFuture().join();
            // Addresses are claimed back from the synced pods before any reconcile hands out a new one.
            queue = new KeyedQueue("node-agent-" + config.nodeName(), WORKERS, reconciler::reconcile);
            reconciler.start(queue, informer.getStore().list());
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
            configMaps.close();
            secrets.close();
            informer.close();
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
        return new NodeAgent(informer, subscription, queue, heartbeat, eventWriters, server,
                List.of(configMaps, secrets), imageCaches, resync, housekeeping, reconciler,
                config.dataDir() == null ? () -> {
                    volumes.unmountAll();
                    deleteTree(dataDir);
                } : () -> { });
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
        objectInformers.forEach(SharedIndexInformer::close);
        imageCaches.close();
        reconciler.close();
        informer.close();
        subscription.close();
        queue.close();
        eventWriters.close();
        removeDataDir.run();
        if (kubelet != null) {
            kubelet.close();
        }
    }
}
