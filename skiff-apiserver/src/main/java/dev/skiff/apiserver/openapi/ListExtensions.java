package dev.skiff.apiserver.openapi;

import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.openapi.ListMergeFacts.ListMerge;
import dev.skiff.apiserver.openapi.models.BuiltinDefinitions;
import dev.skiff.apiserver.openapi.models.Definition;
import dev.skiff.apiserver.openapi.models.Definition.ObjectDefinition;
import dev.skiff.apiserver.openapi.models.PropertyType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which list properties of which definitions merge, and how: found by walking every kind's definition from the top
 * with the field path the patch code sees, and asking {@link ListMergeFacts} at every list. A definition is shared
 * by several kinds (Container by Pod, Deployment, Job...); the first kind to reach a list decides, and the facts
 * are the same for all of them because they follow the shared Go types. Pure; thread-safe.
 */
final class ListExtensions {

    private final Map<String, Map<String, ListMerge>> merges;

    private ListExtensions(Map<String, Map<String, ListMerge>> merges) {
        this.merges = merges;
    }

    static ListExtensions none() {
        return new ListExtensions(Map.of());
    }

    static ListExtensions of(BuiltinDefinitions definitions, ListMergeFacts facts) {
        Map<String, Map<String, ListMerge>> merges = new HashMap<>();
        for (Definition definition : definitions.all().values()) {
            if (definition instanceof ObjectDefinition object) {
                for (GroupVersionKind kind : object.kinds()) {
                    if (!kind.kind().endsWith("List")) {
                        walk(definitions, facts, kind.kind(), object.name(), new ArrayList<>(), new HashSet<>(),
                                merges);
                    }
                }
            }
        }
        return new ListExtensions(merges);
    }

    private static void walk(BuiltinDefinitions definitions, ListMergeFacts facts, String kind, String name,
            List<String> path, Set<String> onPath, Map<String, Map<String, ListMerge>> merges) {
        if (!(definitions.get(name).orElse(null) instanceof ObjectDefinition object) || !onPath.add(name)) {
            return;
        }
        for (Definition.Property property : object.properties()) {
            PropertyType type = property.type();
            if (type instanceof PropertyType.ArrayOf array) {
                Optional<ListMerge> merge = facts.forList(kind, List.copyOf(path), property.name());
                merge.ifPresent(m -> merges.computeIfAbsent(name, n -> new HashMap<>())
                        .putIfAbsent(property.name(), m));
                type = array.items();
            } else if (type instanceof PropertyType.MapOf map) {
                type = map.values();
            }
            if (type instanceof PropertyType.Reference reference) {
                path.add(property.name());
                walk(definitions, facts, kind, reference.definition(), path, onPath, merges);
                path.remove(path.size() - 1);
            }
        }
        onPath.remove(name);
    }

    /** How property {@code property} of definition {@code definition} merges, if it is a merged list. */
    Optional<ListMerge> of(String definition, String property) {
        return Optional.ofNullable(merges.getOrDefault(definition, Map.of()).get(property));
    }
}
