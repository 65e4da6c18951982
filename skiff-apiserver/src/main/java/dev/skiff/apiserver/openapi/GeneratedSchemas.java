package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.openapi.models.BuiltinDefinitions;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generated definitions of the built-in kinds as one document build uses them: rendered per flavour, each
 * definition once however many group versions' documents contain it, with the list merge facts of the server.
 * Without the Java client's models it has nothing, and the documents fall back to minimal schemas.
 *
 * <p>Not thread-safe: confined to the one thread that builds a set of documents.
 */
final class GeneratedSchemas {

    private final BuiltinDefinitions definitions;
    private final ListExtensions lists;
    private final Map<Schemas.Flavour, Map<String, ObjectNode>> rendered = new EnumMap<>(Schemas.Flavour.class);

    private GeneratedSchemas(BuiltinDefinitions definitions, ListExtensions lists) {
        this.definitions = definitions;
        this.lists = lists;
    }

    /** No generated definitions: minimal schemas only. */
    static GeneratedSchemas none() {
        return new GeneratedSchemas(null, ListExtensions.none());
    }

    static GeneratedSchemas of(Optional<BuiltinDefinitions> definitions, ListMergeFacts facts) {
        return definitions.map(d -> new GeneratedSchemas(d, ListExtensions.of(d, facts))).orElseGet(
                GeneratedSchemas::none);
    }

    /** The definition name of a generated kind. */
    Optional<String> nameOf(GroupVersionKind kind) {
        return definitions == null ? Optional.empty() : definitions.nameOf(kind);
    }

    /** The meta types every document carries in full when they are generated (custom resources use them too). */
    List<String> common() {
        if (definitions == null) {
            return List.of();
        }
        return List.of(Schemas.OBJECT_META, Schemas.LIST_META).stream()
                .filter(name -> definitions.get(name).isPresent()).toList();
    }

    /** The schemas of {@code names} and of everything they refer to, by name. */
    Map<String, ObjectNode> closure(Collection<String> names, Schemas.Flavour flavour) {
        Map<String, ObjectNode> schemas = new LinkedHashMap<>();
        if (definitions == null) {
            return schemas;
        }
        Map<String, ObjectNode> cache = rendered.computeIfAbsent(flavour, f -> new HashMap<>());
        for (String name : definitions.closure(names)) {
            schemas.put(name, cache.computeIfAbsent(name, n ->
                    DefinitionRenderer.render(definitions.get(n).orElseThrow(), flavour, lists)));
        }
        return schemas;
    }
}
