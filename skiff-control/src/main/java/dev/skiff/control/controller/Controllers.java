package dev.skiff.control.controller;

import dev.skiff.control.controller.batch.CronJobController;
import dev.skiff.control.controller.batch.JobController;
import dev.skiff.control.controller.disruption.DisruptionController;
import dev.skiff.control.controller.endpoint.EndpointSliceController;
import dev.skiff.control.controller.endpoint.EndpointsController;
import dev.skiff.control.controller.namespace.NamespaceController;
import dev.skiff.control.controller.nodelifecycle.NodeLifecycleConfig;
import dev.skiff.control.controller.nodelifecycle.NodeLifecycleController;
import dev.skiff.control.controller.serviceaccount.RootCaPublisher;
import dev.skiff.control.controller.serviceaccount.ServiceAccountController;
import dev.skiff.control.controller.statefulset.StatefulSetController;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import dev.skiff.control.controller.gc.SharedMonitors;
import dev.skiff.control.informers.SharedInformers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition of Skiff's controllers (kube-controller-manager's role): one informer per watched kind shared by
 * all controllers and, through {@link SharedInformers}, by the other components of the process (pods, ReplicaSets,
 * Deployments, namespaces, services, PodDisruptionBudgets, nodes, node Leases, ...), each controller started once
 * the informers have synced, then the garbage collector, which watches the kinds the shared informers have through
 * them and every other deletable resource through its own metadata-only informers.
 *
 * <p>{@link #start} blocks until the caches have synced (bounded); {@link #close()} stops controllers and informers.
 * The executor is the caller's and is not shut down here.
 */
public final class Controllers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controllers.class);
    /** Upstream's default {@code --concurrent-replicaset-syncs} and {@code --concurrent-deployment-syncs}. */
    private static final int WORKERS = 5;

    private final List<SharedIndexInformer<?>> informers;
    private final List<AutoCloseable> controllers;
    /** The shared informers when this composition made its own; null when the caller's. */
    private final SharedInformers ownShared;

    private Controllers(List<SharedIndexInformer<?>> informers, List<AutoCloseable> controllers,
                        SharedInformers ownShared) {
        this.informers = informers;
        this.controllers = controllers;
        this.ownShared = ownShared;
    }

    /**
     * Starts the controllers against the cluster the client talks to; the root CA published in every namespace is
     * the one the client trusts (see {@link #start(KubernetesClient, Clock, ScheduledExecutorService, String)}).
     */
    public static Controllers start(KubernetesClient client, Clock clock, ScheduledExecutorService executor) {
        return start(client, clock, executor, trustedCa(client), NodeLifecycleConfig.defaults());
    }

    /** {@link #start(KubernetesClient, Clock, ScheduledExecutorService)} with the node lifecycle's timing. */
    public static Controllers start(KubernetesClient client, Clock clock, ScheduledExecutorService executor,
                                    NodeLifecycleConfig nodeLifecycle) {
        return start(client, clock, executor, trustedCa(client), nodeLifecycle);
    }

    /** {@link #start(KubernetesClient, Clock, ScheduledExecutorService)} publishing the given root CA. */
    public static Controllers start(KubernetesClient client, Clock clock, ScheduledExecutorService executor,
                                    String rootCa) {
        return start(client, clock, executor, rootCa, NodeLifecycleConfig.defaults());
    }

    /**
     * Starts the ReplicaSet, Deployment, StatefulSet, Job and CronJob controllers, the garbage collector, the
     * disruption and node lifecycle controllers, and the namespace, ServiceAccount, root CA publisher, Endpoints and
     * EndpointSlice controllers.
     *
     * @param rootCa the cluster CA (PEM) for every namespace's {@code kube-root-ca.crt}; null: no publisher
     * @param nodeLifecycle the node lifecycle controller's grace period and check interval
     */
    public static Controllers start(KubernetesClient client, Clock clock, ScheduledExecutorService executor,
                                    String rootCa, NodeLifecycleConfig nodeLifecycle) {
        SharedInformers own = new SharedInformers(client);
        try {
            return start(client, clock, executor, rootCa, nodeLifecycle, own, own);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * As {@link #start(KubernetesClient, Clock, ScheduledExecutorService, String, NodeLifecycleConfig)}, the
     * controllers' unfiltered informers (pods, ReplicaSets, Deployments, nodes, namespaces, ...) and the garbage
     * collector's view of those kinds taken from {@code shared}, which the caller owns and closes after these
     * controllers: the scheduler and other components of the process watch through the same informers.
     */
    public static Controllers start(KubernetesClient client, Clock clock, ScheduledExecutorService executor,
                                    String rootCa, NodeLifecycleConfig nodeLifecycle, SharedInformers shared) {
        return start(client, clock, executor, rootCa, nodeLifecycle, shared, null);
    }

    private static Controllers start(KubernetesClient client, Clock clock, ScheduledExecutorService executor,
                                     String rootCa, NodeLifecycleConfig nodeLifecycle, SharedInformers shared,
                                     SharedInformers owned) {
        ControllerWiring wiring = new ControllerWiring();
        // Resync 0: reconciles are driven by changes and explicit requeues, as upstream's controllers.
        SharedIndexInformer<Pod> pods = shared.informer(Pod.class);
        SharedIndexInformer<ReplicaSet> replicaSets = shared.informer(ReplicaSet.class);
        SharedIndexInformer<Deployment> deployments = shared.informer(Deployment.class);
        SharedIndexInformer<Node> nodes = shared.informer(Node.class);
        wireWorkloads(wiring, shared, client, clock, executor, pods, replicaSets, deployments);
        wireBatch(wiring, shared, client, clock, executor, pods);
        wireDisruptionAndNodes(wiring, shared, client, clock, executor, nodeLifecycle, pods, replicaSets, deployments,
                nodes);
        wireNamespaces(wiring, shared, client, clock, executor, rootCa, pods, nodes);
        // The collector sees pods and the other shared kinds through the same informers (metadata only).
        GarbageCollector garbageCollector = new GarbageCollector(client, clock, WORKERS, executor,
                SharedMonitors.of(shared));
        wiring.closeable(garbageCollector);

        Controllers result = new Controllers(wiring.informers(), wiring.closeables(), owned);
        try {
            shared.start();
            for (SharedIndexInformer<?> informer : wiring.informers()) {
                informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            result.close();
            throw new IllegalStateException("controller informers did not sync", e);
        }
        List<String> started = wiring.startControllers();
        // After the other controllers: the collector's own informers watch every deletable resource.
        try {
            garbageCollector.start();
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
        LOG.info("controllers started: {} and garbagecollector", started);
        return result;
    }

    /** Deployments, ReplicaSets and StatefulSets (decisions 018 and 021). */
    private static void wireWorkloads(ControllerWiring wiring, SharedInformers shared, KubernetesClient client,
            Clock clock, ScheduledExecutorService executor, SharedIndexInformer<Pod> pods,
            SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Deployment> deployments) {
        // The ReplicaSet controller's creates/deletes of one batch, and its events, run concurrently (blocking calls).
        ExecutorService calls = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("skiff-replicaset-calls-", 0).factory());
        wiring.closeable(calls::shutdownNow);
        ReplicaSetController replicaSetController = new ReplicaSetController(client, clock, replicaSets, pods,
                WORKERS, executor, calls);
        wiring.controller(replicaSetController, replicaSetController.controller());
        DeploymentController deploymentController = new DeploymentController(client, clock, deployments,
                replicaSets, pods, WORKERS, executor);
        wiring.controller(deploymentController, deploymentController.controller());

        SharedIndexInformer<StatefulSet> statefulSets = shared.informer(StatefulSet.class);
        SharedIndexInformer<ControllerRevision> revisions = shared.informer(ControllerRevision.class);
        SharedIndexInformer<PersistentVolumeClaim> claims = shared.informer(PersistentVolumeClaim.class);
        StatefulSetController statefulSetController = new StatefulSetController(client, clock, statefulSets, pods,
                revisions, claims, WORKERS, executor);
        wiring.controller(statefulSetController, statefulSetController.controller());
    }

    /** Jobs and CronJobs (decision 020). */
    private static void wireBatch(ControllerWiring wiring, SharedInformers shared, KubernetesClient client,
            Clock clock, ScheduledExecutorService executor, SharedIndexInformer<Pod> pods) {
        SharedIndexInformer<Job> jobs = shared.informer(Job.class);
        SharedIndexInformer<CronJob> cronJobs = shared.informer(CronJob.class);
        JobController jobController = new JobController(client, clock, jobs, pods, WORKERS, executor);
        wiring.controller(jobController, jobController.controller());
        CronJobController cronJobController = new CronJobController(client, clock, cronJobs, jobs, WORKERS,
                executor);
        wiring.controller(cronJobController, cronJobController.controller());
    }

    /** PodDisruptionBudget status and the node lifecycle (decision 024). */
    private static void wireDisruptionAndNodes(ControllerWiring wiring, SharedInformers shared, KubernetesClient client,
            Clock clock, ScheduledExecutorService executor, NodeLifecycleConfig nodeLifecycle,
            SharedIndexInformer<Pod> pods,
            SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Deployment> deployments,
            SharedIndexInformer<Node> nodes) {
        SharedIndexInformer<PodDisruptionBudget> budgets = shared.informer(PodDisruptionBudget.class);
        SharedIndexInformer<Lease> leases = wiring.informer(client.resources(Lease.class)
                .inNamespace("kube-node-lease").runnableInformer(0));
        DisruptionController disruption = new DisruptionController(client, clock, budgets, pods, replicaSets,
                deployments, WORKERS, executor);
        wiring.controller(disruption, disruption.controller());
        NodeLifecycleController nodeLifecycleController = new NodeLifecycleController(client, clock, nodeLifecycle,
                nodes, leases, pods, WORKERS, executor);
        // Its own start: the loop plus the periodic health check of every node.
        wiring.controller(nodeLifecycleController, nodeLifecycleController.controller().name(),
                nodeLifecycleController::start);
    }

    /**
     * The namespace lifecycle, per-namespace defaults (ServiceAccount, root CA) and service endpoints
     * (decision 022).
     */
    private static void wireNamespaces(ControllerWiring wiring, SharedInformers shared, KubernetesClient client,
            Clock clock, ScheduledExecutorService executor, String rootCa, SharedIndexInformer<Pod> pods,
            SharedIndexInformer<Node> nodes) {
        SharedIndexInformer<Namespace> namespaces = shared.informer(Namespace.class);
        SharedIndexInformer<ServiceAccount> serviceAccounts = shared.informer(ServiceAccount.class);
        SharedIndexInformer<Service> services = shared.informer(Service.class);
        SharedIndexInformer<Endpoints> endpoints = shared.informer(Endpoints.class);
        SharedIndexInformer<EndpointSlice> slices = wiring.informer(client.discovery().v1().endpointSlices()
                .inAnyNamespace()
                .withLabel(EndpointSliceController.MANAGED_BY, EndpointSliceController.CONTROLLER_NAME)
                .runnableInformer(0));

        NamespaceController namespaceController = new NamespaceController(client, clock, namespaces, pods, 2,
                executor);
        wiring.controller(namespaceController, namespaceController.controller());
        ServiceAccountController serviceAccountController = new ServiceAccountController(client, namespaces,
                serviceAccounts, 1, executor);
        wiring.controller(serviceAccountController, serviceAccountController.controller());
        EndpointsController endpointsController = new EndpointsController(client, clock, services, pods,
                endpoints, WORKERS, executor);
        wiring.controller(endpointsController, endpointsController.controller());
        EndpointSliceController sliceController = new EndpointSliceController(client, clock, services, pods,
                slices, nodes, WORKERS, executor);
        wiring.controller(sliceController, sliceController.controller());
        if (rootCa != null) {
            SharedIndexInformer<ConfigMap> rootCaMaps = wiring.informer(client.configMaps().inAnyNamespace()
                    .withField("metadata.name", RootCaPublisher.NAME).runnableInformer(0));
            RootCaPublisher publisher = new RootCaPublisher(client, rootCa, namespaces, rootCaMaps, 1, executor);
            wiring.controller(publisher, publisher.controller());
        }
    }

    /** The CA the client verifies the API server with (inline data or file), or null if it has none configured. */
    static String trustedCa(KubernetesClient client) {
        var config = client.getConfiguration();
        try {
            if (config.getCaCertData() != null && !config.getCaCertData().isEmpty()) {
                return new String(Base64.getDecoder().decode(config.getCaCertData().trim()),
                        StandardCharsets.UTF_8);
            }
            if (config.getCaCertFile() != null && !config.getCaCertFile().isEmpty()) {
                return Files.readString(Path.of(config.getCaCertFile()));
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot read the client's CA; kube-root-ca.crt will not be published: {}", e.toString());
        }
        return null;
    }

    @Override
    public void close() {
        for (AutoCloseable controller : controllers) {
            try {
                controller.close();
            } catch (Exception e) {
                LOG.debug("closing a controller failed", e);
            }
        }
        informers.forEach(SharedIndexInformer::close);
        if (ownShared != null) {
            ownShared.close();
        }
    }
}
