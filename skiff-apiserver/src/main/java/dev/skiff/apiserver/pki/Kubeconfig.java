package dev.skiff.apiserver.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Writes the admin kubeconfig: a standard {@code apiVersion: v1, kind: Config} file with one cluster
 * ({@value #CLUSTER}: server URL and the CA as {@code certificate-authority-data}), one user ({@value #USER}: the
 * admin client certificate and key as {@code client-certificate-data} / {@code client-key-data}) and one context
 * ({@value #CONTEXT}) that is the {@code current-context}. kubectl, helm and client libraries read it as is.
 * Stateless and thread-safe.
 */
public final class Kubeconfig {

    /** The cluster entry's name. */
    public static final String CLUSTER = "skiff";
    /** The user entry's name. */
    public static final String USER = "skiff-admin";
    /** The context entry's name, also the current context. */
    public static final String CONTEXT = "skiff";

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private Kubeconfig() {
    }

    /**
     * The kubeconfig YAML for a client that trusts {@code caCertificatePem} and authenticates with the given
     * client certificate and key (all PEM). Thread-safe.
     *
     * @param server the API server's URL, e.g. {@code https://127.0.0.1:6443}
     */
    public static String toYaml(URI server, String caCertificatePem, String clientCertificatePem,
                                String clientKeyPem) {
        Objects.requireNonNull(server, "server");
        if (!"https".equals(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("server must be an https URL with a host: " + server);
        }
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", server.toString());
        cluster.put("certificate-authority-data", base64(caCertificatePem));

        Map<String, Object> user = new LinkedHashMap<>();
        user.put("client-certificate-data", base64(clientCertificatePem));
        user.put("client-key-data", base64(clientKeyPem));

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("cluster", CLUSTER);
        context.put("user", USER);

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", List.of(named(CLUSTER, "cluster", cluster)));
        config.put("users", List.of(named(USER, "user", user)));
        config.put("contexts", List.of(named(CONTEXT, "context", context)));
        config.put("current-context", CONTEXT);
        config.put("preferences", Map.of());
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot render kubeconfig", e);
        }
    }

    /** The admin kubeconfig ({@link ClusterPki#admin()} trusting {@link ClusterPki#ca()}) as YAML. Thread-safe. */
    public static String toYaml(URI server, ClusterPki pki) {
        return toYaml(server, pki.ca().certificatePem(), pki.admin().certificatePem(), pki.admin().privateKeyPem());
    }

    /**
     * Writes the admin kubeconfig for {@code pki} to {@code file}, atomically (temporary file, sync, rename) and
     * with mode 0600 since it holds the admin key. Replaces an existing file. Thread-safe, but concurrent writes of
     * the same file leave whichever rename came last.
     */
    public static void write(Path file, URI server, ClusterPki pki) throws IOException {
        write(file, toYaml(server, pki));
    }

    /** Writes kubeconfig {@code yaml} to {@code file} atomically with mode 0600. Thread-safe (see above). */
    public static void write(Path file, String yaml) throws IOException {
        SecureFiles.writeAtomically(file, yaml, true);
    }

    private static Map<String, Object> named(String name, String key, Map<String, Object> value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put(key, value);
        return entry;
    }

    private static String base64(String pem) {
        Objects.requireNonNull(pem, "pem");
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
