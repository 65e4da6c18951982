package dev.skiff.apiserver.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource types currently served, looked up by group, version and plural. Built-in types are fixed; custom
 * resources come and go with their definitions, so the catalog is an immutable snapshot replaced on change:
 * readers never lock, and every request sees one consistent set. Thread-safe.
 */
public final class ResourceCatalog {

    private record Key(String group, String version, String plural) {
    }

    private volatile Map<Key, ResourceType> types;
    /** The OpenAPI v3 schema each custom type publishes (its CRD version's openAPIV3Schema). */
    private volatile Map<Key, JsonNode> schemas = Map.of();

    public ResourceCatalog(Collection<ResourceType> initial) {
        this.types = index(initial);
    }

    /** A catalog of the built-in types. */
    public static ResourceCatalog builtin() {
        return new ResourceCatalog(BuiltinResources.all());
    }

    private static Map<Key, ResourceType> index(Collection<ResourceType> all) {
        Map<Key, ResourceType> map = new LinkedHashMap<>();
        for (ResourceType type : all) {
            Key key = new Key(type.group(), type.version(), type.plural());
            if (map.putIfAbsent(key, type) != null) {
                throw new IllegalArgumentException("resource served twice: " + type.groupResource() + " "
                        + type.version());
            }
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    public Optional<ResourceType> find(String group, String version, String plural) {
        return Optional.ofNullable(types.get(new Key(group, version, plural)));
    }

    /** Every type, in registration order. */
    public List<ResourceType> all() {
        return List.copyOf(types.values());
    }

    /** The versions served for {@code group}, preferred (first registered) first. */
    public List<String> versions(String group) {
        Set<String> versions = new LinkedHashSet<>();
        for (ResourceType type : types.values()) {
            if (type.group().equals(group)) {
                versions.add(type.version());
            }
        }
        return List.copyOf(versions);
    }

    /** The non-core groups, in registration order. */
    public List<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        for (ResourceType type : types.values()) {
            if (!type.group().isEmpty()) {
                groups.add(type.group());
            }
        }
        return List.copyOf(groups);
    }

    /** The types of one group version. */
    public List<ResourceType> resources(String group, String version) {
        List<ResourceType> result = new ArrayList<>();
        for (ResourceType type : types.values()) {
            if (type.group().equals(group) && type.version().equals(version)) {
                result.add(type);
            }
        }
        return result;
    }

    /**
     * Adds or replaces the types of one custom resource (all its served versions) with the OpenAPI schema each
     * publishes. The schemas change before the types, so a reader finding a type finds its schema.
     */
    public synchronized void replaceCustom(String group, String plural, Collection<ResourceType> served,
            Map<ResourceType, JsonNode> published) {
        Map<Key, JsonNode> next = new LinkedHashMap<>(schemas);
        next.keySet().removeIf(k -> k.group().equals(group) && k.plural().equals(plural));
        published.forEach((type, schema) -> next.put(new Key(type.group(), type.version(), type.plural()), schema));
        schemas = java.util.Collections.unmodifiableMap(next);
        replaceCustom(group, plural, served);
    }

    /** The OpenAPI v3 schema {@code type} publishes, for custom types that have one. */
    public Optional<JsonNode> schema(ResourceType type) {
        return Optional.ofNullable(schemas.get(new Key(type.group(), type.version(), type.plural())));
    }

    /** Adds or replaces the types of one custom resource (all its served versions). */
    public synchronized void replaceCustom(String group, String plural, Collection<ResourceType> served) {
        Map<Key, ResourceType> next = new LinkedHashMap<>(types);
        next.keySet().removeIf(k -> k.group().equals(group) && k.plural().equals(plural));
        for (ResourceType type : served) {
            next.put(new Key(type.group(), type.version(), type.plural()), type);
        }
        types = java.util.Collections.unmodifiableMap(next);
    }
}
