package dev.skiff.node.agent.volume;

import dev.skiff.node.agent.env.DownwardApi;
import dev.skiff.node.agent.env.Expansion;
import dev.skiff.node.agent.env.ObjectSource;
import dev.skiff.node.runtime.EnvVar;
import dev.skiff.node.runtime.Mount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's volume manager: materialises a pod's volumes under {@code <dataDir>/pods/<uid>/volumes/<name>}
 * (the kubelet's {@code /var/lib/kubelet/pods/<uid>/volumes/...}), turns its containers' {@code volumeMounts} into
 * the runtime's bind {@link Mount}s, rewrites ConfigMap/Secret/downward-API/token volumes on {@link #resync} so
 * updates reach running containers, and removes everything when the pod is gone.
 *
 * <p>Offered volume types are those an elastic container instance has: emptyDir (disk, or memory as tmpfs),
 * configMap, secret, downwardAPI and projected, plus persistentVolumeClaim as a node-local directory per claim
 * ({@code <dataDir>/claims/<namespace>/<claim>}, kept when the pod goes: there is no provisioner yet). Anything else (hostPath first of all) is refused; admission
 * already rejects hostPath, this is the node's own guard.
 *
 * <p>Thread-safe; calls for one pod are serialised by the agent's work queue and by the pod's own lock here.
 */
public final class VolumeManager {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);

    private final Path podsDir;
    private final Path claimsDir;
    private final VolumeContents contents;
    private final AtomicWriter writer;
    private final Tmpfs tmpfs;
    private final TokenSource tokens;
    /** Pods whose volumes were prepared: their latest spec, for resyncs and cleanup. */
    private final Map<String, Pod> prepared = new ConcurrentHashMap<>();
    private final Set<Path> tmpfsMounts = ConcurrentHashMap.newKeySet();

    public VolumeManager(Path dataDir, ObjectSource objects, TokenSource tokens, Clock clock, Tmpfs tmpfs) {
        this.podsDir = dataDir.resolve("pods");
        this.claimsDir = dataDir.resolve("claims");
        this.contents = new VolumeContents(objects, tokens);
        this.writer = new AtomicWriter(clock);
        this.tmpfs = tmpfs;
        this.tokens = tokens;
    }

    /** The directory of one volume of a pod. */
    public Path volumeDir(String podUid, String volume) {
        return podsDir.resolve(podUid).resolve("volumes").resolve(volume);
    }

    /** Where a volume's files are: its own directory, or its claim's for a persistentVolumeClaim. */
    private Path sourceDir(Pod pod, Volume v) {
        if (v.getPersistentVolumeClaim() != null) {
            return claimsDir.resolve(pod.getMetadata().getNamespace())
                    .resolve(v.getPersistentVolumeClaim().getClaimName());
        }
        return volumeDir(pod.getMetadata().getUid(), v.getName());
    }

    /**
     * Sets up every volume of the pod (idempotent: existing directories are reused, atomic volumes rewritten only
     * when their contents changed).
     *
     * @throws VolumeException for the first volume that cannot be set up
     */
    public void prepare(Pod pod, DownwardApi downward) throws VolumeException {
        String uid = pod.getMetadata().getUid();
        synchronized (lock(uid)) {
            for (Volume v : volumes(pod)) {
                setUp(pod, v, downward);
            }
            if (!volumes(pod).isEmpty()) {
                prepared.put(uid, pod); // only pods with volumes are resynced (a pods benchmark has none)
            }
        }
    }

    /**
     * The bind mounts of one container, in {@code volumeMounts} order: subPath (and subPathExpr, expanded with the
     * container's environment) resolved inside the volume, configMap/secret/downwardAPI/projected volumes always
     * read-only (as upstream mounts them), others as the mount says.
     *
     * @throws VolumeException if a mount names no volume of the pod or its subPath leaves the volume
     */
    public List<Mount> mounts(Pod pod, Container container, List<EnvVar> env) throws VolumeException {
        String uid = pod.getMetadata().getUid();
        Map<String, Volume> byName = new HashMap<>();
        for (Volume v : volumes(pod)) {
            byName.put(v.getName(), v);
        }
        Map<String, String> vars = new HashMap<>();
        env.forEach(e -> vars.put(e.name(), e.value()));
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount m : container.getVolumeMounts() == null ? List.<VolumeMount>of()
                : container.getVolumeMounts()) {
            Volume v = byName.get(m.getName());
            if (v == null) {
                throw new VolumeException(m.getName(), "unable to find volume \"" + m.getName() + "\" in the pod");
            }
            Path dir = sourceDir(pod, v);
            Path host = dir;
            String sub = m.getSubPath();
            if ((sub == null || sub.isEmpty()) && m.getSubPathExpr() != null) {
                sub = Expansion.expand(m.getSubPathExpr(), vars::get);
            }
            if (sub != null && !sub.isEmpty()) {
                try {
                    AtomicWriter.checkPath(sub);
                } catch (IllegalArgumentException e) {
                    throw new VolumeException(v.getName(), "invalid subPath \"" + sub + "\": must be a relative path "
                            + "that does not contain '..'");
                }
                host = dir.resolve(sub);
                if (!VolumeContents.atomic(v) && !Files.exists(host)) {
                    // The kubelet creates a missing subPath of a writable volume as a directory.
                    try {
                        Files.createDirectories(host);
                        Files.setPosixFilePermissions(host, AtomicWriter.permissions(0777));
                    } catch (IOException e) {
                        throw new VolumeException(v.getName(), "cannot create subPath: " + e.getMessage());
                    }
                }
            }
            boolean readOnly = Boolean.TRUE.equals(m.getReadOnly()) || VolumeContents.atomic(v)
                    || v.getPersistentVolumeClaim() != null && Boolean.TRUE.equals(v.getPersistentVolumeClaim()
                    .getReadOnly());
            mounts.add(new Mount(m.getMountPath(), host, readOnly));
        }
        return mounts;
    }

    /**
     * Rewrites the atomic volumes of a prepared pod (new ConfigMap/Secret data, a token due for renewal, changed
     * labels for the downward API). Pods not prepared here are ignored.
     *
     * @return the volumes that could not be rewritten (the old files stay, as upstream)
     */
    public List<VolumeException> resync(Pod pod, DownwardApi downward) {
        String uid = pod.getMetadata().getUid();
        List<VolumeException> failed = new ArrayList<>();
        synchronized (lock(uid)) {
            if (!prepared.containsKey(uid)) {
                return failed;
            }
            prepared.put(uid, pod);
            for (Volume v : volumes(pod)) {
                if (!VolumeContents.atomic(v)) {
                    continue;
                }
                try {
                    setUp(pod, v, downward);
                } catch (VolumeException e) {
                    failed.add(e);
                }
            }
        }
        return failed;
    }

    /** The pods whose volumes were prepared and not cleaned up. */
    public List<Pod> preparedPods() {
        return List.copyOf(prepared.values());
    }

    /** Whether a prepared pod reads the ConfigMap ({@code secret} false) or Secret of that name in its volumes. */
    public static boolean references(Pod pod, boolean secret, String name) {
        for (Volume v : volumes(pod)) {
            if (!secret && v.getConfigMap() != null && name.equals(v.getConfigMap().getName())) {
                return true;
            }
            if (secret && v.getSecret() != null && name.equals(v.getSecret().getSecretName())) {
                return true;
            }
            if (v.getProjected() != null && v.getProjected().getSources() != null) {
                for (var p : v.getProjected().getSources()) {
                    if (!secret && p.getConfigMap() != null && name.equals(p.getConfigMap().getName())
                            || secret && p.getSecret() != null && name.equals(p.getSecret().getName())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Unmounts and deletes everything of a pod. Idempotent. */
    public void cleanup(String uid) {
        synchronized (lock(uid)) {
            prepared.remove(uid);
            tokens.forget(uid);
            Path podDir = podsDir.resolve(uid);
            for (Path mount : List.copyOf(tmpfsMounts)) {
                if (mount.startsWith(podDir)) {
                    try {
                        tmpfs.unmount(mount);
                        tmpfsMounts.remove(mount);
                    } catch (IOException e) {
                        // Deleting under a live mount would empty the tmpfs but leave it mounted: keep the files.
                        LOG.warn("cannot unmount {}: {}", mount, e.getMessage());
                        return;
                    }
                }
            }
            try {
                AtomicWriter.deleteTree(podDir);
                // Leave no empty directories behind on a node without pods (the default data dir is a temp dir).
                Files.deleteIfExists(podsDir);
                Files.deleteIfExists(podsDir.getParent());
            } catch (UncheckedIOException e) {
                LOG.warn("cannot remove {}: {}", podDir, e.getMessage());
            } catch (IOException e) {
                // not empty: other pods still have volumes
            }
        }
        locks.remove(uid);
    }

    private void setUp(Pod pod, Volume v, DownwardApi downward) throws VolumeException {
        Path dir = sourceDir(pod, v);
        try {
            if (v.getEmptyDir() != null) {
                emptyDir(dir, v);
            } else if (v.getPersistentVolumeClaim() != null) {
                // No storage provisioner yet: a claim is a directory of the node that outlives its pods (like a
                // local-path volume), so a StatefulSet's pod finds its data again on this node.
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
                }
            } else if (VolumeContents.atomic(v)) {
                writer.write(dir, contents.of(v, downward));
            } else {
                throw new VolumeException(v.getName(), "volume type is not supported on elastic container "
                        + "instances (only emptyDir, configMap, secret, downwardAPI, projected and "
                        + "persistentVolumeClaim are)");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new VolumeException(v.getName(), e.getMessage());
        }
    }

    private void emptyDir(Path dir, Volume v) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        // emptyDir is world-writable so any container user can use it (upstream's 0777).
        Files.setPosixFilePermissions(dir, AtomicWriter.permissions(0777));
        if ("Memory".equals(v.getEmptyDir().getMedium())) {
            if (!tmpfs.available()) {
                LOG.info("emptyDir {} with medium Memory is a plain directory: mounting tmpfs needs root", dir);
                return;
            }
            Quantity limit = v.getEmptyDir().getSizeLimit();
            long size = limit == null ? 0 : Quantity.getAmountInBytes(limit).longValue();
            tmpfs.mount(dir, size);
            tmpfsMounts.add(dir);
        }
    }

    /** Unmounts every tmpfs this manager mounted (the agent's data dir is about to be removed). */
    public void unmountAll() {
        for (Path mount : List.copyOf(tmpfsMounts)) {
            try {
                tmpfs.unmount(mount);
                tmpfsMounts.remove(mount);
            } catch (IOException e) {
                LOG.warn("cannot unmount {}: {}", mount, e.getMessage());
            }
        }
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private Object lock(String uid) {
        return locks.computeIfAbsent(uid, k -> new Object());
    }

    private static List<Volume> volumes(Pod pod) {
        return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    }
}
