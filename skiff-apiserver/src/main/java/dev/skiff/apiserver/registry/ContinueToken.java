package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.status.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A list continuation: the revision the first page was read at and the key to start the next page from, relative
 * to the collection prefix. Encoded like kube-apiserver's token (URL-safe base64 of
 * {@code {"v":"meta.k8s.io/v1","rv":N,"start":"..."}}) so clients treat it as the opaque string they expect.
 */
public record ContinueToken(long revision, String start) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "meta.k8s.io/v1";

    public String encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("rv", revision);
        node.put("start", start);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a client's token; a malformed one is a 400, as upstream. */
    public static ContinueToken decode(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_'));
            JsonNode node = JSON.readTree(raw);
            if (!VERSION.equals(node.path("v").asText()) || !node.path("rv").canConvertToLong()
                    || node.path("rv").asLong() <= 0 || !node.path("start").isTextual()) {
                throw new IllegalArgumentException("unexpected content");
            }
            String start = node.path("start").asText();
            if (start.startsWith("/") || start.contains("..")) {
                throw new IllegalArgumentException("bad start key");
            }
            return new ContinueToken(node.path("rv").asLong(), start);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ApiException.badRequest("invalid value for continue: " + token);
        }
    }
}
