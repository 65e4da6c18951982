package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every kind shares (upstream's ValidateObjectMeta): the name's format for the resource, label keys and
 * values, annotation keys, and that the body's apiVersion/kind match the URL. Failures are 422 Invalid naming each
 * field, or 400 for a body of the wrong type, exactly as kube-apiserver words them.
 */
public final class ObjectValidation {

    private static final String SUBDOMAIN_REGEX = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_REGEX);
    private static final String LABEL_REGEX = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern LABEL = Pattern.compile(LABEL_REGEX);
    private static final String DNS1035_REGEX = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1035 = Pattern.compile(DNS1035_REGEX);
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    /** Resources whose names must be DNS-1123 labels (upstream's ValidateNamespaceName and friends). */
    private static final Set<String> LABEL_NAMED = Set.of("namespaces");
    /** Resources whose names must be DNS-1035 labels. */
    private static final Set<String> DNS1035_NAMED = Set.of("services");
    /** Resources whose names are only path segments (RBAC). */
    private static final Set<String> PATH_SEGMENT_NAMED = Set.of("roles", "rolebindings", "clusterroles",
            "clusterrolebindings");

    private ObjectValidation() {
    }

    /** 400 unless the body's apiVersion and kind (where given) are those of {@code type}. */
    public static void checkTypeMatches(ResourceType type, ObjectNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")");
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest(kind + " in version \"" + type.version()
                    + "\" cannot be handled as a " + type.kind() + ": the kind in the data (" + kind
                    + ") does not match the expected kind (" + type.kind() + ")");
        }
        if (!object.path("metadata").isMissingNode() && !object.path("metadata").isObject()) {
            throw ApiException.badRequest(type.kind() + " in version \"" + type.version()
                    + "\" cannot be handled as a " + type.kind() + ": metadata must be an object");
        }
    }

    /** 422 Invalid unless name, labels and annotations are well formed. */
    public static void validateMetadata(ResourceType type, ObjectNode object) {
        List<Status.Cause> causes = new ArrayList<>();
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            causes.add(new Status.Cause("FieldValueRequired", "Required value: name or generateName is required",
                    "metadata.name"));
        } else {
            String problem = nameProblem(type, name);
            if (problem != null) {
                causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + name + "\": " + problem,
                        "metadata.name"));
            }
        }
        validateLabels(metadata.path("labels"), causes);
        validateAnnotations(metadata.path("annotations"), causes);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type.group(), type.kind(), name, causes);
        }
    }

    /** Why {@code name} is not a valid name for {@code type}, or null. */
    public static String nameProblem(ResourceType type, String name) {
        if (PATH_SEGMENT_NAMED.contains(type.plural())) {
            if (name.equals(".") || name.equals("..")) {
                return "may not be '" + name + "'";
            }
            if (name.contains("/") || name.contains("%")) {
                return "may not contain '/' or '%'";
            }
            return null;
        }
        if (LABEL_NAMED.contains(type.plural())) {
            return dns1123Label(name);
        }
        if (DNS1035_NAMED.contains(type.plural())) {
            if (name.length() > 63) {
                return "must be no more than 63 characters";
            }
            return DNS1035.matcher(name).matches() ? null : "a DNS-1035 label must consist of lower case "
                    + "alphanumeric characters or '-', start with an alphabetic character, and end with an "
                    + "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '"
                    + DNS1035_REGEX + "')";
        }
        if (name.length() > 253) {
            return "must be no more than 253 characters";
        }
        return SUBDOMAIN.matcher(name).matches() ? null : "a lowercase RFC 1123 subdomain must consist of lower "
                + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'example.com', regex used for validation is '" + SUBDOMAIN_REGEX + "')";
    }

    /** Why {@code value} is not a DNS-1123 label, or null. */
    public static String dns1123Label(String value) {
        if (value.length() > 63) {
            return "must be no more than 63 characters";
        }
        return LABEL.matcher(value).matches() ? null : "a lowercase RFC 1123 label must consist of lower case "
                + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                + "'my-name',  or '123-abc', regex used for validation is '" + LABEL_REGEX + "')";
    }

    private static void validateLabels(JsonNode labels, List<Status.Cause> causes) {
        if (labels.isMissingNode() || labels.isNull()) {
            return;
        }
        if (!labels.isObject()) {
            causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: must be a map of strings",
                    "metadata.labels"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            String keyProblem = qualifiedNameProblem(label.getKey());
            if (keyProblem != null) {
                causes.add(new Status.Cause("FieldValueInvalid",
                        "Invalid value: \"" + label.getKey() + "\": " + keyProblem, "metadata.labels"));
            }
            String value = label.getValue().asText("");
            if (!label.getValue().isTextual() || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: \"" + value
                        + "\": a valid label must be an empty string or consist of alphanumeric characters, '-', "
                        + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
                        + "'my_value',  or '12345', regex used for validation is "
                        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", "metadata.labels"));
            }
        }
    }

    private static void validateAnnotations(JsonNode annotations, List<Status.Cause> causes) {
        if (annotations.isMissingNode() || annotations.isNull()) {
            return;
        }
        if (!annotations.isObject()) {
            causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: must be a map of strings",
                    "metadata.annotations"));
            return;
        }
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> annotation = it.next();
            String problem = qualifiedNameProblem(annotation.getKey());
            if (problem != null) {
                causes.add(new Status.Cause("FieldValueInvalid",
                        "Invalid value: \"" + annotation.getKey() + "\": " + problem, "metadata.annotations"));
            }
            total += annotation.getKey().length() + annotation.getValue().asText("").length();
        }
        if (total > 256 * 1024) {
            causes.add(new Status.Cause("FieldValueTooLong", "Too long: must have at most 262144 bytes",
                    "metadata.annotations"));
        }
    }

    /** Why {@code key} is not a qualified name ({@code [prefix/]name}), or null. */
    static String qualifiedNameProblem(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !SUBDOMAIN.matcher(prefix).matches()) {
                return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character";
            }
        }
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                    + "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        }
        return null;
    }
}
