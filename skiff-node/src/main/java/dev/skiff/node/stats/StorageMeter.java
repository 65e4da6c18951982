package dev.skiff.node.stats;

import dev.skiff.node.runtime.EphemeralUsage;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures a pod's ephemeral storage: asks the runtime for its containers' writable layers and logs, and walks the
 * directories of its volumes the node agent made (the kubelet's {@code du} of each volume). Thread-safe; blocks
 * on the runtime and the file system, so it runs on virtual threads.
 */
public final class StorageMeter {

    /** Where the node agent keeps a pod's volume. */
    @FunctionalInterface
    public interface VolumeDirs {
        Path dir(String podUid, String volume);
    }

    private final InstanceRuntime runtime;
    private final VolumeDirs dirs;

    public StorageMeter(InstanceRuntime runtime, VolumeDirs dirs) {
        this.runtime = runtime;
        this.dirs = dirs;
    }

    /** The pod's storage, or empty when the runtime has no instance for it. */
    public Optional<PodStorage> measure(Pod pod) {
        String uid = pod.getMetadata().getUid();
        Optional<EphemeralUsage> containers = runtime.ephemeralStorage(InstanceId.of(uid));
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        List<PodStorage.VolumeUsage> volumes = new ArrayList<>();
        if (pod.getSpec().getVolumes() != null) {
            for (Volume v : pod.getSpec().getVolumes()) {
                measured(uid, v).ifPresent(volumes::add);
            }
        }
        return Optional.of(new PodStorage(containers.get().timestamp(), containers.get(), volumes,
                EphemeralCapacity.bytes(pod)));
    }

    /**
     * The volumes that live in the pod's directory on the node: emptyDir (disk or memory), configMap, secret,
     * downwardAPI and projected. Only disk-backed emptyDir and configMap count towards ephemeral storage, as in
     * the kubelet (secrets and projected volumes are tmpfs there).
     */
    private Optional<PodStorage.VolumeUsage> measured(String uid, Volume v) {
        boolean emptyDir = v.getEmptyDir() != null;
        if (!emptyDir && v.getConfigMap() == null && v.getSecret() == null && v.getDownwardAPI() == null
                && v.getProjected() == null) {
            return Optional.empty();
        }
        Path dir = dirs.dir(uid, v.getName());
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        boolean memory = emptyDir && "Memory".equals(v.getEmptyDir().getMedium());
        boolean ephemeral = (emptyDir && !memory) || v.getConfigMap() != null;
        Quantity limit = emptyDir ? v.getEmptyDir().getSizeLimit() : null;
        long limitBytes = limit == null ? 0 : Quantity.getAmountInBytes(limit).longValue();
        return Optional.of(new PodStorage.VolumeUsage(v.getName(), DiskUsage.bytesUnder(dir), ephemeral, limitBytes));
    }
}
