package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.ServiceAccountTokens;
import dev.skiff.apiserver.auth.UserInfo;
import dev.skiff.apiserver.cache.CachedObject;
import dev.skiff.apiserver.cache.WatchCache;
import dev.skiff.apiserver.cache.WatchCaches;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.registry.DeletePropagation;
import dev.skiff.apiserver.registry.DeletionPolicy;
import dev.skiff.apiserver.registry.ObjectList;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.request.RequestInfo;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.table.TableWriter;
import java.util.List;
import java.util.Optional;

/**
 * The generic REST verbs for every stored resource: get, list, watch, create, update, patch, delete and
 * deletecollection, plus the {@code status} subresource, over {@link ObjectStore}. Per-kind behaviour is limited to
 * {@link ObjectDefaults} and, for types that have one (custom resources), their {@link TypeStrategy}. Thread-safe;
 * each call blocks its (virtual) thread.
 */
public final class ResourceHandler {

    private final ResourceCatalog catalog;
    private final ObjectStore store;
    private final Responses responses;
    private final TableWriter tables;
    private final WatchStreamer watches;

    private final WatchCaches caches;
    private final Subresources subresources;
    private final TypeStrategies strategies;
    private final ManagedFieldsHook managedFields;

    private final boolean garbageCollection;
    private final PodConnections podConnections;
    private final NodeProxy nodeProxy;

    public ResourceHandler(ResourceCatalog catalog, ObjectStore store, WatchCaches caches, Responses responses,
            TableWriter tables, ServiceAccountTokens tokens, java.time.Clock clock) {
        this(catalog, store, caches, responses, tables, tokens, clock, TypeStrategies.NONE);
    }

    public ResourceHandler(ResourceCatalog catalog, ObjectStore store, WatchCaches caches, Responses responses,
            TableWriter tables, ServiceAccountTokens tokens, java.time.Clock clock, TypeStrategies strategies) {
        this(catalog, store, caches, responses, tables, tokens, clock, strategies, true);
    }

    /**
     * @param garbageCollection whether a garbage collector runs: only then do deletes leave its finalizers
     *                          (upstream's {@code EnableGarbageCollection})
     */
    public ResourceHandler(ResourceCatalog catalog, ObjectStore store, WatchCaches caches, Responses responses,
            TableWriter tables, ServiceAccountTokens tokens, java.time.Clock clock, TypeStrategies strategies,
            boolean garbageCollection) {
        this(catalog, store, caches, responses, tables, tokens, clock, strategies, garbageCollection, null);
    }

    /**
     * @param kubelets the client of the nodes' kubelets for pods/log, exec, attach and portforward, or null to answer
     *                 those with 503
     */
    public ResourceHandler(ResourceCatalog catalog, ObjectStore store, WatchCaches caches, Responses responses,
            TableWriter tables, ServiceAccountTokens tokens, java.time.Clock clock, TypeStrategies strategies,
            boolean garbageCollection, dev.skiff.apiserver.kubelet.KubeletConnector kubelets) {
        this.podConnections = new PodConnections(catalog, kubelets);
        this.nodeProxy = new NodeProxy(kubelets);
        this.garbageCollection = garbageCollection;
        this.managedFields = new ManagedFieldsHook(new dev.skiff.apiserver.apply.FieldManager(clock), strategies);
        this.subresources = new Subresources(catalog, store, responses, tokens, clock, managedFields, strategies);
        this.strategies = strategies;
        this.catalog = catalog;
        this.store = store;
        this.caches = caches;
        this.responses = responses;
        this.tables = tables;
        this.watches = new WatchStreamer(store, caches, responses.codec().json(), tables);
    }

