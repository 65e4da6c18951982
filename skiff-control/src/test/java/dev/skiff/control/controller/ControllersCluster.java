package dev.skiff.control.controller;

import dev.skiff.apiserver.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * For tests: an in-process API server with one namespace and every controller ({@link Controllers#start}) running
 * against it on the system clock. {@link #close()} stops controllers, executor, client and server, in that order,
 * even when one of them fails.
 */
public final class ControllersCluster implements AutoCloseable {

    private final TestApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService executor;
    private Controllers controllers;

    private ControllersCluster(TestApiServer server) {
        this.server = server;
    }

    /** Starts the server in {@code dir}, creates {@code namespace}, starts the controllers; closes all on failure. */
    public static ControllersCluster start(Path dir, String namespace) throws Exception {
        ControllersCluster cluster = new ControllersCluster(TestApiServer.start(dir));
        try {
            cluster.client = cluster.server.newClient();
            cluster.executor = Executors.newScheduledThreadPool(4);
            cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .endMetadata().build()).create();
            cluster.controllers = Controllers.start(cluster.client, Clock.systemUTC(), cluster.executor);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    public TestApiServer server() {
        return server;
    }

    /** The admin client the controllers use. */
    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            if (controllers != null) {
                controllers.close();
            }
            if (executor != null) {
                executor.shutdownNow();
            }
            if (client != null) {
                client.close();
            }
        } finally {
            server.close();
        }
    }
}
