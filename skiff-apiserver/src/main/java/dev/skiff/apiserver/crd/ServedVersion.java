package dev.skiff.apiserver.crd;

import dev.skiff.apiserver.crd.schema.Schema;
import dev.skiff.apiserver.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to serve one version of a custom resource, derived from its CRD (upstream's per-version
 * {@code crdInfo}).
 *
 * @param type        the served type (what the catalog, discovery and routing see)
 * @param crdName     the CRD's name
 * @param schema      the structural schema (defaults already pruned)
 * @param version     the CRD version entry
 * @param warnings    warnings for every request (deprecation)
 * @param terminating whether the CRD is being deleted (creates are refused)
 */
record ServedVersion(ResourceType type, String crdName, Schema schema, CrdVersion version, List<String> warnings,
        boolean terminating) {

    ServedVersion {
        warnings = List.copyOf(warnings);
    }

    /** The served versions of {@code crd}, highest priority first. */
    static List<ServedVersion> of(CustomResourceDefinition crd) {
        List<ServedVersion> served = new ArrayList<>();
        List<CrdVersion> versions = new ArrayList<>(crd.served());
        versions.sort((a, b) -> VersionPriority.HIGHEST_FIRST.compare(a.name(), b.name()));
        for (CrdVersion version : versions) {
            List<String> subresources = new ArrayList<>();
            if (version.status()) {
                subresources.add("status");
            }
            if (version.scale() != null) {
                subresources.add("scale");
            }
            CrdNames names = crd.names();
            ResourceType type = new ResourceType(crd.group(), version.name(), names.kind(), names.plural(),
                    names.singular(), crd.namespaced(), names.shortNames(), names.categories(),
                    ResourceType.ALL_VERBS, subresources);
            List<String> warnings = version.deprecated()
                    ? List.of(version.deprecationWarning() != null ? version.deprecationWarning()
                            : defaultDeprecationWarning(crd, version, versions))
                    : List.of();
            served.add(new ServedVersion(type, crd.name(), Schema.parse(version.schema()), version, warnings,
                    crd.terminating()));
        }
        return served;
    }

    /** Upstream's {@code defaultDeprecationWarning}: names the best served, non-deprecated, newer version. */
    private static String defaultDeprecationWarning(CustomResourceDefinition crd, CrdVersion deprecated,
            List<CrdVersion> byPriority) {
        String message = crd.group() + "/" + deprecated.name() + " " + crd.names().kind() + " is deprecated";
        for (CrdVersion candidate : byPriority) {
            if (!candidate.deprecated()
                    && VersionPriority.HIGHEST_FIRST.compare(candidate.name(), deprecated.name()) < 0) {
                return message + "; use " + crd.group() + "/" + candidate.name() + " " + crd.names().kind();
            }
        }
        return message;
    }
}
