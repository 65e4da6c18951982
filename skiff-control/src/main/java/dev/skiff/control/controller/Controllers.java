package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition of Skiff's workload controllers (kube-controller-manager's role): one pod, ReplicaSet and
 * Deployment informer shared by the workload controllers, each controller started once the informers have synced,
 * then the garbage collector, which watches every deletable resource through its own metadata-only informers.
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

    private Controllers(List<SharedIndexInformer<?>> informers, List<AutoCloseable> controllers) {
        this.informers = informers;
        this.controllers = controllers;
    }

    /** Starts the ReplicaSet and Deployment controllers and the garbage collector against the cluster the client talks to. */
    public static Controllers start(KubernetesClient client, Clock clock, ScheduledExecutorService executor) {
        // Resync 0: reconciles are driven by changes and explicit requeues, as upstream's workload controllers.
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<ReplicaSet> replicaSets = client.apps().replicaSets().inAnyNamespace()
                .runnableInformer(0);
        SharedIndexInformer<Deployment> deployments = client.apps().deployments().inAnyNamespace()
                .runnableInformer(0);
        List<SharedIndexInformer<?>> informers = List.of(pods, replicaSets, deployments);
        List<AutoCloseable> closeables = new ArrayList<>();
        ReplicaSetController rsController = new ReplicaSetController(client, clock, replicaSets, pods, WORKERS,
                executor);
        closeables.add(rsController);
        DeploymentController deploymentController = new DeploymentController(client, clock, deployments,
                replicaSets, pods, WORKERS, executor);
        closeables.add(deploymentController);
        GarbageCollector garbageCollector = new GarbageCollector(client, clock, WORKERS, executor);
        closeables.add(garbageCollector);
        Controllers result = new Controllers(informers, closeables);
        try {
            for (SharedIndexInformer<?> informer : informers) {
                informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            result.close();
            throw new IllegalStateException("controller informers did not sync", e);
        }
        rsController.controller().start();
        deploymentController.controller().start();
        // After the workload controllers: the collector's own informers watch every deletable resource.
        try {
            garbageCollector.start();
        } catch (RuntimeException e) {
            result.close();
            throw e;
        }
        LOG.info("controllers started: replicaset, deployment, garbagecollector");
        return result;
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
    }
}
