package dev.skiff.apiserver.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Upstream's {@code ValidateSecret} and {@code ValidateSecretUpdate} (pkg/apis/core/validation) for the rules every
 * Secret type shares: each data key is a config key, all values together are at most 1 MiB, the type never changes
 * and an {@code immutable} Secret keeps its data. Messages and field paths are upstream's.
 */
final class SecretValidation {

    /** {@code core.MaxSecretSize}: what fits in one etcd value with room for the rest of the object. */
    static final int MAX_SECRET_SIZE = 1024 * 1024;
    private static final int MAX_KEY_LENGTH = 253;
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final String IMMUTABLE = "field is immutable when `immutable` is set";

    private SecretValidation() {
    }

    static void validate(ObjectNode secret, ObjectNode current) {
        List<Status.Cause> causes = new ArrayList<>();
        long size = 0;
        for (Map.Entry<String, JsonNode> entry : secret.path("data").properties()) {
            String key = entry.getKey();
            for (String problem : configKeyProblems(key)) {
                causes.add(new Status.Cause("FieldValueInvalid",
                        "Invalid value: " + quoted(key) + ": " + problem, "data[" + key + "]"));
            }
            size += decodedLength(entry.getValue().asText(""));
        }
        if (size > MAX_SECRET_SIZE) {
            causes.add(new Status.Cause("FieldValueTooLong",
                    "Too long: must have at most " + MAX_SECRET_SIZE + " bytes", "data"));
        }
        if (current != null) {
            String type = secret.path("type").asText("");
            if (!type.equals(current.path("type").asText(""))) {
                causes.add(new Status.Cause("FieldValueInvalid",
                        "Invalid value: " + quoted(type) + ": field is immutable", "type"));
            }
            if (current.path("immutable").asBoolean(false)) {
                if (!secret.path("immutable").asBoolean(false)) {
                    causes.add(new Status.Cause("FieldValueForbidden", "Forbidden: " + IMMUTABLE, "immutable"));
                }
                if (!secret.path("data").equals(current.path("data"))) {
                    causes.add(new Status.Cause("FieldValueForbidden", "Forbidden: " + IMMUTABLE, "data"));
                }
            }
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalid("", "Secret", secret.path("metadata").path("name").asText(""), causes);
        }
    }

    /** Upstream's {@code IsConfigMapKey}: the messages for each rule {@code key} breaks. */
    static List<String> configKeyProblems(String key) {
        List<String> problems = new ArrayList<>();
        if (key.length() > MAX_KEY_LENGTH) {
            problems.add("must be no more than " + MAX_KEY_LENGTH + " characters");
        }
        if (!CONFIG_KEY.matcher(key).matches()) {
            problems.add("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                    + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
        }
        if (key.equals(".")) {
            problems.add("must not be '.'");
        } else if (key.equals("..")) {
            problems.add("must not be '..'");
        } else if (key.startsWith("..")) {
            problems.add("must not start with '..'");
        }
        return problems;
    }

    private static long decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            // not base64: the codec's business, not the size rule's; count what was sent
            return base64.length();
        }
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
