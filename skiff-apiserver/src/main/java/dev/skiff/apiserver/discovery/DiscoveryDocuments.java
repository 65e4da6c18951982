package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The discovery documents of kube-apiserver v1.32, built from a snapshot of the served types:
 * <table>
 *   <caption>endpoints</caption>
 *   <tr><th>request</th><th>method</th><th>Content-Type</th></tr>
 *   <tr><td>{@code GET /api}</td><td>{@link #apiVersions(String)}</td><td>{@link #JSON}</td></tr>
 *   <tr><td>{@code GET /api}, aggregated Accept</td><td>{@link #aggregatedCore(AggregatedDiscoveryVersion)}</td>
 *       <td>{@link AggregatedDiscoveryVersion#contentType()}</td></tr>
 *   <tr><td>{@code GET /apis}</td><td>{@link #apiGroupList()}</td><td>{@link #JSON}</td></tr>
 *   <tr><td>{@code GET /apis}, aggregated Accept</td><td>{@link #aggregatedGroups(AggregatedDiscoveryVersion)}</td>
 *       <td>{@link AggregatedDiscoveryVersion#contentType()}</td></tr>
 *   <tr><td>{@code GET /apis/{group}}</td><td>{@link #apiGroup(String)}</td><td>{@link #JSON}</td></tr>
 *   <tr><td>{@code GET /api/v1}, {@code GET /apis/{group}/{version}}</td>
 *       <td>{@link #apiResourceList(String, String)}</td><td>{@link #JSON}</td></tr>
 *   <tr><td>{@code GET /version}</td><td>{@link #version()}</td><td>{@link #JSON}</td></tr>
 * </table>
 * {@link #answer(String, String, String)} does the routing and the Accept negotiation in one call.
 *
 * <p>Field names, field order, omitted fields and ordering follow upstream's serialisation (e.g. {@code /api} and
 * {@code /api/v1} carry no {@code apiVersion}, {@code /apis} and {@code /apis/...} do; aggregated
 * {@code responseKind} leaves group and version empty for same-group kinds), because clients parse them with
 * upstream's Go types.
 *
 * <p>Thread-safe and immutable: the types are copied from the catalog when this is built, so one instance answers
 * for one catalog snapshot; build a new one when custom resources change. Every call returns a fresh document the
 * caller may keep or modify; building one takes microseconds, so callers may also cache the serialised bytes per
 * instance.
 */
public final class DiscoveryDocuments {

    /** Content-Type of every legacy discovery document and of {@code /version}. */
    public static final String JSON = "application/json";

    /**
     * One answer: the document and its Content-Type.
     *
     * @param body        the document
     * @param contentType the value of the Content-Type header
     */
    public record Answer(ObjectNode body, String contentType) {

        public Answer {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final KubernetesVersion version;
    /** Group ("" for core) → version → types, groups in upstream order, versions preferred first. */
    private final Map<String, Map<String, List<ResourceType>>> served;

    /** Discovery for the catalog's current types and the given version document. */
    public DiscoveryDocuments(ResourceCatalog catalog, KubernetesVersion version) {
        this(catalog.all(), version);
    }

    /** Discovery for exactly these types (in registration order: a group's first version is its preferred one). */
    public DiscoveryDocuments(Collection<ResourceType> types, KubernetesVersion version) {
        this.version = Objects.requireNonNull(version, "version");
        Map<String, Map<String, List<ResourceType>>> byGroup = new LinkedHashMap<>();
        for (ResourceType type : types) {
            byGroup.computeIfAbsent(type.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(type.version(), v -> new ArrayList<>()).add(type);
        }
        Map<String, Map<String, List<ResourceType>>> ordered = new LinkedHashMap<>();
        byGroup.keySet().stream().sorted(GroupOrder.UPSTREAM).forEach(group -> {
            Map<String, List<ResourceType>> versions = new LinkedHashMap<>();
            byGroup.get(group).forEach((v, list) -> versions.put(v, List.copyOf(list)));
            ordered.put(group, Collections.unmodifiableMap(versions));
        });
        this.served = Collections.unmodifiableMap(ordered);
    }

    /**
     * Routes a discovery request: {@code /api}, {@code /apis}, {@code /apis/{group}}, {@code /api/v1},
     * {@code /apis/{group}/{version}} and {@code /version} (a trailing slash is ignored). {@code /api} and
     * {@code /apis} answer in the aggregated form when {@code accept} asks for it (see
     * {@link AggregatedDiscoveryVersion#negotiate(String)}). Empty when the path is none of these or names a group
     * or version not served: the caller answers 404.
     *
     * @param path          the request path, without query
     * @param accept        the Accept header, may be null
     * @param serverAddress host:port clients should use, for {@code /api}'s serverAddressByClientCIDRs
     */
    public Optional<Answer> answer(String path, String accept, String serverAddress) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/version")) {
            return Optional.of(new Answer(version(), JSON));
        }
        if (p.equals("/api") || p.equals("/apis")) {
            Optional<AggregatedDiscoveryVersion> aggregated = AggregatedDiscoveryVersion.negotiate(accept);
            if (aggregated.isPresent()) {
                AggregatedDiscoveryVersion v = aggregated.get();
                return Optional.of(new Answer(p.equals("/api") ? aggregatedCore(v) : aggregatedGroups(v),
                        v.contentType()));
            }
            return Optional.of(new Answer(p.equals("/api") ? apiVersions(serverAddress) : apiGroupList(), JSON));
        }
        String[] parts = p.split("/");
        if (parts.length == 3 && parts[1].equals("api")) {
            return apiResourceList("", parts[2]).map(doc -> new Answer(doc, JSON));
        }
        if (parts.length == 3 && parts[1].equals("apis")) {
            return apiGroup(parts[2]).map(doc -> new Answer(doc, JSON));
        }
        if (parts.length == 4 && parts[1].equals("apis")) {
            return apiResourceList(parts[2], parts[3]).map(doc -> new Answer(doc, JSON));
        }
        return Optional.empty();
    }

    /** {@code GET /version}. */
    public ObjectNode version() {
        return version.toJson();
    }

    /** The served non-core groups, in upstream's order. */
    public List<String> groups() {
        return served.keySet().stream().filter(g -> !g.isEmpty()).toList();
    }

    /** The served versions of {@code group} ("" for core), preferred first; empty if the group is not served. */
    public List<String> versions(String group) {
        Map<String, List<ResourceType>> versions = served.get(group);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /**
     * {@code GET /api} (legacy): {@code APIVersions}, e.g.
     * {@code {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0",
     * "serverAddress":"10.0.0.1:6443"}]}}.
     *
     * @param serverAddress host:port clients should use
     */
    public ObjectNode apiVersions(String serverAddress) {
        ObjectNode doc = NODES.objectNode();
        doc.put("kind", "APIVersions");
        doc.set("versions", ApiResource.strings(versions("")));
        ArrayNode addresses = doc.putArray("serverAddressByClientCIDRs");
        ObjectNode address = addresses.addObject();
        address.put("clientCIDR", "0.0.0.0/0");
        address.put("serverAddress", serverAddress);
        return doc;
    }

    /** {@code GET /apis} (legacy): {@code APIGroupList} of every non-core group. */
    public ObjectNode apiGroupList() {
        ObjectNode doc = NODES.objectNode();
        doc.put("kind", "APIGroupList");
        doc.put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        for (String group : groups()) {
            groups.add(groupBody(group));
        }
        return doc;
    }

    /** {@code GET /apis/{group}}: {@code APIGroup}; empty if the group is not served (or is core). */
    public Optional<ObjectNode> apiGroup(String group) {
        if (group.isEmpty() || !served.containsKey(group)) {
            return Optional.empty();
        }
        ObjectNode doc = NODES.objectNode();
        doc.put("kind", "APIGroup");
        doc.put("apiVersion", "v1");
        doc.setAll(groupBody(group));
        return Optional.of(doc);
    }

    private ObjectNode groupBody(String group) {
        ObjectNode body = NODES.objectNode();
        body.put("name", group);
        ArrayNode versions = body.putArray("versions");
        for (String v : versions(group)) {
            versions.add(groupVersion(group, v));
        }
        body.set("preferredVersion", groupVersion(group, versions(group).get(0)));
        return body;
    }

    private static ObjectNode groupVersion(String group, String version) {
        ObjectNode node = NODES.objectNode();
        node.put("groupVersion", group + "/" + version);
        node.put("version", version);
        return node;
    }

    /**
     * {@code GET /api/v1} ({@code group} "") or {@code GET /apis/{group}/{version}}: {@code APIResourceList} with one
     * entry per resource and per subresource, sorted by name; empty if that group version is not served.
     */
    public Optional<ObjectNode> apiResourceList(String group, String version) {
        List<ResourceType> types = types(group, version);
        if (types.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode doc = NODES.objectNode();
        doc.put("kind", "APIResourceList");
        if (!group.isEmpty()) {
            doc.put("apiVersion", "v1");
        }
        doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = doc.putArray("resources");
        for (ApiResource resource : ApiResource.ofAll(types)) {
            resources.add(resource.toJson());
        }
        return Optional.of(doc);
    }

    /** The types of one group version, empty if not served. */
    public List<ResourceType> types(String group, String version) {
        Map<String, List<ResourceType>> versions = served.get(group);
        if (versions == null) {
            return List.of();
        }
        return versions.getOrDefault(version, List.of());
    }

    /** {@code GET /api} (aggregated): an {@code APIGroupDiscoveryList} with the core group as its only item. */
    public ObjectNode aggregatedCore(AggregatedDiscoveryVersion format) {
        ObjectNode doc = aggregatedList(format);
        if (served.containsKey("")) {
            ((ArrayNode) doc.get("items")).add(groupDiscovery(""));
        }
        return doc;
    }

    /** {@code GET /apis} (aggregated): an {@code APIGroupDiscoveryList} of every non-core group. */
    public ObjectNode aggregatedGroups(AggregatedDiscoveryVersion format) {
        ObjectNode doc = aggregatedList(format);
        ArrayNode items = (ArrayNode) doc.get("items");
        for (String group : groups()) {
            items.add(groupDiscovery(group));
        }
        return doc;
    }

    private static ObjectNode aggregatedList(AggregatedDiscoveryVersion format) {
        ObjectNode doc = NODES.objectNode();
        doc.put("kind", AggregatedDiscoveryVersion.LIST_KIND);
        doc.put("apiVersion", format.apiVersion());
        doc.putObject("metadata");
        doc.putArray("items");
        return doc;
    }

    private ObjectNode groupDiscovery(String group) {
        ObjectNode item = NODES.objectNode();
        ObjectNode metadata = item.putObject("metadata");
        if (!group.isEmpty()) {
            metadata.put("name", group);
        }
        // Go serialises the zero metav1.Time of ObjectMeta as null; kept for byte-level likeness.
        metadata.putNull("creationTimestamp");
        ArrayNode versions = item.putArray("versions");
        for (String v : versions(group)) {
            ObjectNode version = versions.addObject();
            version.put("version", v);
            version.set("resources", resourceDiscoveries(ApiResource.ofAll(types(group, v))));
            version.put("freshness", "Current");
        }
        return item;
    }

    /** Upstream's ConvertGroupVersionIntoToDiscovery: resources in order, each with its subresources. */
    private static ArrayNode resourceDiscoveries(List<ApiResource> entries) {
        Map<String, ObjectNode> parents = new LinkedHashMap<>();
        for (ApiResource entry : entries) {
            if (entry.isSubresource()) {
                continue;
            }
            ObjectNode node = NODES.objectNode();
            node.put("resource", entry.name());
            node.set("responseKind", responseKind(entry));
            node.put("scope", entry.namespaced() ? "Namespaced" : "Cluster");
            node.put("singularResource", entry.singularName());
            node.set("verbs", ApiResource.strings(entry.verbs()));
            if (!entry.shortNames().isEmpty()) {
                node.set("shortNames", ApiResource.strings(entry.shortNames()));
            }
            if (!entry.categories().isEmpty()) {
                node.set("categories", ApiResource.strings(entry.categories()));
            }
            parents.put(entry.name(), node);
        }
        for (ApiResource entry : entries) {
            ObjectNode parent = parents.get(entry.resource());
            if (!entry.isSubresource() || parent == null) {
                continue;
            }
            ArrayNode subresources = parent.has("subresources")
                    ? (ArrayNode) parent.get("subresources") : parent.putArray("subresources");
            ObjectNode sub = subresources.addObject();
            sub.put("subresource", entry.subresource());
            sub.set("responseKind", responseKind(entry));
            sub.set("verbs", ApiResource.strings(entry.verbs()));
        }
        ArrayNode resources = NODES.arrayNode();
        parents.values().forEach(resources::add);
        return resources;
    }

    private static ObjectNode responseKind(ApiResource entry) {
        return new GroupVersionKind(entry.group() == null ? "" : entry.group(),
                entry.version() == null ? "" : entry.version(), entry.kind()).toJson();
    }
}
