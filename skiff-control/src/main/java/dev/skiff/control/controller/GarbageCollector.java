package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A minimal garbage collector for background cascading deletion, after upstream's
 * {@code pkg/controller/garbagecollector} {@code attemptToDeleteItem}: a ReplicaSet or Pod all of whose owner
 * references name owners that no longer exist is deleted with {@code propagationPolicy: Background} and a uid
 * precondition (so a same-named successor is never hit). Owners are Deployments and ReplicaSets, looked up in the
 * shared informer caches and, when the cache says absent, confirmed by a live GET (upstream's GC also verifies
 * absence against the API server, since its graph may lag).
 *
 * <p>Left alone: objects with at least one live owner, objects whose owner exists but is being deleted (foreground
 * and orphan finalizers are not implemented), and objects with an owner of a kind this collector does not know.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one key on two threads. Reconciles block on API calls.
 */
public final class GarbageCollector implements Reconciler, AutoCloseable {

    private static final String POD = "Pod";
    private static final String REPLICA_SET = "ReplicaSet";
    private static final String DEPLOYMENT = "Deployment";

    private final KubernetesClient client;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Pod> pods;
    private final Controller controller;

    public GarbageCollector(KubernetesClient client, SharedIndexInformer<Deployment> deployments,
                            SharedIndexInformer<ReplicaSet> replicaSets, SharedIndexInformer<Pod> pods, int workers,
                            ScheduledExecutorService executor) {
        this.client = client;
        this.deployments = deployments;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.controller = new Controller("garbagecollector", this, workers, executor);
        // Dependents are checked when they appear or change (an orphan left while the collector was down), and
        // again when an owner goes away.
        replicaSets.addEventHandler(new Events(REPLICA_SET));
        pods.addEventHandler(new Events(POD));
        deployments.addEventHandler(new Events(DEPLOYMENT));
    }

    public Controller controller() {
        return controller;
    }

    /** Queue keys are {@code Kind:namespace/name}, since one queue carries ReplicaSets and Pods. */
    static String key(String kind, HasMetadata object) {
        return kind + ":" + Keys.of(object);
    }

    @Override
    public void reconcile(String key) throws Exception {
        int colon = key.indexOf(':');
        String kind = key.substring(0, colon);
        String objectKey = key.substring(colon + 1);
        HasMetadata dependent = POD.equals(kind) ? pods.getIndexer().getByKey(objectKey)
                : replicaSets.getIndexer().getByKey(objectKey);
        if (dependent == null || dependent.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<OwnerReference> refs = dependent.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
            return;
        }
        String namespace = dependent.getMetadata().getNamespace();
        for (OwnerReference ref : refs) {
            if (ownerMayExist(namespace, ref)) {
                return;
            }
        }
        delete(kind, dependent);
    }

    /**
     * Whether the owner may still exist: present in the cache or on the server with the referenced uid (being
     * deleted or not), or of a kind not tracked here. Namespaced owners live in the dependent's namespace, as
     * upstream requires of owner references.
     */
    private boolean ownerMayExist(String namespace, OwnerReference ref) {
        SharedIndexInformer<? extends HasMetadata> cache = switch (ref.getKind()) {
            case DEPLOYMENT -> deployments;
            case REPLICA_SET -> replicaSets;
            default -> null;
        };
        if (cache == null || !"apps/v1".equals(ref.getApiVersion())) {
            return true; // unknown owner kinds are never judged absent: deleting on a guess would lose data
        }
        HasMetadata cached = cache.getIndexer().getByKey(Keys.of(namespace, ref.getName()));
        if (cached != null && Objects.equals(cached.getMetadata().getUid(), ref.getUid())) {
            return true;
        }
        // The cache may lag a just-created owner: only the server's answer makes absence certain.
        HasMetadata live = DEPLOYMENT.equals(ref.getKind())
                ? client.apps().deployments().inNamespace(namespace).withName(ref.getName()).get()
                : client.apps().replicaSets().inNamespace(namespace).withName(ref.getName()).get();
        return live != null && Objects.equals(live.getMetadata().getUid(), ref.getUid());
    }

    /**
     * Deletes the dependent with upstream's GC request: {@code propagationPolicy: Background} and
     * {@code preconditions.uid}. The client DSL offers no uid precondition, so the request is sent directly.
     * Not found (already gone) and conflict (a successor with the same name) are both success.
     */
    private void delete(String kind, HasMetadata dependent) throws Exception {
        String namespace = dependent.getMetadata().getNamespace();
        String path = POD.equals(kind) ? "/api/v1/namespaces/" + namespace + "/pods/"
                : "/apis/apps/v1/namespaces/" + namespace + "/replicasets/";
        String body = Serialization.asJson(Map.of("apiVersion", "v1", "kind", "DeleteOptions",
                "propagationPolicy", "Background",
                "preconditions", Map.of("uid", dependent.getMetadata().getUid())));
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(base + path + dependent.getMetadata().getName())
                .method("DELETE", "application/json", body).build();
        HttpResponse<String> response = client.getHttpClient().sendAsync(request, String.class)
                .get(30, TimeUnit.SECONDS);
        int code = response.code();
        if (code / 100 != 2 && code != 404 && code != 409) {
            throw new KubernetesClientException("garbage collecting " + kind + " " + Keys.of(dependent)
                    + " failed: HTTP " + code + " " + response.body(), code, null);
        }
    }

    /** Maps informer events to queue keys: dependents directly, a deleted owner to its dependents. */
    private final class Events implements ResourceEventHandler<HasMetadata> {

        private final String kind;

        Events(String kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(HasMetadata obj) {
            if (!DEPLOYMENT.equals(kind)) {
                controller.enqueue(key(kind, obj));
            }
        }

        @Override
        public void onUpdate(HasMetadata before, HasMetadata after) {
            if (!DEPLOYMENT.equals(kind)) {
                controller.enqueue(key(kind, after));
            }
        }

        @Override
        public void onDelete(HasMetadata owner, boolean unknown) {
            String uid = owner.getMetadata().getUid();
            String namespace = owner.getMetadata().getNamespace();
            if (DEPLOYMENT.equals(kind)) {
                enqueueDependents(replicaSets, REPLICA_SET, namespace, uid);
            } else if (REPLICA_SET.equals(kind)) {
                enqueueDependents(pods, POD, namespace, uid);
            }
        }

        private void enqueueDependents(SharedIndexInformer<? extends HasMetadata> informer, String dependentKind,
                                       String namespace, String ownerUid) {
            for (HasMetadata candidate : informer.getIndexer().byIndex("namespace", namespace)) {
                List<OwnerReference> refs = candidate.getMetadata().getOwnerReferences();
                if (refs != null && refs.stream().anyMatch(r -> Objects.equals(r.getUid(), ownerUid))) {
                    controller.enqueue(key(dependentKind, candidate));
                }
            }
        }
    }

    @Override
    public void close() {
        controller.close();
    }
}
