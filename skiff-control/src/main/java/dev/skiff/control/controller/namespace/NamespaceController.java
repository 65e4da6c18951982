package dev.skiff.control.controller.namespace;

import dev.skiff.control.controller.InformerHandlers;
import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.Reconciler;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The namespace controller, as upstream's {@code pkg/controller/namespace}: for a namespace with a
 * deletionTimestamp whose {@code spec.finalizers} still hold {@value #FINALIZER}, it deletes all content
 * ({@link NamespaceContentDeleter}), records progress as status conditions ({@link NamespaceConditions}) and phase
 * Terminating, and once nothing is left removes {@value #FINALIZER} through {@code PUT namespaces/{name}/finalize};
 * the API server then removes the namespace (if no other finalizer remains). While content remains it looks again
 * after the deleter's estimate, and at once when a pod of the namespace is gone (Skiff's addition: the node agent
 * deletes terminating pods when their sandboxes stop, so waiting out the whole grace period would only slow
 * {@code kubectl delete namespace} down). Failed discovery or deletion requeues with backoff.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one namespace on two threads. Reconciles block on API
 * calls (one pass costs two calls per namespaced resource type).
 */
public final class NamespaceController implements Reconciler, AutoCloseable {

    /** The finalizer the API server puts on every namespace and this controller removes. */
    public static final String FINALIZER = "kubernetes";

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final SharedIndexInformer<Namespace> namespaces;
    private final RawApi api;
    private final NamespaceContentDeleter deleter;
    private final Controller controller;

    public NamespaceController(KubernetesClient client, Clock clock, SharedIndexInformer<Namespace> namespaces,
                               SharedIndexInformer<Pod> pods, int workers, ScheduledExecutorService executor) {
        this.client = client;
        this.clock = clock;
        this.namespaces = namespaces;
        this.api = new RawApi(client);
        this.deleter = new NamespaceContentDeleter(api, clock);
        this.controller = new Controller("namespace", this, workers, executor,
                // upstream's namespace queue: 5 ms doubling, capped at a minute
                new dev.skiff.control.controller.Backoff<>(Duration.ofMillis(5), Duration.ofSeconds(60)));
        controller.watch(namespaces);
        InformerHandlers.onDelete(pods, pod -> {
            String namespace = pod.getMetadata().getNamespace();
            Namespace ns = namespaces.getIndexer().getByKey(namespace);
            if (ns != null && ns.getMetadata().getDeletionTimestamp() != null) {
                controller.enqueue(namespace);
            }
        });
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String name) {
        Namespace cached = namespaces.getIndexer().getByKey(name);
        if (cached == null || cached.getMetadata().getDeletionTimestamp() == null) {
            return;
        }
        // The cache may lag this controller's own finalize: the server decides whether there is work left.
        Namespace namespace = client.namespaces().withName(name).get();
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() == null
                || !finalizers(namespace).contains(FINALIZER)) {
            return;
        }
        ContentResult result = deleter.deleteAll(name);
        namespace = updateStatus(namespace, result);
        if (result.failed()) {
            throw new IllegalStateException("namespace " + name + ": "
                    + String.join("; ", result.discoveryFailures()) + String.join("; ", result.deleteFailures()));
        }
        if (!result.done()) {
            LOG.debug("namespace {}: content remains {}, looking again in {}", name, result.remainingByResource(),
                    result.estimate());
            controller.enqueueAfter(name, result.estimate());
            return;
        }
        finalizeNamespace(namespace);
    }

    /** Writes the phase and conditions when they changed; answers the namespace as it now is. */
    private Namespace updateStatus(Namespace namespace, ContentResult result) {
        List<io.fabric8.kubernetes.api.model.NamespaceCondition> current = namespace.getStatus() == null ? null
                : namespace.getStatus().getConditions();
        NamespaceConditions.Update update = NamespaceConditions.apply(current, result, clock.instant());
        boolean terminating = namespace.getStatus() != null && "Terminating".equals(namespace.getStatus().getPhase());
        if (!update.changed() && terminating) {
            return namespace;
        }
        Namespace next = new NamespaceBuilder(namespace).editOrNewStatus().withPhase("Terminating")
                .withConditions(update.conditions()).endStatus().build();
        return client.namespaces().resource(next).updateStatus();
    }

    /**
     * Removes {@value #FINALIZER} from {@code spec.finalizers} through the finalize subresource (fabric8 has no
     * verb for it), with the namespace's resourceVersion: a concurrent change conflicts and is retried.
     */
    private void finalizeNamespace(Namespace namespace) {
        List<String> remaining = new ArrayList<>(finalizers(namespace));
        remaining.remove(FINALIZER);
        Namespace next = new NamespaceBuilder(namespace).editOrNewSpec().withFinalizers(remaining).endSpec().build();
        String name = namespace.getMetadata().getName();
        RawApi.Response response = api.send("PUT", "/api/v1/namespaces/" + name + "/finalize",
                Serialization.asJson(next));
        if (!response.ok() && response.code() != 404) {
            throw RawApi.failure(response, "finalize namespace " + name);
        }
        LOG.debug("namespace {} finalized", name);
    }

    private static List<String> finalizers(Namespace namespace) {
        return namespace.getSpec() == null || namespace.getSpec().getFinalizers() == null ? List.of()
                : namespace.getSpec().getFinalizers();
    }

    @Override
    public void close() {
        controller.close();
    }
}
