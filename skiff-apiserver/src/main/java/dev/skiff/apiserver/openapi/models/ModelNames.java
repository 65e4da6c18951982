package dev.skiff.apiserver.openapi.models;

import dev.skiff.apiserver.discovery.GroupVersionKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the Java client names its models after upstream's definitions, and back.
 *
 * <p>The client drops the package of a definition and keeps its version and Go type:
 * {@code io.k8s.api.apps.v1.Deployment} is {@code V1Deployment}, {@code io.k8s.api.autoscaling.v2.MetricSpec}
 * {@code V2MetricSpec}. Where two groups have a type of the same name and version it keeps the last package segment
 * as a prefix: {@code CoreV1EndpointPort} and {@code DiscoveryV1EndpointPort}, {@code RbacV1Subject} and
 * {@code FlowcontrolV1Subject}. So a class name gives the version and Go type, and the group only when prefixed; the
 * group of the others is decided by {@link BuiltinDefinitions} from the kinds that use them.
 */
public final class ModelNames {

    private static final Pattern MODEL = Pattern.compile("([A-Z][a-z]+)?(V[0-9]+(?:(?:alpha|beta)[0-9]+)?)([A-Z].*)");

    /**
     * The meta/v1 types (package {@code k8s.io/apimachinery/pkg/apis/meta/v1}) the models include; every group's
     * objects use them, so who uses them says nothing about where they live.
     */
    static final Set<String> META_TYPES = Set.of("APIGroup", "APIGroupList", "APIResource", "APIResourceList",
            "APIVersions", "Condition", "DeleteOptions", "GroupVersionForDiscovery", "LabelSelector",
            "LabelSelectorRequirement", "ListMeta", "ManagedFieldsEntry", "ObjectMeta", "OwnerReference",
            "Preconditions", "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails", "WatchEvent");

    /**
     * core/v1 types that only other groups' kinds use (StorageClass's allowedTopologies): found from those kinds,
     * they would otherwise be taken for the other group's own.
     */
    static final Set<String> CORE_TYPES_USED_ELSEWHERE = Set.of("TopologySelectorTerm",
            "TopologySelectorLabelRequirement");

    private ModelNames() {
    }

    /**
     * A model class name taken apart.
     *
     * @param group   the group its prefix names ({@code Core} → "", {@code Rbac} → rbac.authorization.k8s.io), or
     *                null when it has no prefix
     * @param version the API version, lower case ({@code v1beta1})
     * @param goType  the Go type name ({@code EndpointPort})
     */
    public record Parsed(String group, String version, String goType) {
    }

    /** Takes {@code simpleName} apart; empty for classes not named after a versioned definition. */
    public static Optional<Parsed> parse(String simpleName) {
        Matcher m = MODEL.matcher(simpleName);
        if (!m.matches()) {
            return Optional.empty();
        }
        String group = null;
        if (m.group(1) != null) {
            Optional<String> prefixed = ApiPackages.groupOfPackageSegment(m.group(1));
            if (prefixed.isEmpty()) {
                return Optional.empty();
            }
            group = prefixed.get();
        }
        return Optional.of(new Parsed(group, "v" + m.group(2).substring(1), m.group(3)));
    }

    /** The class names a kind's model may have: prefixed with its group's package first, then plain. */
    public static List<String> candidates(GroupVersionKind gvk) {
        String version = "V" + gvk.version().substring(1);
        return List.of(ApiPackages.segmentPrefix(gvk.group()) + version + gvk.kind(), version + gvk.kind());
    }

    /** A definition name: package of {@code group}, version, Go type. */
    public static String definition(String group, String version, String goType) {
        return ApiPackages.of(group) + "." + version + "." + goType;
    }
}
