package dev.skiff.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.admission.PodSelectors;
import dev.skiff.apiserver.auth.Authenticator;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
import dev.skiff.apiserver.authz.BootstrapPolicy;
import dev.skiff.apiserver.cache.WatchCaches;
import dev.skiff.apiserver.cache.WatchSettings;
import dev.skiff.apiserver.crd.CrdController;
import dev.skiff.apiserver.crd.CustomResources;
import dev.skiff.apiserver.authz.RbacAuthorizer;
import dev.skiff.apiserver.authz.RbacIndex;
import dev.skiff.apiserver.handler.ApiHandler;
import dev.skiff.apiserver.handler.Codec;
import dev.skiff.apiserver.discovery.KubernetesVersion;
import dev.skiff.apiserver.handler.Discovery;
import dev.skiff.apiserver.handler.DocumentsDiscovery;
import dev.skiff.apiserver.handler.ResourceHandler;
import dev.skiff.apiserver.metrics.ApiMetrics;
import dev.skiff.apiserver.handler.Responses;
import dev.skiff.apiserver.http.HttpTransport;
import dev.skiff.apiserver.kubelet.KubeletClientConfig;
import dev.skiff.apiserver.kubelet.KubeletConnector;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.handler.TypeStrategies;
import dev.skiff.apiserver.pod.PodStrategy;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.service.AllocationRepair;
import dev.skiff.apiserver.service.KubernetesService;
import dev.skiff.apiserver.service.ServiceAllocator;
import dev.skiff.apiserver.service.ServiceNetwork;
import dev.skiff.apiserver.secret.SecretStrategy;
import dev.skiff.apiserver.service.ServiceStrategy;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.table.TableColumns;
import dev.skiff.apiserver.table.TableWriter;
import dev.skiff.storage.Backend;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server assembled: catalog, object store, handlers and the HTTPS transport over a storage backend. The
 * caller (the composition root) owns the backend and closes it after the server.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** The namespaces every cluster starts with. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public",
            "kube-node-lease");

    /**
     * How to run.
     *
     * @param host          address to bind
     * @param port          port, 0 for any free one
     * @param tls           serving certificate, key and client CA
     * @param authenticator who is asking
     * @param discovery     builds the discovery/OpenAPI endpoint from the catalog
     * @param tokens        issues ServiceAccount tokens (TokenRequest); null disables serviceaccounts/token
     * @param watch         how watches behave (the bookmark interval)
     * @param services      the service CIDR and node port range (and the address the kubernetes service names)
     * @param podSelectors  the ECI Profile's pod selectors, applied by pod admission ({@link PodSelectors#NONE}
     *                      for none)
     * @param garbageCollection whether a garbage collector runs (upstream's {@code --enable-garbage-collector}):
     *                      without one, deletes never leave the {@code orphan} or {@code foregroundDeletion} finalizer
     * @param kubeletClient how to reach the nodes' kubelets for pods/log, exec, attach and portforward, or null to
     *                      answer those with 503 (decision 029)
     */
    public record Config(String host, int port, HttpTransport.Tls tls, Authenticator authenticator,
            Function<ResourceCatalog, Discovery> discovery, ServiceAccountTokens tokens, WatchSettings watch,
            ServiceNetwork services, PodSelectors podSelectors, boolean garbageCollection,
            KubeletClientConfig kubeletClient) {

        public Config {
            Objects.requireNonNull(watch, "watch");
            Objects.requireNonNull(services, "services");
            Objects.requireNonNull(podSelectors, "podSelectors");
        }

        /** Without pod selectors, with a garbage collector running (upstream's default). */
        public Config(String host, int port, HttpTransport.Tls tls, Authenticator authenticator,
                Function<ResourceCatalog, Discovery> discovery, ServiceAccountTokens tokens, WatchSettings watch,
                ServiceNetwork services) {
            this(host, port, tls, authenticator, discovery, tokens, watch, services, PodSelectors.NONE, true, null);
        }

        /** The same configuration with {@code selectors} fed to pod admission. */
        public Config withPodSelectors(PodSelectors selectors) {
            return new Config(host, port, tls, authenticator, discovery, tokens, watch, services, selectors,
                    garbageCollection, kubeletClient);
        }

        /**
         * Without a garbage collector: deletes then never leave the {@code orphan} or {@code foregroundDeletion}
         * finalizer, which nothing would remove (upstream's {@code --enable-garbage-collector=false}).
         */
        public Config withoutGarbageCollection() {
            return new Config(host, port, tls, authenticator, discovery, tokens, watch, services, podSelectors,
                    false, kubeletClient);
        }

        /** The same configuration with a kubelet client: pod streams are proxied to the nodes' kubelets. */
        public Config withKubeletClient(KubeletClientConfig kubelet) {
            return new Config(host, port, tls, authenticator, discovery, tokens, watch, services, podSelectors,
                    garbageCollection, kubelet);
        }

        /** With kube-apiserver's watch defaults and the default service network. */
        public Config(String host, int port, HttpTransport.Tls tls, Authenticator authenticator,
                Function<ResourceCatalog, Discovery> discovery, ServiceAccountTokens tokens) {
            this(host, port, tls, authenticator, discovery, tokens, WatchSettings.DEFAULTS, ServiceNetwork.DEFAULT);
        }
    }

    private final HttpTransport transport;
    private final ObjectStore store;
    private final ResourceCatalog catalog;
    private final RbacIndex rbac;
    private final WatchCaches caches;
    private final ApiMetrics metrics;
    private final CrdController crds;
    private final ScheduledExecutorService crdExecutor;

    /** Recent events each resource's watch cache keeps for watches that resume from a resourceVersion. */
    private static final int WATCH_CACHE_WINDOW = 100_000;

    /** How often reservations are checked against the stored services (upstream's repair loops: 3 minutes). */
    private static final java.time.Duration REPAIR_INTERVAL = java.time.Duration.ofMinutes(3);

    private final ScheduledExecutorService repairs;
    /** The kubelet client of pod streams, or null without one. */
    private final KubeletConnector kubelets;

    private ApiServer(HttpTransport transport, ObjectStore store, ResourceCatalog catalog, RbacIndex rbac,
            WatchCaches caches, ApiMetrics metrics, CrdController crds, ScheduledExecutorService crdExecutor,
            ScheduledExecutorService repairs, KubeletConnector kubelets) {
        this.kubelets = kubelets;
        this.repairs = repairs;
        this.metrics = metrics;
        this.crds = crds;
        this.crdExecutor = crdExecutor;
        this.rbac = rbac;
        this.caches = caches;
        this.transport = transport;
        this.store = store;
        this.catalog = catalog;
    }

    /** Bootstraps the system namespaces and starts serving; blocks until the port is bound. */
    public static ApiServer start(Backend backend, Config config, Clock clock) {
        Objects.requireNonNull(backend, "backend");
        ObjectMapper json = new ObjectMapper();
        ResourceCatalog catalog = ResourceCatalog.builtin();
        ObjectStore store = new ObjectStore(backend, json, clock);
        bootstrap(store, catalog, json);
        BootstrapPolicy.ensure(store, catalog, json);
        RbacIndex rbac = RbacIndex.start(store, catalog);
        Responses responses = new Responses(new Codec(json));
        CustomResources customResources = new CustomResources(store, responses, clock);
        store.readHook(customResources);
        TableWriter tables = new TableWriter(json, new TableColumns(clock), customResources);
        WatchCaches caches = WatchCaches.start(catalog, store, json, WATCH_CACHE_WINDOW, config.watch());
        ServiceAllocator serviceAllocator = new ServiceAllocator(config.services(), backend, json, clock,
                new java.security.SecureRandom());
        ServiceStrategy serviceStrategy = new ServiceStrategy(serviceAllocator);
        PodStrategy podStrategy = new PodStrategy(config.podSelectors(), namespace -> namespaceLabels(store,
                catalog, caches, namespace));
        SecretStrategy secretStrategy = new SecretStrategy();
        // Built-in kinds with their own behaviour; everything else as the custom resources decide (generic).
        TypeStrategies strategies = type -> !type.group().isEmpty() ? customResources.forType(type)
                : switch (type.plural()) {
                    case "services" -> serviceStrategy;
                    case "pods" -> podStrategy;
                    case "secrets" -> secretStrategy;
                    default -> customResources.forType(type);
                };
        KubeletConnector kubelets = config.kubeletClient() == null ? null
                : new KubeletConnector(config.kubeletClient());
        ResourceHandler resources = new ResourceHandler(catalog, store, caches, responses, tables, config.tokens(),
                clock, strategies, config.garbageCollection(), kubelets);
        // Discovery and OpenAPI are built from the catalog; custom resources change it, so the documents are
        // rebuilt and swapped whole on every change (requests never see a half-built set).
        AtomicReference<Discovery> documents = new AtomicReference<>(config.discovery().apply(catalog));
        ScheduledExecutorService crdExecutor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("skiff-crd-controller").daemon().factory());
        CrdController crds = new CrdController(store, catalog, caches, customResources,
                () -> documents.set(config.discovery().apply(catalog)), clock, crdExecutor);
        crds.start();
        ApiMetrics metrics = new ApiMetrics();
        ApiHandler handler = new ApiHandler(config.authenticator(), new RbacAuthorizer(rbac),
                exchange -> documents.get().serve(exchange), resources, responses, metrics, () -> true);
        HttpTransport transport;
        try {
            transport = HttpTransport.start(new HttpTransport.Options(config.host(), config.port(),
                    config.tls(), ApiException.MAX_REQUEST_BYTES), handler);
        } catch (RuntimeException e) {
            if (kubelets != null) {
                kubelets.close();
            }
            throw e;
        }
        LOG.debug("API server listening on {}:{}", config.host(), transport.port());
        // Before any client can have seen the cluster without it (the server answers as soon as it listens, but a
        // client learns the port only from this method's caller).
        ScheduledExecutorService repairs = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("skiff-service-repair").daemon().factory());
        ApiServer server = new ApiServer(transport, store, catalog, rbac, caches, metrics, crds, crdExecutor,
                repairs, kubelets);
        try {
            KubernetesService.ensure(store, catalog, serviceAllocator, json, config.host(), transport.port());
            AllocationRepair repair = new AllocationRepair(store, catalog.find("", "v1", "services").orElseThrow(),
                    serviceAllocator, clock, AllocationRepair.DEFAULT_GRACE);
            repair.run();
            repairs.scheduleWithFixedDelay(() -> {
                try {
                    repair.run();
                } catch (RuntimeException e) {
                    LOG.warn("service allocation repair failed: {}", e.toString());
                }
            }, REPAIR_INTERVAL.toMinutes(), REPAIR_INTERVAL.toMinutes(), java.util.concurrent.TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static void bootstrap(ObjectStore store, ResourceCatalog catalog, ObjectMapper json) {
        ResourceType namespaces = catalog.find("", "v1", "namespaces").orElseThrow();
        for (String name : SYSTEM_NAMESPACES) {
            try {
                store.get(namespaces, "", name);
            } catch (ApiException missing) {
                if (missing.code() != 404) {
                    throw missing;
                }
                ObjectNode namespace = json.createObjectNode();
                namespace.put("apiVersion", "v1").put("kind", "Namespace");
                namespace.putObject("metadata").put("name", name).putObject("labels")
                        .put("kubernetes.io/metadata.name", name);
                namespace.putObject("spec").putArray("finalizers").add("kubernetes");
                namespace.putObject("status").put("phase", "Active");
                store.create(namespaces, namespace);
            }
        }
    }

    /**
     * A namespace's labels for admission: the watch cache's copy (upstream's admission plugins read an informer),
     * storage when the cache does not have it yet; empty when the namespace does not exist (the create then fails
     * on the namespace check).
     */
    private static java.util.Map<String, String> namespaceLabels(ObjectStore store, ResourceCatalog catalog,
            WatchCaches caches, String namespace) {
        ResourceType namespaces = catalog.find("", "v1", "namespaces").orElseThrow();
        var cached = caches.forType(namespaces).flatMap(cache -> cache.get("", namespace));
        if (cached.isPresent()) {
            return cached.get().labels();
        }
        try {
            java.util.Map<String, String> labels = new java.util.HashMap<>();
            store.get(namespaces, "", namespace).path("metadata").path("labels").properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            return labels;
        } catch (ApiException e) {
            return java.util.Map.of();
        }
    }

    /** Discovery and OpenAPI documents for {@code skiffVersion}, as the server normally serves them. */
    public static Function<ResourceCatalog, Discovery> standardDiscovery(String skiffVersion, String gitCommit) {
        // One version document for the server's life, however often the documents are rebuilt.
        KubernetesVersion version = KubernetesVersion.skiff(skiffVersion, gitCommit, java.time.Instant.now());
        return catalog -> new DocumentsDiscovery(catalog, version, new Responses(new Codec(new ObjectMapper())));
    }

    public int port() {
        return transport.port();
    }

    public ResourceCatalog catalog() {
        return catalog;
    }

    public ObjectStore store() {
        return store;
    }

    @Override
    public void close() {
        transport.close();
        repairs.shutdownNow();
        crds.close();
        crdExecutor.shutdownNow();
        caches.close();
        rbac.close();
        metrics.close();
        if (kubelets != null) {
            kubelets.close();
        }
    }
}
