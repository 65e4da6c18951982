package dev.skiff.control.controller.serviceaccount;

import dev.skiff.control.controller.ApiErrors;
import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Upstream's root CA certificate publisher ({@code pkg/controller/certificates/rootcacertpublisher}): every
 * active namespace has a ConfigMap {@value #NAME} whose {@code ca.crt} is the cluster CA (PEM), so pods can verify
 * the API server at {@code kubernetes.default.svc}; the ConfigMap is recreated when deleted and put back when its
 * data or description annotation is edited. Queue keys are namespace names.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one namespace on two threads. Reconciles block on API calls.
 */
public final class RootCaPublisher implements Reconciler, AutoCloseable {

    public static final String NAME = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "The CA bundle that signs the API server's serving certificate, for verifying "
            + "it at its in-cluster addresses (the kubernetes service IP, kubernetes.default.svc). Other uses are "
            + "not guaranteed to work the same on every Kubernetes distribution.";

    private final KubernetesClient client;
    private final String rootCa;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final Controller controller;

    /**
     * @param rootCa     the cluster CA certificate(s), PEM
     * @param configMaps an informer on ConfigMaps named {@value #NAME} (all namespaces)
     */
    public RootCaPublisher(KubernetesClient client, String rootCa, SharedIndexInformer<Namespace> namespaces,
                           SharedIndexInformer<ConfigMap> configMaps, int workers, ScheduledExecutorService executor) {
        this.client = client;
        this.rootCa = Objects.requireNonNull(rootCa, "rootCa");
        this.namespaces = namespaces;
        this.configMaps = configMaps;
        this.controller = new Controller("root-ca-cert-publisher", this, workers, executor);
        controller.watch(namespaces);
        configMaps.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
                enqueue(after);
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknown) {
                enqueue(cm);
            }
        });
    }

    private void enqueue(ConfigMap cm) {
        if (NAME.equals(cm.getMetadata().getName())) {
            controller.enqueue(cm.getMetadata().getNamespace());
        }
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String namespace) {
        if (!Namespaces.active(namespaces.getIndexer().getByKey(namespace))) {
            return;
        }
        Map<String, String> data = Map.of(KEY, rootCa);
        ConfigMap current = configMaps.getIndexer().getByKey(Keys.of(namespace, NAME));
        try {
            if (current == null) {
                client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                        .withNewMetadata().withName(NAME).withNamespace(namespace)
                        .addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata()
                        .withData(data).build()).create();
                return;
            }
            Map<String, String> annotations = current.getMetadata().getAnnotations();
            if (data.equals(current.getData()) && annotations != null
                    && !annotations.getOrDefault(DESCRIPTION_ANNOTATION, "").isEmpty()) {
                return;
            }
            Map<String, String> nextAnnotations = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
            nextAnnotations.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder(current)
                    .editMetadata().withAnnotations(nextAnnotations).endMetadata()
                    .withData(data).withBinaryData(null).build()).update();
        } catch (KubernetesClientException e) {
            // Do not retry a create into a namespace that is gone or going (upstream drops these too).
            if (current == null && (ApiErrors.notFound(e) || ApiErrors.namespaceTerminating(e))) {
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
