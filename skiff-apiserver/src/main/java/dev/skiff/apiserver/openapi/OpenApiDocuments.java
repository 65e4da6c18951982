package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.discovery.KubernetesVersion;
import dev.skiff.apiserver.discovery.Subresource;
import dev.skiff.apiserver.openapi.models.BuiltinDefinitions;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OpenAPI documents of kube-apiserver v1.32, built from a snapshot of the served types:
 * <table>
 *   <caption>endpoints</caption>
 *   <tr><th>request</th><th>method</th><th>Content-Type</th></tr>
 *   <tr><td>{@code GET /openapi/v3}</td><td>{@link #v3Index()}</td><td>{@link #JSON}</td></tr>
 *   <tr><td>{@code GET /openapi/v3/api/v1}, {@code GET /openapi/v3/apis/{group}/{version}}</td>
 *       <td>{@link #v3Document(String, String)}</td><td>{@link #JSON}</td></tr>
 *   <tr><td>{@code GET /openapi/v2}</td><td>{@link #v2Document()}</td><td>{@link #JSON}</td></tr>
 * </table>
 * {@link #answer(String, String)} routes them all, including {@code /openapi/v2} as protobuf ({@link #V2_PROTOBUF},
 * see {@link #v2Protobuf()}).
 *
 * <p><strong>What kubectl does with them</strong> (v1.32; cli-runtime {@code query_param_verifier_v3.go},
 * kubectl {@code cmd/util/factory_client_access.go}, {@code validation/schema.go}, {@code cmd/apply/patcher.go}):
 * <ul>
 *   <li>{@code create}/{@code apply} with {@code --validate=strict} (the default) fetch {@code /openapi/v3}, then the
 *       document of the object's group version, and look for a PATCH operation whose
 *       {@code x-kubernetes-group-version-kind} is the object's kind and which lists a {@code fieldValidation}
 *       parameter. Found: kubectl sends {@code ?fieldValidation=Strict} and the server validates. Not found: kubectl
 *       validates client-side against {@code /openapi/v2}. Every PATCH here lists it, so the server must honour
 *       {@code fieldValidation=Strict} (reject unknown and duplicate fields).</li>
 *   <li>Client-side {@code apply} of an existing object computes a strategic merge patch from the OpenAPI v3
 *       schemas when the kind's PATCH operation accepts {@code application/strategic-merge-patch+json}. Skiff's
 *       schemas of built-in kinds are complete in fields and types, but their list merge facts are only those the
 *       server's own strategic merge patch knows (no {@code x-kubernetes-list-map-keys}), so PATCH operations do
 *       <em>not</em> list that media type: kubectl then falls back to {@code /openapi/v2} (asked for as protobuf,
 *       which has no definitions) and finally to its compiled-in v1.32 types, which is exactly right for built-in
 *       kinds (custom resources get a JSON merge patch, as upstream). The server still accepts strategic merge
 *       patches.</li>
 *   <li>{@code kubectl explain} reads the index, then the document of the kind's group version, finds the kind's
 *       schema by {@code x-kubernetes-group-version-kind} and follows {@code $ref}s through
 *       {@code components.schemas}: every document carries all the definitions its kinds contain.</li>
 *   <li>kubectl validates client-side, against {@code /openapi/v2}, what the v3 check cannot vouch for: documents
 *       of {@code kind: List} and kinds without a PATCH operation (TokenReview, SubjectAccessReview...). client-go
 *       asks {@code /openapi/v2} for protobuf only ({@link #V2_PROTOBUF_REQUESTED}); without an answer those
 *       commands fail with "failed to download openapi". Skiff answers with a definition-less document
 *       (see {@link #v2Protobuf()}), so kubectl skips that check and the server's strict validation decides.</li>
 * </ul>
 *
 * <p><strong>Caching.</strong> The index points at each document as
 * {@code /openapi/v3/apis/apps/v1?hash=<etag>}, the etag being the upper-case hex SHA-512 of the document's bytes,
 * as upstream's handler3. Upstream answers a request whose {@code hash} matches with
 * {@code Cache-Control: public, immutable} and a far {@code Expires}, a request with a stale {@code hash} with a
 * 301 to the current URL, and every document with {@code ETag: "<etag>"} (304 on {@code If-None-Match}).
 *
 * <p>Thread-safe and immutable: everything is built from the types given to the constructor (build a new instance
 * when custom resources change), lazily: the OpenAPI 3 documents with their index on the first request for any of
 * them, the Swagger 2 JSON document on the first request for it. Built documents keep only their bytes; accessors
 * return fresh copies.
 */
public final class OpenApiDocuments {

    /** Content-Type of every JSON OpenAPI document. */
    public static final String JSON = "application/json";
    /**
     * Content-Type of {@code /openapi/v2} in gnostic's protobuf. Clients ask for it under its older name
     * {@link #V2_PROTOBUF_REQUESTED}; upstream answers with this one, which Go's media type parser accepts (it
     * rejects the '@' of the older name).
     */
    public static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    /** What client-go's Accept header asks {@code /openapi/v2} for. */
    public static final String V2_PROTOBUF_REQUESTED = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One answer, serialised.
     *
     * @param body        the response body (the caller owns this copy)
     * @param contentType the Content-Type header
     * @param etag        the body's hash, unquoted (upper-case hex SHA-512 of the JSON document), as the index's
     *                    {@code hash} parameter carries it; null for the index itself
     */
    public record Answer(byte[] body, String contentType, String etag) {

        public Answer {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    /** One document, serialised; the tree is not kept (all documents together parse to hundreds of MB). */
    private record Built(byte[] bytes, String hash) {

        static Built of(ObjectNode document) {
            byte[] bytes = serialise(document);
            return new Built(bytes, sha512(bytes));
        }
    }

    /** The OpenAPI 3 documents ("api/v1" / "apis/apps/v1" → document, sorted by path) and their index. */
    private record V3(Map<String, Built> documents, byte[] index) {
    }

    private final Map<String, List<ResourceType>> byGroupVersion;
    private final Map<ResourceType, Optional<JsonNode>> published;
    private final String infoVersion;
    private final boolean advertiseStrategicMergePatch;
    private final ListMergeFacts listMerges;
    private final Supplier<Optional<BuiltinDefinitions>> definitions;
    private final byte[] v2Protobuf;
    private final Lazy<V3> v3 = new Lazy<>(this::buildV3);
    private final Lazy<Built> v2 = new Lazy<>(this::buildV2);

    /** The documents of the catalog's current types, with no list merge facts. */
    public OpenApiDocuments(ResourceCatalog catalog, KubernetesVersion version) {
        this(catalog, version, ListMergeFacts.NONE);
    }

    /**
     * The documents of the catalog's current types (read now; the documents are built on first use).
     *
     * @param listMerges how the server's strategic merge patch merges the built-in kinds' lists
     */
    public OpenApiDocuments(ResourceCatalog catalog, KubernetesVersion version, ListMergeFacts listMerges) {
        this(catalog.all(), version, false, catalog::schema, listMerges, BuiltinDefinitions::standard);
    }

    /** The documents of exactly these types. */
    public OpenApiDocuments(Collection<ResourceType> types, KubernetesVersion version) {
        this(types, version, false, type -> Optional.empty());
    }

    /**
     * @param advertiseStrategicMergePatch whether PATCH operations of built-in kinds list
     *        {@code application/strategic-merge-patch+json}; only right with full upstream schemas (merge keys)
     */
    OpenApiDocuments(Collection<ResourceType> types, KubernetesVersion version,
            boolean advertiseStrategicMergePatch) {
        this(types, version, advertiseStrategicMergePatch, type -> Optional.empty());
    }

    /**
     * @param published the schema a type publishes instead of the minimal one (a custom resource's, from its
     *                  CRD), if any
     */
    OpenApiDocuments(Collection<ResourceType> types, KubernetesVersion version, boolean advertiseStrategicMergePatch,
            Function<ResourceType, Optional<JsonNode>> published) {
        this(types, version, advertiseStrategicMergePatch, published, ListMergeFacts.NONE,
                BuiltinDefinitions::standard);
    }

    /**
     * The types and published schemas are read now; the documents are built on first use ({@link #answer}), so a
     * server that nobody asks for OpenAPI never pays for them, and one whose custom resources change often builds
     * only the set that is asked for.
     *
     * @param listMerges  how the server's strategic merge patch merges the built-in kinds' lists
     * @param definitions the generated definitions of the built-in kinds (empty: minimal schemas)
     */
    OpenApiDocuments(Collection<ResourceType> types, KubernetesVersion version, boolean advertiseStrategicMergePatch,
            Function<ResourceType, Optional<JsonNode>> published, ListMergeFacts listMerges,
            Supplier<Optional<BuiltinDefinitions>> definitions) {
        this.infoVersion = Objects.requireNonNull(version, "version").gitVersion();
        Map<String, List<ResourceType>> groups = new TreeMap<>();
        Map<ResourceType, Optional<JsonNode>> schemas = new HashMap<>();
        for (ResourceType type : types) {
            groups.computeIfAbsent(path(type.group(), type.version()), p -> new ArrayList<>()).add(type);
            schemas.put(type, published.apply(type).map(JsonNode::deepCopy));
        }
        groups.replaceAll((p, list) -> List.copyOf(list));
        this.byGroupVersion = Collections.unmodifiableMap(groups);
        this.published = schemas;
        this.advertiseStrategicMergePatch = advertiseStrategicMergePatch;
        this.listMerges = Objects.requireNonNull(listMerges, "listMerges");
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.v2Protobuf = SwaggerProtobuf.document("Kubernetes", infoVersion);
    }

    private V3 buildV3() {
        GeneratedSchemas generated = GeneratedSchemas.of(definitions.get(), listMerges);
        Map<String, Built> documents = new LinkedHashMap<>();
        for (Map.Entry<String, List<ResourceType>> entry : byGroupVersion.entrySet()) {
            List<ResourceType> gvTypes = entry.getValue();
            String group = gvTypes.get(0).group();
            String gvVersion = gvTypes.get(0).version();
            List<Operations.PathItem> items = Operations.of(group, gvVersion, gvTypes, advertiseStrategicMergePatch);
            ObjectNode doc = NODES.objectNode();
            ObjectNode components = doc.putObject("components");
            components.set("schemas", Renderer.schemas(Schemas.forGroupVersion(group, gvVersion, gvTypes,
                    subresourceKinds(gvTypes), Schemas.Flavour.V3, this::publishedSchema, generated)));
            components.putObject("securitySchemes").set("BearerToken", bearerToken());
            doc.set("info", info(infoVersion));
            doc.put("openapi", "3.0.0");
            doc.set("paths", Renderer.v3Paths(items));
            doc.putArray("security").addObject().putArray("BearerToken");
            documents.put(entry.getKey(), Built.of(doc));
        }
        ObjectNode index = NODES.objectNode();
        ObjectNode paths = index.putObject("paths");
        documents.forEach((p, built) -> paths.putObject(p).put("serverRelativeURL",
                "/openapi/v3/" + p + "?hash=" + built.hash()));
        return new V3(Collections.unmodifiableMap(documents), serialise(index));
    }

    private Built buildV2() {
        GeneratedSchemas generated = GeneratedSchemas.of(definitions.get(), listMerges);
        ObjectNode v2Paths = NODES.objectNode();
        Map<String, ObjectNode> v2Definitions = new TreeMap<>();
        for (List<ResourceType> gvTypes : byGroupVersion.values()) {
            String group = gvTypes.get(0).group();
            String gvVersion = gvTypes.get(0).version();
            List<Operations.PathItem> items = Operations.of(group, gvVersion, gvTypes, advertiseStrategicMergePatch);
            v2Paths.setAll(Renderer.v2Paths(items));
            v2Definitions.putAll(Schemas.forGroupVersion(group, gvVersion, gvTypes, subresourceKinds(gvTypes),
                    Schemas.Flavour.V2, this::publishedSchema, generated));
        }
        ObjectNode swagger = NODES.objectNode();
        swagger.set("definitions", Renderer.schemas(v2Definitions));
        swagger.set("info", info(infoVersion));
        ObjectNode sortedPaths = NODES.objectNode();
        List<String> pathNames = new ArrayList<>();
        v2Paths.fieldNames().forEachRemaining(pathNames::add);
        pathNames.stream().sorted().forEach(p -> sortedPaths.set(p, v2Paths.get(p)));
        swagger.set("paths", sortedPaths);
        swagger.putArray("security").addObject().putArray("BearerToken");
        swagger.putObject("securityDefinitions").set("BearerToken", bearerToken());
        swagger.put("swagger", "2.0");
        return Built.of(swagger);
    }

    private Optional<JsonNode> publishedSchema(ResourceType type) {
        return published.getOrDefault(type, Optional.empty());
    }

    /**
     * A value computed once, on first use, by the first thread that asks; the others wait for it. A lock rather
     * than {@code synchronized}, so waiting virtual threads do not pin their carrier on JDK 21.
     */
    private static final class Lazy<T> {

        private final Supplier<T> compute;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile T value;

        Lazy(Supplier<T> compute) {
            this.compute = compute;
        }

        T get() {
            T result = value;
            if (result != null) {
                return result;
            }
            lock.lock();
            try {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            } finally {
                lock.unlock();
            }
        }
    }

    private static Set<GroupVersionKind> subresourceKinds(List<ResourceType> types) {
        Set<GroupVersionKind> kinds = new LinkedHashSet<>();
        for (ResourceType type : types) {
            for (String name : type.subresources()) {
                Subresource sub = Subresource.of(type, name);
                if (sub.access() != Subresource.Access.CONNECT && sub.access() != Subresource.Access.READ_TEXT) {
                    kinds.add(sub.kind());
                }
            }
        }
        return kinds;
    }

    private static ObjectNode info(String version) {
        ObjectNode info = NODES.objectNode();
        info.put("title", "Kubernetes");
        info.put("version", version);
        return info;
    }

    private static ObjectNode bearerToken() {
        ObjectNode node = NODES.objectNode();
        node.put("description", "Bearer Token authentication");
        node.put("in", "header");
        node.put("name", "authorization");
        node.put("type", "apiKey");
        return node;
    }

    /** "api/v1" for the core group, else "apis/group/version": the index key of a group version. */
    public static String path(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    /**
     * Routes {@code /openapi/v2}, {@code /openapi/v3} and {@code /openapi/v3/{api/v1 | apis/group/version}} (path
     * without query; a trailing slash is ignored). {@code /openapi/v2} answers in protobuf ({@link #V2_PROTOBUF})
     * when the client prefers it (client-go, see {@link #wantsV2Protobuf(String)}), else in JSON; everything else
     * answers JSON. Empty when the path is none of these or names a group version not served: answer 404.
     *
     * @param path   the request path
     * @param accept the Accept header, may be null
     */
    public Optional<Answer> answer(String path, String accept) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/openapi/v2")) {
            if (wantsV2Protobuf(accept)) {
                return Optional.of(new Answer(v2Protobuf.clone(), V2_PROTOBUF, sha512(v2Protobuf)));
            }
            Built built = v2.get();
            return Optional.of(new Answer(built.bytes().clone(), JSON, built.hash()));
        }
        if (p.equals("/openapi/v3")) {
            return Optional.of(new Answer(v3.get().index().clone(), JSON, null));
        }
        if (p.startsWith("/openapi/v3/")) {
            String gv = p.substring("/openapi/v3/".length());
            if (!byGroupVersion.containsKey(gv)) {
                return Optional.empty();
            }
            Built built = v3.get().documents().get(gv);
            return built == null ? Optional.empty()
                    : Optional.of(new Answer(built.bytes().clone(), JSON, built.hash()));
        }
        return Optional.empty();
    }

    /**
     * {@code GET /openapi/v3}: {@code {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."},
     * "apis/apps/v1": {...}, ...}}}, one entry per served group version.
     */
    public ObjectNode v3Index() {
        return parse(v3.get().index());
    }

    /** The OpenAPI 3.0 document of one group version ({@code group} "" for core); empty if not served. */
    public Optional<ObjectNode> v3Document(String group, String version) {
        Built built = v3.get().documents().get(path(group, version));
        return built == null ? Optional.empty() : Optional.of(parse(built.bytes()));
    }

    /** The etag (hash) of one group version's document, as the index's {@code hash} parameter carries it. */
    public Optional<String> v3Hash(String group, String version) {
        Built built = v3.get().documents().get(path(group, version));
        return built == null ? Optional.empty() : Optional.of(built.hash());
    }

    /** {@code GET /openapi/v2}: one Swagger 2.0 document of every group version. */
    public ObjectNode v2Document() {
        return parse(v2.get().bytes());
    }

    /** The etag (hash) of the v2 document. */
    public String v2Hash() {
        return v2.get().hash();
    }

    /**
     * {@code GET /openapi/v2} as gnostic protobuf, what client-go asks for: {@code swagger}, {@code info} and empty
     * {@code paths}, no definitions, so kubectl skips client-side validation and leaves it to the server.
     */
    public byte[] v2Protobuf() {
        return v2Protobuf.clone();
    }

    /**
     * Whether the client wants {@code /openapi/v2} as protobuf: it lists {@link #V2_PROTOBUF_REQUESTED} or
     * {@link #V2_PROTOBUF} before any JSON media
     * range ({@code application/json}, {@code application/*}, {@code *}{@code /*}), or lists no JSON at all.
     */
    public static boolean wantsV2Protobuf(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals(V2_PROTOBUF_REQUESTED) || type.equals(V2_PROTOBUF)) {
                return true;
            }
            if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
                return false;
            }
        }
        return false;
    }

    private static byte[] serialise(ObjectNode document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an OpenAPI document did not serialise", e);
        }
    }

    private static ObjectNode parse(byte[] bytes) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an OpenAPI document did not parse back", e);
        }
    }

    /** Upper-case hex SHA-512, upstream's etag of OpenAPI documents. */
    static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-512", e);
        }
    }
}
