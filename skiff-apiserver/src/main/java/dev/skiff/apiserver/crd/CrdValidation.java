package dev.skiff.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.crd.schema.FieldError;
import dev.skiff.apiserver.crd.schema.FieldPath;
import dev.skiff.apiserver.crd.schema.StructuralCheck;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The main rules of apiextensions' {@code ValidateCustomResourceDefinition} and {@code ...Update} for v1 CRDs:
 * the name is {@code <plural>.<group>}, the group is a domain (protected ones need the approval annotation), the
 * scope is Namespaced or Cluster, versions are unique DNS-1035 names with exactly one storage version (a CRD may
 * serve none, as upstream allows), each has a structural schema ({@link StructuralCheck}), valid subresources and printer columns, names
 * are DNS-1035 labels; on update group and plural never change, scope and kind not once established, and every
 * stored version stays listed. Failures are one 422 naming each field, as upstream.
 */
final class CrdValidation {

    static final String GROUP = "apiextensions.k8s.io";
    static final String KIND = "CustomResourceDefinition";
    private static final String APPROVAL = "api-approved.kubernetes.io";
    private static final List<String> COLUMN_TYPES = List.of("boolean", "date", "integer", "number", "string");
    private static final List<String> COLUMN_FORMATS = List.of("byte", "date", "date-time", "double", "float",
            "int32", "int64", "password");

    private CrdValidation() {
    }

    /** Throws 422 Invalid unless {@code crd} (an update of {@code old} when not null) is acceptable. */
    static void validate(ObjectNode crd, ObjectNode old) {
        List<FieldError> errors = errors(crd, old);
        if (!errors.isEmpty()) {
            List<Status.Cause> causes = errors.stream().map(FieldError::toCause).toList();
            throw ApiException.invalid(GROUP, KIND, crd.path("metadata").path("name").asText(""), causes);
        }
    }

