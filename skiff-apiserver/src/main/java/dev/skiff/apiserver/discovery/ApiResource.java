package dev.skiff.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of an {@code APIResourceList} ({@code metav1.APIResource}): a resource or a subresource
 * ({@code "pods/status"}) of one group version, with the values kube-apiserver v1.32 reports. Both discovery forms
 * (the per-group-version lists and the aggregated {@code APIGroupDiscoveryList}) are rendered from these, as
 * upstream derives the aggregated form from the legacy one. Immutable.
 *
 * @param name               "pods", or "pods/status" for a subresource
 * @param singularName       "pod"; "" for subresources (upstream leaves it empty)
 * @param namespaced         whether objects live in namespaces (a subresource follows its parent)
 * @param group              group of {@code kind} when it differs from the listing's group version, else null
 * @param version            version of {@code kind} when it differs, else null
 * @param kind               the kind read or written
 * @param verbs              sorted verbs
 * @param shortNames         short names, empty for subresources
 * @param categories         categories, empty for subresources
 * @param storageVersionHash hash of the storage version, null for subresources and resources never stored
 */
public record ApiResource(String name, String singularName, boolean namespaced, String group, String version,
        String kind, List<String> verbs, List<String> shortNames, List<String> categories,
        String storageVersionHash) {

    /**
     * Where upstream stores a kind in another version than the one served: the storage version is what
     * {@code storageVersionHash} hashes. Keyed by "group/Kind".
     */
    private static final Map<String, GroupVersionKind> STORAGE_VERSIONS = Map.of(
            "events.k8s.io/Event", new GroupVersionKind("", "v1", "Event"),
            "autoscaling/HorizontalPodAutoscaler",
            new GroupVersionKind("autoscaling", "v2", "HorizontalPodAutoscaler"));

    public ApiResource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(singularName, "singularName");
        Objects.requireNonNull(kind, "kind");
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
    }

    /** The resource itself followed by its subresources, each as upstream's discovery lists it. */
    public static List<ApiResource> of(ResourceType type) {
        List<ApiResource> entries = new ArrayList<>();
        entries.add(new ApiResource(type.plural(), type.singular(), type.namespaced(), null, null, type.kind(),
                type.verbs().stream().sorted().toList(), type.shortNames(), type.categories(),
                storageVersionHash(type)));
        for (String name : type.subresources()) {
            Subresource sub = Subresource.of(type, name);
            entries.add(new ApiResource(type.plural() + "/" + name, "", type.namespaced(),
                    sub.crossGroup() ? sub.kind().group() : null, sub.crossGroup() ? sub.kind().version() : null,
                    sub.kind().kind(), sub.verbs(), List.of(), List.of(), null));
        }
        return entries;
    }

    /** Every entry of one group version's types, sorted by name as upstream's installer registers them. */
    public static List<ApiResource> ofAll(List<ResourceType> types) {
        return types.stream().flatMap(t -> of(t).stream()).sorted(Comparator.comparing(ApiResource::name)).toList();
    }

    /**
     * Upstream's hash for a stored resource; null for create-only resources that are never stored (bindings,
     * reviews), as upstream omits it there.
     */
    static String storageVersionHash(ResourceType type) {
        if (!type.supports("get") && !type.supports("list")) {
            return null;
        }
        GroupVersionKind stored = STORAGE_VERSIONS.getOrDefault(type.group() + "/" + type.kind(),
                new GroupVersionKind(type.group(), type.version(), type.kind()));
        return StorageVersionHash.of(stored.group(), stored.version(), stored.kind());
    }

    /** Whether this is a subresource ("pods/status"). */
    public boolean isSubresource() {
        return name.indexOf('/') >= 0;
    }

    /** The resource part of the name: "pods" for both "pods" and "pods/status". */
    public String resource() {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }

    /** The subresource part of the name, "" for a resource. */
    public String subresource() {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(slash + 1);
    }

    /** The {@code metav1.APIResource} JSON, field order and omissions as upstream. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("singularName", singularName);
        node.put("namespaced", namespaced);
        if (group != null && !group.isEmpty()) {
            node.put("group", group);
        }
        if (version != null && !version.isEmpty()) {
            node.put("version", version);
        }
        node.put("kind", kind);
        node.set("verbs", strings(verbs));
        if (!shortNames.isEmpty()) {
            node.set("shortNames", strings(shortNames));
        }
        if (!categories.isEmpty()) {
            node.set("categories", strings(categories));
        }
        if (storageVersionHash != null && !storageVersionHash.isEmpty()) {
            node.put("storageVersionHash", storageVersionHash);
        }
        return node;
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
