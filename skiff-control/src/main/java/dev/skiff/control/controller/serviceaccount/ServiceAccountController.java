package dev.skiff.control.controller.serviceaccount;

import dev.skiff.control.controller.InformerHandlers;
import dev.skiff.control.controller.ApiErrors;
import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Upstream's ServiceAccounts controller ({@code pkg/controller/serviceaccount/serviceaccounts_controller.go}):
 * every active namespace has a ServiceAccount named {@value #DEFAULT}; one deleted is created again. Queue keys
 * are namespace names. A namespace being deleted is skipped, and a create refused because it is terminating is
 * dropped, as upstream.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one namespace on two threads. Reconciles block on API calls.
 */
public final class ServiceAccountController implements Reconciler, AutoCloseable {

    public static final String DEFAULT = "default";

    private final KubernetesClient client;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ServiceAccount> serviceAccounts;
    private final Controller controller;

    public ServiceAccountController(KubernetesClient client, SharedIndexInformer<Namespace> namespaces,
                                    SharedIndexInformer<ServiceAccount> serviceAccounts, int workers,
                                    ScheduledExecutorService executor) {
        this.client = client;
        this.namespaces = namespaces;
        this.serviceAccounts = serviceAccounts;
        this.controller = new Controller("serviceaccount", this, workers, executor);
        controller.watch(namespaces);
        InformerHandlers.onDelete(serviceAccounts, sa -> {
            if (DEFAULT.equals(sa.getMetadata().getName())) {
                controller.enqueue(sa.getMetadata().getNamespace());
            }
        });
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String namespace) {
        Namespace ns = namespaces.getIndexer().getByKey(namespace);
        if (!Namespaces.active(ns)) {
            return;
        }
        if (serviceAccounts.getIndexer().getByKey(Keys.of(namespace, DEFAULT)) != null) {
            return;
        }
        try {
            client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(namespace).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            // 409: the cache lagged an existing account; 404 or terminating: the namespace is going away.
            if (e.getCode() == 409 || ApiErrors.notFound(e) || ApiErrors.namespaceTerminating(e)) {
                return;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        controller.close();
    }
}
