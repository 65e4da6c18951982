package dev.skiff.apiserver.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.handler.TypeStrategy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The Secret's per-kind behaviour beyond the generic registry. Stateless and thread-safe.
 *
 * <p>{@code stringData} is a write-only convenience of the v1 API: upstream's conversion from v1 to the internal
 * type ({@code Convert_v1_Secret_To_core_Secret}) encodes each entry into {@code data}, overwriting a key present in
 * both, and the internal type has no {@code stringData}, so it is never stored or returned. Doing it when a write
 * is prepared (create, update, the result of a patch or of server-side apply) matches that: helm and
 * {@code kubectl apply} of manifests with {@code stringData} store their values, and a later patch carrying
 * {@code stringData} again updates {@code data}. It is not done when the body is decoded because server-side
 * apply keeps only the configuration's fields that survive decoding, and the applier owns {@code stringData}
 * (as upstream, whose field manager works on the versioned object).
 */
public final class SecretStrategy implements TypeStrategy {

    @Override
    public void prepareForCreate(ObjectNode secret) {
        prepare(secret);
    }

    @Override
    public void prepareForUpdate(ObjectNode current, ObjectNode next, String subresource) {
        if (subresource.isEmpty()) {
            prepare(next);
        }
    }

    @Override
    public void validate(ObjectNode secret, ObjectNode current) {
        SecretValidation.validate(secret, current);
    }

    private static void prepare(ObjectNode secret) {
        foldStringData(secret);
        // SetDefaults_Secret runs on every write, so an update that leaves the type out keeps "Opaque"
        if (secret.path("type").asText("").isEmpty()) {
            secret.put("type", "Opaque");
        }
    }

    /** Moves every {@code stringData} entry into {@code data} (base64 of its UTF-8 bytes) and drops stringData. */
    static void foldStringData(ObjectNode secret) {
        JsonNode stringData = secret.remove("stringData");
        if (stringData == null || !stringData.isObject() || stringData.isEmpty()) {
            return;
        }
        ObjectNode data = secret.path("data") instanceof ObjectNode existing ? existing : secret.putObject("data");
        for (Map.Entry<String, JsonNode> entry : stringData.properties()) {
            // a null value decodes as the empty string in Go, as upstream's map[string]string would
            String value = entry.getValue().isNull() ? "" : entry.getValue().asText();
            data.put(entry.getKey(), Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