    public void handle(Exchange exchange, RequestInfo info, UserInfo user) {
        ResourceType type = catalog.find(info.group(), info.version(), info.resource())
                .orElseThrow(ApiException::pathNotFound);
        if (!type.namespaced() && !info.namespace().isEmpty()) {
            throw ApiException.pathNotFound();
        }
        if (!info.subresource().isEmpty() && !type.hasSubresource(info.subresource())) {
            throw ApiException.pathNotFound();
        }
        TypeStrategy strategy = strategies.forType(type);
        strategy.warnings().forEach(exchange::warn);
        String sub = info.subresource();
        // A type's own subresource (a custom resource's scale, from its CRD's paths) before the built-in ones.
        Optional<SubresourceHandler> own = sub.isEmpty() ? Optional.empty() : strategy.subresource(sub);
        if (own.isPresent()) {
            own.get().handle(exchange, type, info);
            return;
        }
        if (Subresources.handles(info)) {
            subresources.handle(exchange, info);
            return;
        }
        if (!type.supports(info.verb()) && !(info.verb().equals("watch") && type.supports("list"))) {
            throw ApiException.methodNotSupported(type.group(), type.plural(), info.verb());
        }
        if (PodConnections.handles(type, sub)) {
            podConnections.handle(exchange, store, type, info);
            return;
        }
        if (NodeProxy.handles(type, sub)) {
            nodeProxy.handle(exchange, store, type, info);
            return;
        }
        if (!sub.isEmpty() && !sub.equals("status") && !sub.equals("finalize")) {
            throw ApiException.methodNotSupported(type.group(), type.plural() + "/" + sub, info.verb());
        }
        switch (info.verb()) {
            case "get" -> get(exchange, type, info);
            case "list" -> list(exchange, type, info);
            case "watch" -> watches.stream(exchange, type, info.namespace(),
                    ListQuery.parse(exchange, type, info.named() ? info.name() : null));
            case "create" -> create(exchange, type, info);
            case "update" -> update(exchange, type, info);
            case "patch" -> patch(exchange, type, info);
            case "delete" -> delete(exchange, type, info);
            case "deletecollection" -> deleteCollection(exchange, type, info);
            default -> throw ApiException.methodNotSupported(type.group(), type.plural(), info.verb());
        }
    }

    private void get(Exchange exchange, ResourceType type, RequestInfo info) {
        String accept = exchange.header("Accept");
        if (!TableWriter.wantsTable(accept) && !Codec.prefersYaml(accept)) {
            java.util.Optional<byte[]> cached = CachedReads.current(store, caches, type, info.namespace(),
                    info.name());
            if (cached.isPresent()) {
                exchange.respond(200, Codec.JSON, cached.get(), null);
                return;
            }
        }
        ObjectNode object = store.get(type, info.namespace(), info.name());
        if (TableWriter.wantsTable(exchange.header("Accept"))) {
            responses.object(exchange, 200, tables.table(type, List.of(object),
                    exchange.param("includeObject"), null, null));
            return;
        }
        responses.object(exchange, 200, object);
    }

