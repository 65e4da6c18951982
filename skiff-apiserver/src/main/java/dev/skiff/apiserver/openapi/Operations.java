package dev.skiff.apiserver.openapi;

import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.discovery.Subresource;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The REST operations of one group version, in a form neutral to OpenAPI 3 and Swagger 2, laid out the way
 * kube-apiserver's installer registers routes: paths, operation ids ({@code patchAppsV1NamespacedDeployment}),
 * {@code x-kubernetes-action}, {@code x-kubernetes-group-version-kind}, and the query parameters of each verb
 * (notably {@code dryRun}, {@code fieldManager} and {@code fieldValidation} on create, update and patch, which
 * kubectl's QueryParamVerifier looks for). Pure functions; thread-safe.
 */
final class Operations {

    /** A parameter, in a path or a query. */
    record Param(String name, String in, String type, boolean required, String description) {
    }

    /** A request body: its schema (a component name) and the media types it may come in. */
    record Body(String schema, List<String> contentTypes, boolean required) {
    }

    /** A response: schema is a component name, or null for a plain string. */
    record Response(String code, String description, String schema) {
    }

    /** One operation of a path. */
    record Op(String method, String operationId, String description, String action, GroupVersionKind gvk,
            List<Param> params, Body body, List<Response> responses, List<String> produces, String tag) {
    }

    /** One path with its operations, in method order get, put, post, delete, options, head, patch. */
    record PathItem(String path, List<Param> params, List<Op> ops) {
    }

    static final String PATCH_SCHEMA = Schemas.META + "Patch";
    static final String STATUS_SCHEMA = Schemas.META + "Status";
    static final String DELETE_OPTIONS_SCHEMA = Schemas.META + "DeleteOptions";
    static final String WATCH_EVENT_SCHEMA = Schemas.META + "WatchEvent";
    static final String RESOURCE_LIST_SCHEMA = Schemas.META + "APIResourceList";

    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final String APPLY_PATCH = "application/apply-patch+yaml";

    private static final List<String> OBJECT_MEDIA = List.of("application/json", "application/yaml");
    private static final List<String> LIST_MEDIA =
            List.of("application/json", "application/yaml", "application/json;stream=watch");
    private static final List<String> WATCH_MEDIA = List.of("application/json", "application/json;stream=watch");
    private static final List<String> TEXT_MEDIA = List.of("text/plain", "application/json", "application/yaml");
    private static final List<String> ANY = List.of("*/*");
    private static final List<String> METHOD_ORDER =
            List.of("get", "put", "post", "delete", "options", "head", "patch");

    // Query parameters, named and typed as upstream's ListOptions, CreateOptions, UpdateOptions, PatchOptions and
    // DeleteOptions turn into them.
    private static final Param PRETTY = query("pretty", "string", "If 'true', then the output is pretty printed.");
    private static final Param ALLOW_WATCH_BOOKMARKS = query("allowWatchBookmarks", "boolean",
            "allowWatchBookmarks requests watch events with type \"BOOKMARK\".");
    private static final Param CONTINUE = query("continue", "string",
            "The continue token of a previous paged list call.");
    private static final Param FIELD_SELECTOR = query("fieldSelector", "string",
            "A selector to restrict the list of returned objects by their fields. Defaults to everything.");
    private static final Param LABEL_SELECTOR = query("labelSelector", "string",
            "A selector to restrict the list of returned objects by their labels. Defaults to everything.");
    private static final Param LIMIT = query("limit", "integer", "The maximum number of items to return.");
    private static final Param RESOURCE_VERSION = query("resourceVersion", "string",
            "resourceVersion sets a constraint on what resource versions a request may be served from.");
    private static final Param RESOURCE_VERSION_MATCH = query("resourceVersionMatch", "string",
            "resourceVersionMatch determines how resourceVersion is applied to list calls.");
    private static final Param SEND_INITIAL_EVENTS = query("sendInitialEvents", "boolean",
            "With watch=true, start the watch stream with synthetic events for the current state.");
    private static final Param TIMEOUT_SECONDS = query("timeoutSeconds", "integer",
            "Timeout for the list/watch call.");
    private static final Param WATCH = query("watch", "boolean",
            "Watch for changes to the described resources and return them as a stream of add, update, and remove "
                    + "notifications. Specify resourceVersion.");
    private static final Param DRY_RUN = query("dryRun", "string",
            "When present, indicates that modifications should not be persisted. Valid values are: - All: all dry "
                    + "run stages will be processed");
    private static final Param FIELD_MANAGER = query("fieldManager", "string",
            "fieldManager is a name associated with the actor or entity that is making these changes.");
    private static final Param FIELD_VALIDATION = query("fieldValidation", "string",
            "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) "
                    + "containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict: fail the "
                    + "request with a BadRequest error if any unknown fields would be dropped from the object, or "
                    + "if any duplicate fields are present.");
    private static final Param FORCE = query("force", "boolean",
            "Force is going to \"force\" Apply requests: re-acquire conflicting fields owned by other managers.");
    private static final Param GRACE_PERIOD_SECONDS = query("gracePeriodSeconds", "integer",
            "The duration in seconds before the object should be deleted.");
    private static final Param IGNORE_STORE_READ_ERROR = query(
            "ignoreStoreReadErrorWithClusterBreakingPotential", "boolean",
            "if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow "
                    + "fails with a corrupt object error.");
    private static final Param ORPHAN_DEPENDENTS = query("orphanDependents", "boolean",
            "Deprecated: please use the PropagationPolicy.");
    private static final Param PROPAGATION_POLICY = query("propagationPolicy", "string",
            "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'.");

    private static final List<Param> LIST_PARAMS = List.of(ALLOW_WATCH_BOOKMARKS, CONTINUE, FIELD_SELECTOR,
            LABEL_SELECTOR, LIMIT, RESOURCE_VERSION, RESOURCE_VERSION_MATCH, SEND_INITIAL_EVENTS, TIMEOUT_SECONDS,
            WATCH);
    private static final List<Param> WRITE_PARAMS = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION);
    private static final List<Param> PATCH_PARAMS = List.of(DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE);
    private static final List<Param> DELETE_PARAMS = List.of(DRY_RUN, GRACE_PERIOD_SECONDS, IGNORE_STORE_READ_ERROR,
            ORPHAN_DEPENDENTS, PROPAGATION_POLICY);
    private static final List<Param> DELETE_COLLECTION_PARAMS = List.of(CONTINUE, DRY_RUN, FIELD_SELECTOR,
            GRACE_PERIOD_SECONDS, IGNORE_STORE_READ_ERROR, LABEL_SELECTOR, LIMIT, ORPHAN_DEPENDENTS,
            PROPAGATION_POLICY, RESOURCE_VERSION, RESOURCE_VERSION_MATCH, SEND_INITIAL_EVENTS, TIMEOUT_SECONDS);
    private static final List<Param> LOG_PARAMS = List.of(
            query("container", "string", "The container for which to stream logs."),
            query("follow", "boolean", "Follow the log stream of the pod."),
            query("insecureSkipTLSVerifyBackend", "boolean",
                    "Do not verify the serving certificate of the backend the logs come from."),
            query("limitBytes", "integer", "The number of bytes to read from the server before terminating."),
            query("previous", "boolean", "Return previous terminated container logs."),
            query("sinceSeconds", "integer", "A relative time in seconds before now from which to show logs."),
            query("stream", "string", "Which container log stream to return: All, Stdout or Stderr."),
            query("tailLines", "integer", "The number of lines from the end of the logs to show."),
            query("timestamps", "boolean", "Add an RFC3339 timestamp at the beginning of every line."));
    private static final List<Param> EXEC_PARAMS = List.of(
            query("command", "string", "Command is the remote command to execute. argv array."),
            query("container", "string", "Container in which to execute the command."),
            query("stderr", "boolean", "Redirect the standard error stream of the pod for this call."),
            query("stdin", "boolean", "Redirect the standard input stream of the pod for this call."),
            query("stdout", "boolean", "Redirect the standard output stream of the pod for this call."),
            query("tty", "boolean", "Allocate a terminal for this exec call."));
    private static final List<Param> ATTACH_PARAMS = List.of(
            query("container", "string", "The container in which to execute the command."),
            query("stderr", "boolean", "Stderr if true indicates that stderr is to be redirected."),
            query("stdin", "boolean", "Stdin if true, redirects the standard input stream of the pod."),
            query("stdout", "boolean", "Stdout if true indicates that stdout is to be redirected."),
            query("tty", "boolean", "TTY if true indicates that a tty will be allocated for the attach call."));
    private static final List<Param> PORTFORWARD_PARAMS = List.of(
            query("ports", "integer", "List of ports to forward."));
    private static final Param PROXY_PATH_QUERY = query("path", "string", "Path is the URL path to use.");

    private Operations() {
    }

    private static Param query(String name, String type, String description) {
        return new Param(name, "query", type, false, description);
    }

    private static Param pathParam(String name, String description) {
        return new Param(name, "path", "string", true, description);
    }

    /**
     * Every path of one group version's types, sorted by path, starting with the group version's own
     * {@code getAPIResources} path.
     *
     * @param advertiseStrategicMergePatch whether patch operations of built-in kinds list
     *                                     {@code application/strategic-merge-patch+json} (see {@link OpenApiDocuments})
     */
    static List<PathItem> of(String group, String version, List<ResourceType> types,
            boolean advertiseStrategicMergePatch) {
        String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        String gvPrefix = gvPrefix(group, version);
        String tag = tag(group, version);
        Map<String, List<Op>> ops = new LinkedHashMap<>();
        Map<String, List<Param>> pathParams = new LinkedHashMap<>();
        ops.computeIfAbsent(prefix + "/", p -> new ArrayList<>()).add(new Op("get", "get" + gvPrefix + "APIResources",
                "get available resources", null, null, List.of(), null,
                List.of(new Response("200", "OK", RESOURCE_LIST_SCHEMA)), OBJECT_MEDIA, tag));
        pathParams.put(prefix + "/", List.of());
        for (ResourceType type : types) {
            new TypeOps(type, prefix, gvPrefix, tag, advertiseStrategicMergePatch, ops, pathParams).add();
        }
        List<PathItem> items = new ArrayList<>();
        for (Map.Entry<String, List<Op>> entry : ops.entrySet()) {
            items.add(hoist(entry.getKey(), pathParams.get(entry.getKey()), entry.getValue()));
        }
        items.sort(Comparator.comparing(PathItem::path));
        return items;
    }

    /** Like upstream's builder: parameters every operation of a path shares move up to the path. */
    private static PathItem hoist(String path, List<Param> pathLevel, List<Op> ops) {
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingInt(op -> METHOD_ORDER.indexOf(op.method())));
        List<Param> shared = new ArrayList<>(sorted.get(0).params());
        for (Op op : sorted) {
            shared.retainAll(op.params());
        }
        List<Param> params = new ArrayList<>(pathLevel);
        params.addAll(shared);
        params.sort(Comparator.comparing(Param::name));
        List<Op> trimmed = sorted.stream().map(op -> {
            List<Param> own = new ArrayList<>(op.params());
            own.removeAll(shared);
            return new Op(op.method(), op.operationId(), op.description(), op.action(), op.gvk(), List.copyOf(own),
                    op.body(), op.responses(), op.produces(), op.tag());
        }).toList();
        return new PathItem(path, List.copyOf(params), trimmed);
    }

    /** "CoreV1", "AppsV1", "RbacAuthorizationV1": what upstream puts between an operation's verb and its kind. */
    static String gvPrefix(String group, String version) {
        String trimmed = group.isEmpty() ? "core" : group.endsWith(".k8s.io")
                ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        return validOperationId(trimmed, true) + validOperationId(version, true);
    }

    /** "core_v1", "apps_v1", "rbacAuthorization_v1": upstream's operation tags. */
    static String tag(String group, String version) {
        String trimmed = group.isEmpty() ? "core" : group.endsWith(".k8s.io")
                ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        return validOperationId(trimmed, false) + "_" + validOperationId(version, false);
    }

    private static String validOperationId(String s, boolean capitalizeFirst) {
        StringBuilder out = new StringBuilder();
        boolean upperNext = capitalizeFirst;
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(upperNext ? Character.toUpperCase(c) : c);
                upperNext = false;
            } else {
                upperNext = true;
            }
        }
        return out.toString();
    }

    private static String title(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The operations of one type and its subresources. */
    private static final class TypeOps {
        private final ResourceType type;
        private final String prefix;
        private final String gvPrefix;
        private final String tag;
        private final boolean smp;
        private final Map<String, List<Op>> ops;
        private final Map<String, List<Param>> pathParams;
        private final GroupVersionKind gvk;
        private final String schema;
        private final String namespaced;

        TypeOps(ResourceType type, String prefix, String gvPrefix, String tag, boolean smp,
                Map<String, List<Op>> ops, Map<String, List<Param>> pathParams) {
            this.type = type;
            this.prefix = prefix;
            this.gvPrefix = gvPrefix;
            this.tag = tag;
            this.smp = smp;
            this.ops = ops;
            this.pathParams = pathParams;
            this.gvk = new GroupVersionKind(type.group(), type.version(), type.kind());
            this.schema = Schemas.name(gvk);
            this.namespaced = type.namespaced() ? "Namespaced" : "";
        }

        void add() {
            String ns = type.namespaced() ? "/namespaces/{namespace}" : "";
            String collection = prefix + ns + "/" + type.plural();
            String item = collection + "/{name}";
            List<Param> collectionParams = type.namespaced() ? List.of(namespaceParam()) : List.of();
            List<Param> itemParams = type.namespaced() ? List.of(nameParam(), namespaceParam())
                    : List.of(nameParam());
            String kind = type.kind();
            String listSchema = Schemas.name(new GroupVersionKind(type.group(), type.version(), type.listKind()));
            boolean list = type.supports("list");
            boolean watch = type.supports("watch");

            if (list) {
                add(collection, collectionParams, new Op("get", "list" + gvPrefix + namespaced + kind,
                        (watch ? "list or watch" : "list") + " objects of kind " + kind, "list", gvk, LIST_PARAMS,
                        null, ok(listSchema), LIST_MEDIA, tag));
            }
            if (type.supports("create")) {
                add(collection, collectionParams, new Op("post", "create" + gvPrefix + namespaced + kind,
                        "create " + article(kind) + kind, "post", gvk, WRITE_PARAMS,
                        new Body(schema, ANY, true), created(schema), OBJECT_MEDIA, tag));
            }
            if (type.supports("deletecollection")) {
                add(collection, collectionParams, new Op("delete", "delete" + gvPrefix + "Collection" + namespaced
                        + kind, "delete collection of " + kind, "deletecollection", gvk, DELETE_COLLECTION_PARAMS,
                        new Body(DELETE_OPTIONS_SCHEMA, ANY, false), ok(STATUS_SCHEMA), OBJECT_MEDIA, tag));
            }
            if (type.supports("get")) {
                add(item, itemParams, new Op("get", "read" + gvPrefix + namespaced + kind,
                        "read the specified " + kind, "get", gvk, List.of(), null, ok(schema), OBJECT_MEDIA, tag));
            }
            if (type.supports("update")) {
                add(item, itemParams, new Op("put", "replace" + gvPrefix + namespaced + kind,
                        "replace the specified " + kind, "put", gvk, WRITE_PARAMS, new Body(schema, ANY, true),
                        created(schema), OBJECT_MEDIA, tag));
            }
            if (type.supports("patch")) {
                add(item, itemParams, patch("patch" + gvPrefix + namespaced + kind,
                        "partially update the specified " + kind, gvk, schema));
            }
            if (type.supports("delete")) {
                add(item, itemParams, new Op("delete", "delete" + gvPrefix + namespaced + kind,
                        "delete " + article(kind) + kind, "delete", gvk, DELETE_PARAMS,
                        new Body(DELETE_OPTIONS_SCHEMA, ANY, false), accepted(STATUS_SCHEMA), OBJECT_MEDIA, tag));
            }
            if (watch) {
                String watchCollection = prefix + "/watch" + ns + "/" + type.plural();
                if (type.supports("get")) {
                    add(watchCollection + "/{name}", itemParams, new Op("get", "watch" + gvPrefix + namespaced + kind,
                            "watch changes to an object of kind " + kind + ". deprecated: use the 'watch' parameter "
                                    + "with a list operation instead, filtered to a single item with the "
                                    + "'fieldSelector' parameter.", "watch", gvk, LIST_PARAMS, null,
                            ok(WATCH_EVENT_SCHEMA), WATCH_MEDIA, tag));
                }
                if (list) {
                    add(watchCollection, collectionParams, new Op("get", "watch" + gvPrefix + namespaced + kind
                            + "List", "watch individual changes to a list of " + kind + ". deprecated: use the "
                            + "'watch' parameter with a list operation instead.", "watchlist", gvk, LIST_PARAMS, null,
                            ok(WATCH_EVENT_SCHEMA), WATCH_MEDIA, tag));
                }
            }
            if (type.namespaced() && list) {
                add(prefix + "/" + type.plural(), List.of(), new Op("get", "list" + gvPrefix + kind
                        + "ForAllNamespaces", (watch ? "list or watch" : "list") + " objects of kind " + kind, "list",
                        gvk, LIST_PARAMS, null, ok(listSchema), LIST_MEDIA, tag));
                if (watch) {
                    add(prefix + "/watch/" + type.plural(), List.of(), new Op("get", "watch" + gvPrefix + kind
                            + "ListForAllNamespaces", "watch individual changes to a list of " + kind
                            + ". deprecated: use the 'watch' parameter with a list operation instead.", "watchlist",
                            gvk, LIST_PARAMS, null, ok(WATCH_EVENT_SCHEMA), WATCH_MEDIA, tag));
                }
            }
            for (String name : type.subresources()) {
                addSubresource(Subresource.of(type, name), item, itemParams);
            }
        }

        private void addSubresource(Subresource sub, String item, List<Param> itemParams) {
            String path = item + "/" + sub.name();
            String suffix = namespaced + type.kind() + title(sub.name());
            String subSchema = Schemas.name(sub.kind());
            String kind = type.kind();
            switch (sub.access()) {
                case READ_WRITE -> {
                    add(path, itemParams, new Op("get", "read" + gvPrefix + suffix,
                            "read " + sub.name() + " of the specified " + kind, "get", sub.kind(), List.of(), null,
                            ok(subSchema), OBJECT_MEDIA, tag));
                    add(path, itemParams, new Op("put", "replace" + gvPrefix + suffix,
                            "replace " + sub.name() + " of the specified " + kind, "put", sub.kind(), WRITE_PARAMS,
                            new Body(subSchema, ANY, true), created(subSchema), OBJECT_MEDIA, tag));
                    add(path, itemParams, patch("patch" + gvPrefix + suffix,
                            "partially update " + sub.name() + " of the specified " + kind, sub.kind(), subSchema));
                }
                case CREATE -> add(path, itemParams, new Op("post", "create" + gvPrefix + suffix,
                        "create " + sub.name() + " of " + article(kind) + kind, "post", sub.kind(), WRITE_PARAMS,
                        new Body(subSchema, ANY, true), createdAccepted(subSchema), OBJECT_MEDIA, tag));
                case REPLACE -> add(path, itemParams, new Op("put", "replace" + gvPrefix + suffix,
                        "replace " + sub.name() + " of the specified " + kind, "put", sub.kind(), WRITE_PARAMS,
                        new Body(subSchema, ANY, true), created(subSchema), OBJECT_MEDIA, tag));
                case READ_TEXT -> add(path, itemParams, new Op("get", "read" + gvPrefix + suffix,
                        "read " + sub.name() + " of the specified " + kind, "get", sub.kind(),
                        sub.name().equals("log") ? LOG_PARAMS : List.of(), null,
                        List.of(new Response("200", "OK", null), unauthorized()), TEXT_MEDIA, tag));
                case CONNECT -> {
                    List<Param> options = switch (sub.name()) {
                        case "exec" -> EXEC_PARAMS;
                        case "attach" -> ATTACH_PARAMS;
                        case "portforward" -> PORTFORWARD_PARAMS;
                        case "proxy" -> List.of(PROXY_PATH_QUERY);
                        default -> List.of();
                    };
                    for (String method : sub.connectMethods()) {
                        add(path, itemParams, connect(method, suffix, sub, options, ""));
                    }
                    if (sub.name().equals("proxy")) {
                        List<Param> withPath = new ArrayList<>(itemParams);
                        withPath.add(pathParam("path", "path to the resource"));
                        for (String method : sub.connectMethods()) {
                            add(path + "/{path}", withPath, connect(method, suffix, sub, options, "WithPath"));
                        }
                    }
                }
                default -> throw new IllegalStateException("unknown access " + sub.access());
            }
        }

        private Op connect(String method, String suffix, Subresource sub, List<Param> options, String pathSuffix) {
            String lower = method.toLowerCase(Locale.ROOT);
            List<Param> params = pathSuffix.isEmpty() ? options
                    : options.stream().filter(p -> !p.name().equals("path")).toList();
            return new Op(lower, "connect" + gvPrefix + title(lower) + suffix + pathSuffix,
                    "connect " + method + " requests to " + sub.name() + " of " + type.kind(), "connect", sub.kind(),
                    params, null, List.of(new Response("200", "OK", null), unauthorized()), ANY, tag);
        }

        private Op patch(String operationId, String description, GroupVersionKind kind, String bodySchema) {
            List<String> types = new ArrayList<>(List.of(APPLY_PATCH, JSON_PATCH, MERGE_PATCH));
            if (smp && Schemas.isBuiltin(kind.group())) {
                types.add(STRATEGIC_MERGE_PATCH);
            }
            return new Op("patch", operationId, description, "patch", kind, PATCH_PARAMS,
                    new Body(PATCH_SCHEMA, List.copyOf(types), true), created(bodySchema), OBJECT_MEDIA, tag);
        }

        /** Adds an operation; every one but connect takes {@code pretty}, as upstream's routes do. */
        private void add(String path, List<Param> params, Op op) {
            Op withPretty = op;
            if (!"connect".equals(op.action())) {
                List<Param> all = new ArrayList<>(op.params());
                all.add(PRETTY);
                all.sort(Comparator.comparing(Param::name));
                withPretty = new Op(op.method(), op.operationId(), op.description(), op.action(), op.gvk(),
                        List.copyOf(all), op.body(), op.responses(), op.produces(), op.tag());
            }
            ops.computeIfAbsent(path, p -> new ArrayList<>()).add(withPretty);
            pathParams.putIfAbsent(path, params);
        }

        private Param nameParam() {
            return pathParam("name", "name of the " + type.kind());
        }
    }

    private static Param namespaceParam() {
        return pathParam("namespace", "object name and auth scope, such as for teams and projects");
    }

    private static List<Response> ok(String schema) {
        return List.of(new Response("200", "OK", schema), unauthorized());
    }

    private static List<Response> created(String schema) {
        return List.of(new Response("200", "OK", schema), new Response("201", "Created", schema), unauthorized());
    }

    private static List<Response> createdAccepted(String schema) {
        return List.of(new Response("200", "OK", schema), new Response("201", "Created", schema),
                new Response("202", "Accepted", schema), unauthorized());
    }

    private static List<Response> accepted(String schema) {
        return List.of(new Response("200", "OK", schema), new Response("202", "Accepted", schema), unauthorized());
    }

    private static Response unauthorized() {
        return new Response("401", "Unauthorized", null);
    }

    /** Upstream's GetArticleForNoun: no article before a plural-looking noun. */
    private static String article(String noun) {
        if (!noun.endsWith("ss") && noun.endsWith("s")) {
            return "";
        }
        return "AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ";
    }
}
