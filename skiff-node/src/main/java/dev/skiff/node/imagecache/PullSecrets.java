package dev.skiff.node.imagecache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.node.runtime.ImageReference;
import dev.skiff.node.runtime.RegistryCredential;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads registry credentials out of image pull Secrets: {@code kubernetes.io/dockerconfigjson} (key
 * {@code .dockerconfigjson}, an {@code auths} map) and the legacy {@code kubernetes.io/dockercfg} (key
 * {@code .dockercfg}, the map itself), with either {@code username}/{@code password} or a base64 {@code auth} of
 * {@code user:password}, as the kubelet's credential provider accepts. Pure.
 */
public final class PullSecrets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PullSecrets() {
    }

    /** The credentials in {@code secret}; empty when it holds none or is malformed (the pull then goes anonymous). */
    public static List<RegistryCredential> credentials(Secret secret) {
        Map<String, String> data = secret.getData();
        if (data == null) {
            return List.of();
        }
        try {
            if (data.containsKey(".dockerconfigjson")) {
                return fromAuths(JSON.readTree(decode(data.get(".dockerconfigjson"))).path("auths"));
            }
            if (data.containsKey(".dockercfg")) {
                return fromAuths(JSON.readTree(decode(data.get(".dockercfg"))));
            }
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
        return List.of();
    }

    private static List<RegistryCredential> fromAuths(JsonNode auths) {
        List<RegistryCredential> result = new ArrayList<>();
        auths.properties().forEach(entry -> {
            JsonNode auth = entry.getValue();
            String user = auth.path("username").asText("");
            String password = auth.path("password").asText("");
            if (user.isEmpty() && auth.hasNonNull("auth")) {
                String pair = decode(auth.get("auth").asText());
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    user = pair.substring(0, colon);
                    password = pair.substring(colon + 1);
                }
            }
            result.add(new RegistryCredential(ImageReference.registryHost(entry.getKey()), user, password));
        });
        return result;
    }


    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
