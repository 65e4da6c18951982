package dev.skiff.server.nodeless;

import dev.skiff.apiserver.admission.PodSelectors;
import dev.skiff.control.controller.Controllers;
import dev.skiff.control.controller.nodelifecycle.NodeLifecycleConfig;
import dev.skiff.control.informers.SharedInformers;
import dev.skiff.control.scheduler.Scheduler;
import dev.skiff.node.agent.AgentInformers;
import dev.skiff.node.imagecache.ImageCacheBuilder;
import dev.skiff.node.imagecache.ImageCacheDefinition;
import dev.skiff.control.scheduler.SchedulerConfig;
import dev.skiff.control.scheduler.loop.LoopConfig;
import dev.skiff.control.scheduler.loop.SchedulingLoop;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual nodes and the scheduler of one cluster, started against its (in-process) API server: bootstraps
 * {@code kube-system/eci-profile} when absent, starts one node agent per vSwitch (each on its own simulated
 * runtime), follows edits of the profile (adding and removing nodes, replacing the pod selectors the API server's
 * admission applies; an invalid edit is refused and the last good profile stays), then starts the scheduling loop and the workload controllers; {@link #close()} stops them in
 * reverse order.
 */
public final class NodelessCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodelessCluster.class);

    /** The provider named in each virtual node's {@code virtual-kubelet.io/provider} taint. */
    public static final String PROVIDER = "skiff";

    private final Deque<AutoCloseable> started;
    private final VirtualNodes nodes;

    private NodelessCluster(Deque<AutoCloseable> started, VirtualNodes nodes) {
        this.started = started;
        this.nodes = nodes;
    }

    /**
     * Starts everything; on failure closes what was started and rethrows.
     *
     * @param client an admin client of the cluster; not closed here
     * @param rootCa the cluster CA (PEM), published to every namespace as {@code kube-root-ca.crt}
     * @param selectors the API server's pod admission input, kept equal to the selectors of the profile in force
     * @throws IllegalArgumentException if the stored profile is invalid, naming the key
     */
    public static NodelessCluster start(KubernetesClient client, Clock clock, String rootCa,
                                        PodSelectors.Live selectors) {
        return start(client, clock, rootCa, selectors, RuntimeFactory.simulated(), null);
    }

    /**
     * Starts everything with the nodes' runtimes from {@code runtimes}, each virtual node with a kubelet server
     * (logs, exec, attach, port-forward) when {@code kubelets} is given.
     *
     * @param kubelets issues the nodes' kubelet serving certificates, or null for nodes without kubelet servers
     */
    public static NodelessCluster start(KubernetesClient client, Clock clock, String rootCa,
                                        PodSelectors.Live selectors, RuntimeFactory runtimes,
                                        KubeletCertificates kubelets) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            EciProfile profile = EciProfile.parse(bootstrapProfile(client).getData());
            selectors.replace(profile.selectors());
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(2,
                    Thread.ofPlatform().name("skiff-node-timers-", 0).daemon(true).factory());
            started.push(timers::shutdownNow);
            ExecutorService notifications = Executors.newVirtualThreadPerTaskExecutor();
            started.push(notifications::shutdownNow);
            // One informer per kind for the node agents, the scheduler, the controllers and the garbage collector
            // (decision 040): each pod event is decoded once for all of them. Closed after them (pushed first).
            SharedInformers informers = new SharedInformers(client);
            started.push(informers);
            AgentInformers agentInformers = new AgentInformers() {
                @Override
                public <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
                    return informers.informer(type);
                }

                @Override
                public void start() {
                    informers.start();
                }
            };
            VirtualNodes nodes = new VirtualNodes(client, clock, timers, notifications, runtimes, kubelets,
                    agentInformers);
            started.push(nodes);
            nodes.apply(profile);
            // Edits of the profile add and remove virtual nodes live, one version at a time.
            ExecutorService profiles = Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().name("skiff-eci-profile").daemon(true).factory());
            started.push(profiles::shutdownNow);
            started.push(ProfileWatcher.start(client, clock, profiles, next -> {
                selectors.replace(next.selectors());
                nodes.apply(next);
            }));

            // ECI's ImageCache CRD ships enabled (seed 004); caches are built into the nodes' runtimes.
            ImageCacheDefinition.ensure(client);
            started.push(ImageCacheBuilder.start(client, nodes::runtimes, clock));

            ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("skiff-scheduler").daemon(true).factory());
            started.push(loop::shutdownNow);
            ExecutorService writes = Executors.newFixedThreadPool(32,
                    Thread.ofPlatform().name("skiff-scheduler-writes-", 0).daemon(true).factory());
            started.push(writes::shutdownNow);
            started.push(SchedulingLoop.start(client, new Scheduler(SchedulerConfig.defaults()),
                    LoopConfig.defaults(), clock, loop, writes, informers));

            // The controllers (kube-controller-manager's role): workloads, garbage collection, namespaces,
            // ServiceAccounts and the root CA, Endpoints and EndpointSlices.
            ScheduledExecutorService controllerWorkers = Executors.newScheduledThreadPool(4,
                    Thread.ofPlatform().name("skiff-controllers-", 0).daemon(true).factory());
            started.push(controllerWorkers::shutdownNow);
            started.push(Controllers.start(client, clock, controllerWorkers, rootCa, NodeLifecycleConfig.defaults(),
                    informers));
            return new NodelessCluster(started, nodes);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** Creates the ConfigMap with {@link EciProfile#defaults()} unless it exists; returns the one in force. */
    static ConfigMap bootstrapProfile(KubernetesClient client) {
        var resource = client.configMaps().inNamespace(EciProfile.NAMESPACE).withName(EciProfile.NAME);
        ConfigMap existing = resource.get();
        if (existing != null) {
            return existing;
        }
        ConfigMap created = new ConfigMapBuilder()
                .withNewMetadata().withNamespace(EciProfile.NAMESPACE).withName(EciProfile.NAME).endMetadata()
                .withData(EciProfile.defaults())
                .build();
        try {
            return client.configMaps().inNamespace(EciProfile.NAMESPACE).resource(created).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return resource.get();
            }
            throw e;
        }
    }

    /** The virtual nodes started, in vSwitch order. */
    public List<String> nodeNames() {
        return nodes.nodeNames();
    }

    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        AutoCloseable c;
        while ((c = started.poll()) != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", c, e);
            }
        }
    }
}
