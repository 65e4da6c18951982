package dev.skiff.node.agent.env;

import dev.skiff.node.runtime.EnvVar;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment as the kubelet's {@code makeEnvironmentVariables} does:
 * <ol>
 *   <li>{@code envFrom} sources in order, each key prefixed; keys that are not valid variable names are skipped
 *       and reported; a missing ConfigMap/Secret fails unless {@code optional};</li>
 *   <li>{@code env} in order: a literal value is {@code $(VAR)}-expanded against the variables defined so far;
 *       {@code valueFrom} reads a ConfigMap/Secret key (missing: error unless optional, then the variable is
 *       skipped), a pod field or a container resource;</li>
 *   <li>command and args expanded against the final environment.</li>
 * </ol>
 * Thread-safe when the {@link ObjectSource} is.
 */
public final class EnvResolver {

    /** Upstream's {@code IsEnvVarName}: letters, digits, '_', '-', '.', not starting with a digit. */
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final ObjectSource objects;

    public EnvResolver(ObjectSource objects) {
        this.objects = Objects.requireNonNull(objects, "objects");
    }

    /** Resolves {@code container} of the pod {@code downward} describes. */
    public ResolvedContainer resolve(Container container, DownwardApi downward) throws ContainerConfigException {
        String namespace = downward.pod().getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        if (container.getEnvFrom() != null) {
            for (EnvFromSource source : container.getEnvFrom()) {
                envFrom(namespace, source, env, invalid);
            }
        }
        if (container.getEnv() != null) {
            for (io.fabric8.kubernetes.api.model.EnvVar var : container.getEnv()) {
                if (var.getValueFrom() == null) {
                    String value = var.getValue() == null ? "" : var.getValue();
                    env.put(var.getName(), Expansion.expand(value, env::get));
                    continue;
                }
                Optional<String> value = valueFrom(namespace, container, var.getValueFrom(), downward);
                value.ifPresent(v -> env.put(var.getName(), v));
            }
        }
        List<String> command = expandAll(container.getCommand(), env);
        List<String> args = expandAll(container.getArgs(), env);
        List<EnvVar> vars = env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue())).toList();
        return new ResolvedContainer(vars, command, args, invalid);
    }

    private void envFrom(String namespace, EnvFromSource source, Map<String, String> env, List<String> invalid)
            throws ContainerConfigException {
        String prefix = source.getPrefix() == null ? "" : source.getPrefix();
        Map<String, String> values;
        String kind;
        String name;
        if (source.getConfigMapRef() != null) {
            kind = "configMap";
            name = source.getConfigMapRef().getName();
            Optional<ConfigMap> cm = objects.configMap(namespace, name);
            if (cm.isEmpty()) {
                if (Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
                    return;
                }
                throw ContainerConfigException.notFound("configmap", name);
            }
            values = cm.get().getData() == null ? Map.of() : cm.get().getData();
        } else if (source.getSecretRef() != null) {
            kind = "secret";
            name = source.getSecretRef().getName();
            Optional<Secret> secret = objects.secret(namespace, name);
            if (secret.isEmpty()) {
                if (Boolean.TRUE.equals(source.getSecretRef().getOptional())) {
                    return;
                }
                throw ContainerConfigException.notFound("secret", name);
            }
            values = decoded(secret.get());
        } else {
            return;
        }
        List<String> skipped = new ArrayList<>();
        for (var e : new TreeMap<>(values).entrySet()) {
            String key = prefix + e.getKey();
            if (!ENV_NAME.matcher(key).matches()) {
                skipped.add(key);
                continue;
            }
            env.put(key, e.getValue());
        }
        if (!skipped.isEmpty()) {
            // The kubelet's wording for its InvalidEnvironmentVariableNames event.
            invalid.add("Keys [" + String.join(", ", skipped) + "] from the EnvFrom " + kind + " " + namespace + "/"
                    + name + " were skipped since they are considered invalid environment variable names.");
        }
    }

    private Optional<String> valueFrom(String namespace, Container container, EnvVarSource source,
                                       DownwardApi downward) throws ContainerConfigException {
        if (source.getFieldRef() != null) {
            return Optional.of(downward.field(source.getFieldRef().getFieldPath()));
        }
        if (source.getResourceFieldRef() != null) {
            return Optional.of(DownwardApi.resource(container, source.getResourceFieldRef()));
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> cm = objects.configMap(namespace, ref.getName());
            if (cm.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw ContainerConfigException.notFound("configmap", ref.getName());
            }
            Map<String, String> data = cm.get().getData() == null ? Map.of() : cm.get().getData();
            String value = data.get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap "
                        + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = objects.secret(namespace, ref.getName());
            if (secret.isEmpty()) {
                if (optional) {
                    return Optional.empty();
                }
                throw ContainerConfigException.notFound("secret", ref.getName());
            }
            String value = decoded(secret.get()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret "
                        + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        return Optional.empty();
    }

    /** A Secret's data decoded, with {@code stringData} over it (the API server merges it on write; be lenient). */
    public static Map<String, String> decoded(Secret secret) {
        Map<String, String> out = new TreeMap<>();
        for (var e : decodedBytes(secret).entrySet()) {
            out.put(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A Secret's data as bytes. */
    public static Map<String, byte[]> decodedBytes(Secret secret) {
        Map<String, byte[]> out = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, Base64.getMimeDecoder().decode(v == null ? "" : v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> out.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<String> expandAll(List<String> values, Map<String, String> env) {
        if (values == null) {
            return null;
        }
        return values.stream().map(v -> Expansion.expand(v, env::get)).toList();
    }
}
