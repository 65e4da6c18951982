package dev.skiff.apiserver.openapi.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Go packages the built-in API groups' types live in, which upstream's definition names are made of:
 * {@code io.k8s.api.apps.v1.Deployment}, {@code io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON}.
 * Custom resources are named by their reversed group ({@code com.example.stable.v1.CronTab}).
 */
public final class ApiPackages {

    /** The package of the meta types every group shares (ObjectMeta, ListMeta, Status, ...). */
    public static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1";

    private static final Map<String, String> BUILTIN = Map.ofEntries(
            Map.entry("", "io.k8s.api.core"),
            Map.entry("admissionregistration.k8s.io", "io.k8s.api.admissionregistration"),
            Map.entry("apiextensions.k8s.io", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions"),
            Map.entry("apiregistration.k8s.io", "io.k8s.kube-aggregator.pkg.apis.apiregistration"),
            Map.entry("apps", "io.k8s.api.apps"),
            Map.entry("authentication.k8s.io", "io.k8s.api.authentication"),
            Map.entry("authorization.k8s.io", "io.k8s.api.authorization"),
            Map.entry("autoscaling", "io.k8s.api.autoscaling"),
            Map.entry("batch", "io.k8s.api.batch"),
            Map.entry("certificates.k8s.io", "io.k8s.api.certificates"),
            Map.entry("coordination.k8s.io", "io.k8s.api.coordination"),
            Map.entry("discovery.k8s.io", "io.k8s.api.discovery"),
            Map.entry("events.k8s.io", "io.k8s.api.events"),
            Map.entry("flowcontrol.apiserver.k8s.io", "io.k8s.api.flowcontrol"),
            Map.entry("internal.apiserver.k8s.io", "io.k8s.api.apiserverinternal"),
            Map.entry("networking.k8s.io", "io.k8s.api.networking"),
            Map.entry("node.k8s.io", "io.k8s.api.node"),
            Map.entry("policy", "io.k8s.api.policy"),
            Map.entry("rbac.authorization.k8s.io", "io.k8s.api.rbac"),
            Map.entry("resource.k8s.io", "io.k8s.api.resource"),
            Map.entry("scheduling.k8s.io", "io.k8s.api.scheduling"),
            Map.entry("storage.k8s.io", "io.k8s.api.storage"),
            Map.entry("storagemigration.k8s.io", "io.k8s.api.storagemigration"));

    private ApiPackages() {
    }

    /** Whether {@code group} is one of Kubernetes' own (as opposed to a custom resource's). */
    public static boolean isBuiltin(String group) {
        return BUILTIN.containsKey(group);
    }

    /** The package (without version) of a group's types: built-in packages, else the reversed group. */
    public static String of(String group) {
        String pkg = BUILTIN.get(group);
        if (pkg != null) {
            return pkg;
        }
        List<String> labels = new ArrayList<>(List.of(group.split("\\.")));
        Collections.reverse(labels);
        return String.join(".", labels);
    }

    /**
     * The built-in group whose package ends in {@code lastSegment}, ignoring case: the Java client prefixes a model
     * with it when two groups have a type of the same name ({@code CoreV1EndpointPort}, {@code RbacV1Subject}).
     */
    public static Optional<String> groupOfPackageSegment(String lastSegment) {
        String wanted = lastSegment.toLowerCase(Locale.ROOT);
        return BUILTIN.entrySet().stream()
                .filter(e -> e.getValue().substring(e.getValue().lastIndexOf('.') + 1).equals(wanted))
                .map(Map.Entry::getKey).findFirst();
    }

    /** The last segment of a built-in group's package, capitalised: {@code Core}, {@code Rbac}, {@code Events}. */
    public static String segmentPrefix(String group) {
        String pkg = of(group);
        String last = pkg.substring(pkg.lastIndexOf('.') + 1);
        return Character.toUpperCase(last.charAt(0)) + last.substring(1);
    }
}
