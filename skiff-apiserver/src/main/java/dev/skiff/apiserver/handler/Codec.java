package dev.skiff.apiserver.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.skiff.apiserver.protobuf.KubernetesProtobuf;
import dev.skiff.apiserver.protobuf.MalformedProtobufException;
import dev.skiff.apiserver.status.ApiException;
import java.io.IOException;
import java.util.Locale;

/**
 * Request and response bodies: JSON (and YAML, which kube-apiserver also accepts and serves), and Kubernetes
 * protobuf request bodies of built-in kinds (decoded to the same JSON). Responses are never protobuf: clients that
 * ask for it also accept JSON. Thread-safe.
 */
public final class Codec {

    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";

    private final ObjectMapper json;
    private final ObjectMapper yaml;

    public Codec(ObjectMapper json) {
        this.json = json;
        this.yaml = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }

    public ObjectMapper json() {
        return json;
    }

    /** The media type without parameters, lowercased ("application/json" when absent). */
    public static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return JSON;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** Decodes a request body that must be one object. 400 for malformed input, 415 for unknown media types. */
    public ObjectNode decodeObject(byte[] body, String contentType) {
        JsonNode node = decode(body, contentType);
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("the body of the request was malformed: expected a JSON object, got "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString().toLowerCase(
                            Locale.ROOT)));
        }
        return object;
    }

    /** Decodes any JSON (or YAML) document, or a Kubernetes protobuf object (what kubectl's typed commands send). */
    public JsonNode decode(byte[] body, String contentType) {
        String media = mediaType(contentType);
        if (media.equals(KubernetesProtobuf.MEDIA_TYPE)) {
            if (body.length == 0) {
                throw ApiException.badRequest("the body of the request was empty");
            }
            try {
                return KubernetesProtobuf.decode(body);
            } catch (MalformedProtobufException e) {
                throw ApiException.badRequest("the body of the request was malformed: " + e.getMessage());
            }
        }
        ObjectMapper mapper = switch (media) {
            case JSON, "application/json-patch+json", "application/merge-patch+json",
                    "application/strategic-merge-patch+json", "*/*" -> json;
            case YAML, "application/apply-patch+yaml", "application/x-yaml", "text/yaml" -> yaml;
            default -> throw ApiException.unsupportedMediaType(media);
        };
        if (body.length == 0) {
            throw ApiException.badRequest("the body of the request was empty");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body of the request was malformed: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("the body of the request could not be read: " + e.getMessage());
        }
    }

    /** Encodes a response body in JSON, or YAML if that is what the client prefers. */
    public byte[] encode(Object value, boolean asYaml) {
        try {
            return asYaml ? yaml.writeValueAsBytes(value) : json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw ApiException.internal("cannot encode the response: " + e.getMessage());
        }
    }

    /** Whether the Accept header prefers YAML over JSON. */
    public static boolean prefersYaml(String accept) {
        if (accept == null) {
            return false;
        }
        String first = accept.split(",")[0];
        String media = mediaType(first);
        return media.equals(YAML) || media.equals("application/x-yaml") || media.equals("text/yaml");
    }
}