    static List<FieldError> errors(ObjectNode crd, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        String plural = spec.path("names").path("plural").asText("");
        String name = crd.path("metadata").path("name").asText("");
        if (!name.equals(plural + "." + group)) {
            errors.add(FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
        if (isProtected(group) && crd.path("metadata").path("annotations").path(APPROVAL).asText("").isEmpty()) {
            errors.add(FieldError.required("metadata.annotations[" + APPROVAL + "]", "protected groups must have "
                    + "approval annotation \"" + APPROVAL + "\", see https://github.com/kubernetes/enhancements/pull/"
                    + "1111"));
        }
        group(group, errors);
        scope(spec.path("scope").asText(""), errors);
        versions(spec.path("versions"), errors);
        names(spec.path("names"), "spec.names", true, errors);
        if (spec.path("preserveUnknownFields").asBoolean(false)) {
            errors.add(FieldError.invalid("spec.preserveUnknownFields", BooleanNode.TRUE, "cannot set to true, set "
                    + "x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
        }
        String conversion = spec.path("conversion").path("strategy").asText("None");
        if (!conversion.equals("None") && !conversion.equals("Webhook")) {
            errors.add(FieldError.notSupported("spec.conversion.strategy", spec.path("conversion").path("strategy"),
                    List.of("None", "Webhook")));
        }
        if (old != null) {
            update(crd, old, errors);
        }
        return errors;
    }

    private static boolean isProtected(String group) {
        return group.equals("k8s.io") || group.endsWith(".k8s.io") || group.equals("kubernetes.io")
                || group.endsWith(".kubernetes.io");
    }

    private static void group(String group, List<FieldError> errors) {
        if (group.isEmpty()) {
            errors.add(FieldError.required("spec.group", ""));
        } else if (!DnsNames.dns1123Subdomain(group).isEmpty()) {
            errors.add(FieldError.invalid("spec.group", group, DnsNames.dns1123Subdomain(group)));
        } else if (!group.contains(".")) {
            errors.add(FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
        }
    }

    private static void scope(String scope, List<FieldError> errors) {
        if (scope.isEmpty()) {
            errors.add(FieldError.required("spec.scope", ""));
        } else if (!scope.equals("Cluster") && !scope.equals("Namespaced")) {
            errors.add(FieldError.notSupported("spec.scope",
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(scope), List.of("Cluster", "Namespaced")));
        }
    }

    private static void versions(JsonNode versions, List<FieldError> errors) {
        int storage = 0;
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (int i = 0; i < versions.size(); i++) {
            JsonNode version = versions.get(i);
            String path = FieldPath.index("spec.versions", i);
            String name = version.path("name").asText("");
            storage += version.path("storage").asBoolean(false) ? 1 : 0;
            unique &= seen.add(name);
            String problem = DnsNames.dns1035Label(name);
            if (!problem.isEmpty()) {
                errors.add(FieldError.invalid(FieldPath.child(path, "name"), name, problem));
            }
            errors.addAll(StructuralCheck.check(version.path("schema").get("openAPIV3Schema"),
                    FieldPath.child(path, "schema.openAPIV3Schema")));
            scale(version.path("subresources").path("scale"), FieldPath.child(path, "subresources.scale"), errors);
            columns(version.path("additionalPrinterColumns"), FieldPath.child(path, "additionalPrinterColumns"),
                    errors);
        }
        JsonNode value = versions.isEmpty() ? NullNode.getInstance() : versions;
        if (!unique) {
            errors.add(FieldError.invalid("spec.versions", value, "must contain unique version names"));
        }
        if (storage != 1) {
            errors.add(FieldError.invalid("spec.versions", value,
                    "must have exactly one version marked as storage version"));
        }
    }

    private static void scale(JsonNode scale, String path, List<FieldError> errors) {
        if (!scale.isObject()) {
            return;
        }
        pathUnder(scale, "specReplicasPath", path, List.of("spec"), "should be a json path under .spec", true,
                errors);
        pathUnder(scale, "statusReplicasPath", path, List.of("status"), "should be a json path under .status", true,
                errors);
        pathUnder(scale, "labelSelectorPath", path, List.of("spec", "status"),
                "should be a json path under either .spec or .status", false, errors);
    }

    private static void pathUnder(JsonNode scale, String field, String path, List<String> roots, String detail,
            boolean required, List<FieldError> errors) {
        String value = scale.path(field).asText("");
        String fieldPath = FieldPath.child(path, field);
        if (value.isEmpty()) {
            if (required) {
                errors.add(FieldError.required(fieldPath, ""));
            }
            return;
        }
        boolean ok = SimpleJsonPath.parse(value).filter(SimpleJsonPath::fieldsOnly)
                .filter(p -> roots.contains(p.first()) && value.indexOf('.', 1) > 0).isPresent();
        if (!ok) {
            errors.add(FieldError.invalid(fieldPath, value, detail));
        }
    }

    private static void columns(JsonNode columns, String path, List<FieldError> errors) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String columnPath = FieldPath.index(path, i);
            if (column.path("name").asText("").isEmpty()) {
                errors.add(FieldError.required(FieldPath.child(columnPath, "name"), ""));
            }
            String type = column.path("type").asText("");
            if (type.isEmpty()) {
                errors.add(FieldError.required(FieldPath.child(columnPath, "type"), ""));
            } else if (!COLUMN_TYPES.contains(type)) {
                errors.add(FieldError.notSupported(FieldPath.child(columnPath, "type"), column.get("type"),
                        COLUMN_TYPES));
            }
            String format = column.path("format").asText("");
            if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
                errors.add(FieldError.notSupported(FieldPath.child(columnPath, "format"), column.get("format"),
                        COLUMN_FORMATS));
            }
            String jsonPath = column.path("jsonPath").asText("");
            if (jsonPath.isEmpty()) {
                errors.add(FieldError.required(FieldPath.child(columnPath, "jsonPath"), ""));
            } else if (SimpleJsonPath.parse(jsonPath).isEmpty()) {
                errors.add(FieldError.invalid(FieldPath.child(columnPath, "jsonPath"), jsonPath,
                        "must be a simple json path starting with ."));
            }
        }
    }

    /** spec.names (all required) or status.acceptedNames (checked only where given). */
    static void names(JsonNode names, String path, boolean required, List<FieldError> errors) {
        for (String field : List.of("plural", "singular", "kind", "listKind")) {
            String value = names.path(field).asText("");
            String fieldPath = FieldPath.child(path, field);
            if (value.isEmpty()) {
                if (required) {
                    errors.add(FieldError.required(fieldPath, ""));
                }
                continue;
            }
            boolean mixedCase = field.equals("kind") || field.equals("listKind");
            String problem = DnsNames.dns1035Label(mixedCase ? value.toLowerCase(Locale.ROOT) : value);
            if (!problem.isEmpty()) {
                errors.add(FieldError.invalid(fieldPath, value,
                        mixedCase ? "may have mixed case, but should otherwise match: " + problem : problem));
            }
        }
        for (String list : List.of("shortNames", "categories")) {
            JsonNode values = names.path(list);
            for (int i = 0; i < values.size(); i++) {
                String problem = DnsNames.dns1035Label(values.get(i).asText(""));
                if (!problem.isEmpty()) {
                    errors.add(FieldError.invalid(FieldPath.index(FieldPath.child(path, list), i),
                            values.get(i).asText(""), problem));
                }
            }
        }
        String kind = names.path("kind").asText("");
        if (!kind.isEmpty() && kind.equals(names.path("listKind").asText(""))) {
            errors.add(FieldError.invalid(FieldPath.child(path, "listKind"), kind,
                    "kind and listKind may not be the same"));
        }
    }

    private static void update(ObjectNode crd, ObjectNode old, List<FieldError> errors) {
        JsonNode spec = crd.path("spec");
        JsonNode oldSpec = old.path("spec");
        immutable("spec.group", spec.path("group"), oldSpec.path("group"), errors);
        immutable("spec.names.plural", spec.path("names").path("plural"), oldSpec.path("names").path("plural"),
                errors);
        if (CrdStatus.isTrue(old, "Established")) {
            immutable("spec.scope", spec.path("scope"), oldSpec.path("scope"), errors);
            immutable("spec.names.kind", spec.path("names").path("kind"), oldSpec.path("names").path("kind"),
                    errors);
        }
        JsonNode stored = crd.path("status").path("storedVersions");
        if (stored.isEmpty()) {
            errors.add(FieldError.invalid("status.storedVersions", NullNode.getInstance(),
                    "must have at least one stored version"));
        }
        Set<String> versions = new HashSet<>();
        spec.path("versions").forEach(v -> versions.add(v.path("name").asText("")));
        for (int i = 0; i < stored.size(); i++) {
            if (!versions.contains(stored.get(i).asText())) {
                errors.add(FieldError.invalid(FieldPath.index("status.storedVersions", i), stored.get(i).asText(),
                        "must appear in spec.versions"));
            }
        }
        names(crd.path("status").path("acceptedNames"), "status.acceptedNames", false, errors);
    }

    private static void immutable(String path, JsonNode now, JsonNode before, List<FieldError> errors) {
        if (!now.equals(before)) {
            errors.add(FieldError.invalid(path, now, "field is immutable"));
        }
    }
}