    private void list(Exchange exchange, ResourceType type, RequestInfo info) {
        ListQuery query = ListQuery.parse(exchange, type, null);
        ListOptionsValidation.checkList(query);
        String rvMatch = exchange.param("resourceVersionMatch");
        if (listFromCache(exchange, type, info, query, rvMatch)) {
            return;
        }
        long revision = 0;
        if ("Exact".equals(rvMatch) && !query.resourceVersion().isEmpty()) {
            revision = ListQuery.revision(query.resourceVersion());
        }
        ObjectList page = store.list(type, info.namespace(), query.limit(), query.continueToken(), revision,
                query.filter());
        if (TableWriter.wantsTable(exchange.header("Accept"))) {
            responses.object(exchange, 200, tables.table(type, page.items(),
                    exchange.param("includeObject"), Long.toString(page.revision()), page.continueToken()));
            return;
        }
        ObjectNode list = responses.newObject();
        list.put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        ObjectNode metadata = list.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(page.revision()));
        if (page.continueToken() != null) {
            metadata.put("continue", page.continueToken());
        }
        ArrayNode items = list.putArray("items");
        page.items().forEach(items::add);
        responses.object(exchange, 200, list);
    }

    /**
     * Serves an unpaged list from the watch cache when it can be as fresh as asked: any state for
     * resourceVersion=0, at least the given revision for resourceVersion=N, and storage's current revision for a
     * consistent list. Returns false to fall back to storage.
     */
    private boolean listFromCache(Exchange exchange, ResourceType type, RequestInfo info, ListQuery query,
            String rvMatch) {
        if (query.limit() > 0 || (query.continueToken() != null && !query.continueToken().isEmpty())
                || "Exact".equals(rvMatch)) {
            return false;
        }
        WatchCache cache = caches.forType(type).orElse(null);
        if (cache == null) {
            return false;
        }
        String rv = query.resourceVersion();
        long needed = rv.isEmpty() ? store.currentRevision() : rv.equals("0") ? 0 : ListQuery.revision(rv);
        if (needed > 0 && !cache.awaitRevision(needed, WatchCache.freshnessBudget())) {
            return false;
        }
        WatchCache.Snapshot snapshot = cache.list(info.namespace(), query.filter());
        boolean table = TableWriter.wantsTable(exchange.header("Accept"));
        if (table || Codec.prefersYaml(exchange.header("Accept"))) {
            List<ObjectNode> items = new java.util.ArrayList<>(snapshot.items().size());
            for (CachedObject object : snapshot.items()) {
                items.add(parse(object));
            }
            if (table) {
                responses.object(exchange, 200, tables.table(type, items,
                        exchange.param("includeObject"), Long.toString(snapshot.revision()), null));
            } else {
                ObjectNode list = responses.newObject();
                list.put("kind", type.listKind()).put("apiVersion", type.apiVersion());
                list.putObject("metadata").put("resourceVersion", Long.toString(snapshot.revision()));
                items.forEach(list.putArray("items")::add);
                responses.object(exchange, 200, list);
            }
            return true;
        }
        RawLists.send(exchange, type, snapshot);
        return true;
    }

    private ObjectNode parse(CachedObject object) {
        try {
            return (ObjectNode) responses.codec().json().readTree(object.json());
        } catch (java.io.IOException e) {
            throw ApiException.internal("cannot decode a cached object: " + e.getMessage());
        }
    }

    private void create(Exchange exchange, ResourceType type, RequestInfo info) {
        if (info.named() || !info.subresource().isEmpty()) {
            throw ApiException.methodNotSupported(type.group(), type.plural(), "create");
        }
        if (type.namespaced() && info.namespace().isEmpty()) {
            throw ApiException.methodNotSupported(type.group(), type.plural(), "create");
        }
        ObjectNode object = responses.codec().decodeObject(exchange.body(), exchange.header("Content-Type"));
        ObjectValidation.checkTypeMatches(type, object);
        TypeStrategy strategy = strategies.forType(type);
        FieldValidation.of(exchange).report(decode(type, strategy, object), exchange,
                FieldValidation.decodingPrefix(type));
        ManagedFieldsHook.manager(exchange, "CreateOptions");
        responses.object(exchange, 201, createObject(exchange, type, info, object, strategy,
                prepared -> managedFields.onCreate(exchange, type, prepared)));
    }

    /**
     * The create pipeline after decoding: namespace, generated name, defaults, the type's preparation,
     * {@code track} (managedFields), validation, then storage (unless dry run). Returns the created object.
     */
    private ObjectNode createObject(Exchange exchange, ResourceType type, RequestInfo info, ObjectNode object,
            TypeStrategy strategy, java.util.function.Consumer<ObjectNode> track) {
        ObjectNode metadata = ObjectStore.metadata(object);
        if (type.namespaced()) {
            String bodyNamespace = metadata.path("namespace").asText("");
            if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(info.namespace())) {
                throw ApiException.badRequest(
                        "the namespace of the provided object does not match the namespace sent on the request");
            }
            metadata.put("namespace", info.namespace());
            requireActiveNamespace(type, info.namespace(), metadata.path("name").asText(""));
        } else {
            metadata.remove("namespace");
        }
        boolean generated = metadata.path("name").asText("").isEmpty()
                && !metadata.path("generateName").asText("").isEmpty();
        if (generated) {
            metadata.put("name", ObjectDefaults.generateName(metadata.path("generateName").asText()));
        }
        ObjectDefaults.onCreate(type, object);
        strategy.prepareForCreate(object);
        track.accept(object);
        ObjectValidation.validateMetadata(type, object);
        strategy.validate(object, null);
        boolean dryRun = dryRun(exchange);
        TypeStrategy.Finish finish = strategy.beginCreate(object, dryRun);
        boolean stored = false;
        try {
            if (dryRun) {
                return object;
            }
            ObjectNode created = store.create(type, object);
            stored = true;
            return created;
        } finally {
            finish.finish(stored);
        }
    }

    private void update(Exchange exchange, ResourceType type, RequestInfo info) {
        ObjectNode body = responses.codec().decodeObject(exchange.body(), exchange.header("Content-Type"));
        ObjectValidation.checkTypeMatches(type, body);
        FieldValidation.of(exchange).report(decode(type, strategies.forType(type), body), exchange,
                FieldValidation.decodingPrefix(type));
        ObjectNode metadata = ObjectStore.metadata(body);
        String bodyName = metadata.path("name").asText("");
        if (!bodyName.equals(info.name())) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + info.name() + ")");
        }
        String bodyNamespace = metadata.path("namespace").asText("");
        if (type.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(info.namespace())) {
            throw ApiException.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }
        long expected = metadata.path("resourceVersion").asText("").isEmpty()
                ? 0 : ListQuery.revision(metadata.path("resourceVersion").asText());
        String manager = ManagedFieldsHook.manager(exchange, "UpdateOptions");
        ObjectNode result = write(exchange, type, info, expected, current -> body, manager);
        responses.object(exchange, 200, result);
    }

    private void patch(Exchange exchange, ResourceType type, RequestInfo info) {
        String media = Codec.mediaType(exchange.header("Content-Type"));
        TypeStrategy strategy = strategies.forType(type);
        strategy.checkPatchType(media);
        if (media.equals(Patches.APPLY_PATCH)) {
            apply(exchange, type, info, strategy);
            return;
        }
        if (exchange.param("force") != null) {
            throw ManagedFieldsHook.optionsInvalid("PatchOptions", List.of(new dev.skiff.apiserver.status.Status.Cause(
                    "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch", "force")));
        }
        String manager = ManagedFieldsHook.manager(exchange, "PatchOptions");
        FieldValidation validation = FieldValidation.of(exchange);
        JsonNode patch = responses.codec().decode(exchange.body(), exchange.header("Content-Type"));
        ObjectNode result = write(exchange, type, info, 0, current -> {
            ObjectNode patched = Patches.apply(current, patch, media, type.kind());
            validation.report(decode(type, strategy, patched), exchange, "");
            String rv = patched.path("metadata").path("resourceVersion").asText("");
            String currentRv = current.path("metadata").path("resourceVersion").asText("");
            if (!rv.isEmpty() && !rv.equals(currentRv)) {
                throw ApiException.staleResourceVersion(type.group(), type.plural(), info.name());
            }
            return patched;
        }, manager);
        responses.object(exchange, 200, result);
    }

    /**
     * Server-side apply (PATCH with application/apply-patch+yaml), as upstream's applyPatcher: the configuration
     * is merged into the live object by the {@link dev.skiff.apiserver.apply.FieldManager}, or creates the object
     * when there is none (201). A race with a concurrent create or delete is retried.
     */
    private void apply(Exchange exchange, ResourceType type, RequestInfo info, TypeStrategy strategy) {
        ApplyRequest request = ApplyRequest.parse(exchange, type, info, responses.codec());
        ObjectNode config = request.config();
        // Fields the type does not know are dropped from the configuration (and reported per fieldValidation)
        // before the merge, so the applier never owns them.
        ObjectNode known = config.deepCopy();
        FieldValidation.of(exchange).report(decode(type, strategy, known), exchange, "");
        ApplyRequest.retainPresent(config, known);
        dev.skiff.apiserver.apply.Writer writer = managedFields.writer(exchange, type, info.subresource(),
                request.manager());
        for (int attempt = 0; ; attempt++) {
            boolean exists = info.subresource().isEmpty() ? exists(type, info) : true;
            try {
                if (exists) {
                    ObjectNode result = write(exchange, type, info, 0, current -> {
                        ObjectNode merged = managedFields.fields().apply(current, config, writer, request.force());
                        request.checkName(merged);
                        decode(type, strategy, merged);
                        return merged;
                    }, null);
                    responses.object(exchange, 200, result);
                } else {
                    ObjectNode merged = managedFields.fields().apply(null, config, writer, request.force());
                    request.checkName(merged);
                    decode(type, strategy, merged);
                    responses.object(exchange, 201, createObject(exchange, type, info, merged, strategy,
                            prepared -> { }));
                }
                return;
            } catch (ApiException e) {
                boolean raced = (exists && e.code() == 404 && e.status().reason().equals("NotFound")
                        && info.name().equals(e.status().details() == null ? null : e.status().details().name()))
                        || (!exists && e.status().reason().equals("AlreadyExists"));
                if (!raced || attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    private boolean exists(ResourceType type, RequestInfo info) {
        try {
            store.get(type, info.namespace(), info.name());
            return true;
        } catch (ApiException e) {
            if (e.code() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Completes decoding as upstream's typed decoder would: fields a built-in kind does not declare are dropped
     * (from the protobuf schema tables), then the type's own strategy prunes and defaults (custom resources).
     * Returns every dropped field's path for {@link FieldValidation}.
     */
    private static List<String> decode(ResourceType type, TypeStrategy strategy, ObjectNode object) {
        List<String> unknown = new java.util.ArrayList<>(
                dev.skiff.apiserver.protobuf.KnownFields.unknownFields(type.apiVersion(), type.kind(), object, true));
        unknown.addAll(strategy.decode(object));
        return unknown;
    }

    /** The shared update path of PUT and PATCH, main resource or status. */
    private ObjectNode write(Exchange exchange, ResourceType type, RequestInfo info, long expected,
            java.util.function.UnaryOperator<ObjectNode> change, String manager) {
        boolean dryRun = dryRun(exchange);
        TypeStrategy strategy = strategies.forType(type);
        if (dryRun) {
            ObjectNode current = store.get(type, info.namespace(), info.name());
            if (expected != 0 && !Long.toString(expected).equals(
                    current.path("metadata").path("resourceVersion").asText())) {
                throw ApiException.staleResourceVersion(type.group(), type.plural(), info.name());
            }
            ObjectNode next = prepare(exchange, type, current, change.apply(current.deepCopy()), info.subresource(),
                    manager);
            strategy.beginUpdate(current, next, info.subresource(), true).finish(false);
            return next;
        }
        // Each attempt of the optimistic update reserves afresh; a lost attempt gives its reservations back.
        java.util.concurrent.atomic.AtomicReference<TypeStrategy.Finish> attempt =
                new java.util.concurrent.atomic.AtomicReference<>(TypeStrategy.Finish.NOTHING);
        DeletionPolicy policy = deletionPolicy(type);
        ObjectNode result;
        try {
            result = store.update(type, info.namespace(), info.name(), expected, policy, current -> {
                attempt.getAndSet(TypeStrategy.Finish.NOTHING).finish(false);
                ObjectNode next = prepare(exchange, type, current, change.apply(current.deepCopy()),
                        info.subresource(), manager);
                attempt.set(strategy.beginUpdate(current, next, info.subresource(), false));
                return next;
            });
        } catch (RuntimeException e) {
            attempt.get().finish(false);
            throw e;
        }
        attempt.get().finish(true);
        if (policy.removesOnUpdate(result)) {
            // The update removed the last finalizer of an object being deleted: the store removed it.
            strategy.afterDelete(result);
        }
        return result;
    }

    /**
     * Prepares an update; {@code manager} is the field manager of a non-apply write, whose managedFields entry is
     * recorded here, or null when the change recorded them itself (apply).
     */
    private ObjectNode prepare(Exchange exchange, ResourceType type, ObjectNode current, ObjectNode next,
            String subresource, String manager) {
        ObjectValidation.checkTypeMatches(type, next);
        if (subresource.equals("status")) {
            ObjectNode status = ObjectDefaults.onStatusUpdate(current, next);
            if (manager != null) {
                managedFields.fields().update(current, status,
                        managedFields.writer(exchange, type, subresource, manager));
            } else {
                // An apply through /status recorded its managedFields on the merged object.
                JsonNode applied = next.path("metadata").get("managedFields");
                if (applied == null) {
                    status.withObjectProperty("metadata").remove("managedFields");
                } else {
                    status.withObjectProperty("metadata").set("managedFields", applied.deepCopy());
                }
            }
            return prepared(type, current, status, subresource);
        }
        if (subresource.equals("finalize")) {
            return ObjectDefaults.onFinalize(current, next);
        }
        ObjectDefaults.onUpdate(type, current, next);
        ObjectNode metadata = ObjectStore.metadata(next);
        metadata.put("name", current.path("metadata").path("name").asText());
        if (manager != null) {
            managedFields.fields().update(current, next, managedFields.writer(exchange, type, subresource, manager));
        }
        ObjectValidation.validateMetadata(type, next);
        return prepared(type, current, next, subresource);
    }

    /** The type's own update preparation and validation, after the generic ones. */
    private ObjectNode prepared(ResourceType type, ObjectNode current, ObjectNode next, String subresource) {
        TypeStrategy strategy = strategies.forType(type);
        strategy.prepareForUpdate(current, next, subresource);
        strategy.validate(next, current);
        return next;
    }

    private void delete(Exchange exchange, ResourceType type, RequestInfo info) {
        DeleteOptions options = DeleteOptions.parse(exchange, responses.codec());
        if (options.dryRun()) {
            ObjectNode current = store.get(type, info.namespace(), info.name());
            responses.object(exchange, 200, current);
            return;
        }
        ObjectStore.Deletion deletion = deleteOne(type, info.namespace(), info.name(), options);
        if (deletion.removed() && strategies.forType(type).returnsDeletedObject()) {
            responses.object(exchange, 200, deletion.object());
        } else if (deletion.removed()) {
            responses.success(exchange, type.group(), type.plural(), info.name(),
                    deletion.object().path("metadata").path("uid").asText());
        } else {
            responses.object(exchange, 200, deletion.object());
        }
    }

    private ObjectStore.Deletion deleteOne(ResourceType type, String namespace, String name, DeleteOptions options) {
        ObjectStore.Deletion deletion = store.delete(type, namespace, name, options.uid(), options.resourceVersion(),
                deletionPolicy(type), options.gracePeriodSeconds(),
                garbageCollection ? options.propagation(type) : DeletePropagation.NONE);
        if (deletion.removed()) {
            strategies.forType(type).afterDelete(deletion.object());
        }
        return deletion;
    }

    private DeletionPolicy deletionPolicy(ResourceType type) {
        return type.group().isEmpty() && type.plural().equals("namespaces")
                ? DeletionPolicy.NAMESPACE : strategies.forType(type).deletionPolicy();
    }

    private void deleteCollection(Exchange exchange, ResourceType type, RequestInfo info) {
        DeleteOptions options = DeleteOptions.parse(exchange, responses.codec());
        ListQuery query = ListQuery.parse(exchange, type, null);
        ObjectList page = store.list(type, info.namespace(), 0, null, 0, query.filter());
        ObjectNode list = responses.newObject();
        list.put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        list.putObject("metadata").put("resourceVersion", Long.toString(page.revision()));
        ArrayNode items = list.putArray("items");
        for (ObjectNode object : page.items()) {
            String name = object.path("metadata").path("name").asText();
            String namespace = object.path("metadata").path("namespace").asText("");
            if (options.dryRun()) {
                items.add(object);
                continue;
            }
            try {
                items.add(deleteOne(type, namespace, name, options.withoutPreconditions()).object());
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        responses.object(exchange, 200, list);
    }

    private void requireActiveNamespace(ResourceType type, String namespace, String name) {
        ResourceType namespaces = catalog.find("", "v1", "namespaces").orElseThrow();
        // As upstream's NamespaceLifecycle admission: the informer's copy answers the common case (an Active
        // namespace); absent or not Active there, storage decides, so a namespace created a moment ago is found.
        boolean activeInCache = caches.forType(namespaces)
                .flatMap(cache -> cache.get("", namespace))
                .map(cached -> "Active".equals(cached.fields().get("status.phase")))
                .orElse(false);
        if (activeInCache) {
            return;
        }
        ObjectNode ns;
        try {
            ns = store.get(namespaces, "", namespace);
        } catch (ApiException e) {
            if (e.code() == 404) {
                throw ApiException.notFound("", "namespaces", namespace);
            }
            throw e;
        }
        if (ns.path("metadata").hasNonNull("deletionTimestamp")) {
            throw ApiException.namespaceTerminating(type.group(), type.plural(), name, namespace);
        }
    }

    private static boolean dryRun(Exchange exchange) {
        List<String> values = exchange.query().getAll("dryRun");
        for (String value : values) {
            if (!value.equals("All")) {
                throw ApiException.badRequest("dryRun: Unsupported value: \"" + value
                        + "\": supported values: \"All\"");
            }
        }
        return !values.isEmpty();
    }
}
