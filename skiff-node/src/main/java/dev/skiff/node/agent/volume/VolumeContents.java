package dev.skiff.node.agent.volume;

import dev.skiff.node.agent.env.ContainerConfigException;
import dev.skiff.node.agent.env.DownwardApi;
import dev.skiff.node.agent.env.EnvResolver;
import dev.skiff.node.agent.env.ObjectSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of a configMap, secret, downwardAPI or projected volume, as the kubelet's volume plugins compute them
 * ({@code MakePayload} of each): all keys, or only the listed {@code items} at their paths; per-item {@code mode},
 * else the volume's {@code defaultMode}, else 0644; a missing object is an error unless {@code optional} (then the
 * volume is empty); a listed key that does not exist is an error unless {@code optional}. Thread-safe.
 */
final class VolumeContents {

    static final int DEFAULT_MODE = 0644;
    /** The kubelet's default lifetime of a projected ServiceAccount token. */
    static final long DEFAULT_TOKEN_SECONDS = 3600;

    private final ObjectSource objects;
    private final TokenSource tokens;

    VolumeContents(ObjectSource objects, TokenSource tokens) {
        this.objects = objects;
        this.tokens = tokens;
    }

    /** Whether the volume is written by the atomic writer (and so mounted read-only, as upstream does). */
    static boolean atomic(Volume v) {
        return v.getConfigMap() != null || v.getSecret() != null || v.getDownwardAPI() != null
                || v.getProjected() != null;
    }

    Map<String, Payload> of(Volume v, DownwardApi downward) throws VolumeException {
        Map<String, Payload> out = new TreeMap<>();
        String ns = downward.pod().getMetadata().getNamespace();
        if (v.getConfigMap() != null) {
            var s = v.getConfigMap();
            configMap(v.getName(), ns, s.getName(), s.getItems(), s.getOptional(), mode(s.getDefaultMode()), out);
        } else if (v.getSecret() != null) {
            var s = v.getSecret();
            secret(v.getName(), ns, s.getSecretName(), s.getItems(), s.getOptional(), mode(s.getDefaultMode()), out);
        } else if (v.getDownwardAPI() != null) {
            downward(v.getName(), v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode()), downward,
                    out);
        } else if (v.getProjected() != null) {
            int mode = mode(v.getProjected().getDefaultMode());
            List<VolumeProjection> sources = v.getProjected().getSources();
            for (VolumeProjection p : sources == null ? List.<VolumeProjection>of() : sources) {
                projection(v.getName(), ns, p, mode, downward, out);
            }
        }
        return out;
    }

    private void projection(String volume, String ns, VolumeProjection p, int mode, DownwardApi downward,
                            Map<String, Payload> out) throws VolumeException {
        if (p.getConfigMap() != null) {
            var s = p.getConfigMap();
            configMap(volume, ns, s.getName(), s.getItems(), s.getOptional(), mode, out);
        } else if (p.getSecret() != null) {
            var s = p.getSecret();
            secret(volume, ns, s.getName(), s.getItems(), s.getOptional(), mode, out);
        } else if (p.getDownwardAPI() != null) {
            downward(volume, p.getDownwardAPI().getItems(), mode, downward, out);
        } else if (p.getServiceAccountToken() != null) {
            var t = p.getServiceAccountToken();
            long seconds = t.getExpirationSeconds() == null ? DEFAULT_TOKEN_SECONDS : t.getExpirationSeconds();
            try {
                String token = tokens.token(downward.pod(), t.getAudience(), seconds);
                // Upstream writes the token 0600 when the pod sets no fsGroup/runAsUser; the volume's mode otherwise.
                out.put(t.getPath(), new Payload(token.getBytes(StandardCharsets.UTF_8), mode));
            } catch (TokenSource.TokenException e) {
                throw new VolumeException(volume, e.getMessage());
            }
        } else {
            throw new VolumeException(volume, "unsupported projected volume source (only configMap, secret, "
                    + "downwardAPI and serviceAccountToken are offered)");
        }
    }

    private void configMap(String volume, String ns, String name, List<KeyToPath> items, Boolean optional, int mode,
                           Map<String, Payload> out) throws VolumeException {
        Optional<ConfigMap> cm = objects.configMap(ns, name);
        if (cm.isEmpty()) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            throw new VolumeException(volume, "configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new TreeMap<>();
        if (cm.get().getData() != null) {
            cm.get().getData().forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
        }
        if (cm.get().getBinaryData() != null) {
            cm.get().getBinaryData().forEach((k, val) -> data.put(k, Base64.getMimeDecoder().decode(val)));
        }
        keys(volume, "configmap references non-existent config key: ", data, items, optional, mode, out);
    }

    private void secret(String volume, String ns, String name, List<KeyToPath> items, Boolean optional, int mode,
                        Map<String, Payload> out) throws VolumeException {
        Optional<Secret> secret = objects.secret(ns, name);
        if (secret.isEmpty()) {
            if (Boolean.TRUE.equals(optional)) {
                return;
            }
            throw new VolumeException(volume, "secret \"" + name + "\" not found");
        }
        keys(volume, "references non-existent secret key: ", EnvResolver.decodedBytes(secret.get()), items, optional,
                mode, out);
    }

    private static void keys(String volume, String missing, Map<String, byte[]> data, List<KeyToPath> items,
                             Boolean optional, int mode, Map<String, Payload> out) throws VolumeException {
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> out.put(k, new Payload(v, mode)));
            return;
        }
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw new VolumeException(volume, missing + item.getKey());
            }
            out.put(item.getPath(), new Payload(value, item.getMode() == null ? mode : item.getMode()));
        }
    }

    private static void downward(String volume, List<DownwardAPIVolumeFile> items, int mode, DownwardApi downward,
                                 Map<String, Payload> out) throws VolumeException {
        for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            String value;
            try {
                if (item.getFieldRef() != null) {
                    value = downward.field(item.getFieldRef().getFieldPath());
                } else if (item.getResourceFieldRef() != null) {
                    value = DownwardApi.resource(container(downward.pod(),
                            item.getResourceFieldRef().getContainerName()), item.getResourceFieldRef());
                } else {
                    continue;
                }
            } catch (ContainerConfigException e) {
                throw new VolumeException(volume, e.getMessage());
            }
            out.put(item.getPath(), new Payload(value.getBytes(StandardCharsets.UTF_8),
                    item.getMode() == null ? mode : item.getMode()));
        }
    }

    private static Container container(Pod pod, String name) throws ContainerConfigException {
        var spec = pod.getSpec();
        return Stream.concat(spec.getContainers().stream(),
                        spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream())
                .filter(c -> name == null || name.isEmpty() || c.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new ContainerConfigException("container " + name + " not found in the pod"));
    }

    private static int mode(Integer mode) {
        return mode == null ? DEFAULT_MODE : mode;
    }
}
