package dev.skiff.apiserver.handler;

import dev.skiff.apiserver.openapi.ListMergeFacts;
import java.util.List;
import java.util.Optional;

/**
 * {@link PatchMeta}'s list strategies as the OpenAPI documents publish them, so the schemas say what this server's
 * strategic merge patch does. Pure; thread-safe.
 */
final class PatchMetaFacts implements ListMergeFacts {

    static final PatchMetaFacts INSTANCE = new PatchMetaFacts();

    private PatchMetaFacts() {
    }

    @Override
    public Optional<ListMerge> forList(String kind, List<String> path, String field) {
        return switch (PatchMeta.forList(kind, path, field)) {
            case PatchMeta.ByKey byKey -> Optional.of(ListMerge.byKey(byKey.key()));
            case PatchMeta.PrimitiveSet set -> Optional.of(ListMerge.primitiveSet());
            case PatchMeta.Replace replace -> Optional.empty();
        };
    }
}
