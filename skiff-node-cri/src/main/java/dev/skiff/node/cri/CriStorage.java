package dev.skiff.node.cri;

import dev.skiff.node.cri.client.CriClient;
import dev.skiff.node.cri.client.CriException;
import dev.skiff.node.runtime.EphemeralUsage;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.stats.DiskUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ephemeral storage of one instance's containers, measured as the kubelet's CRI stats provider measures it:
 * the writable layer from the CRI's {@code ContainerStats} ({@code writable_layer.used_bytes}, which containerd
 * refreshes from its snapshotter every {@code stats_collect_period}, 10 s by default) and the container's log files
 * under the sandbox's log directory (every attempt's, as the kubelet counts {@code /var/log/pods}). A container
 * whose stats the runtime cannot give (it was just removed, or never created) counts its logs only. Blocks on
 * containerd and the file system.
 */
final class CriStorage {

    private CriStorage() {
    }

    static EphemeralUsage of(CriClient client, CriRuntimeConfig config, CriInstance instance, Instant now) {
        Map<String, String> containers = new LinkedHashMap<>();
        InstanceSpec spec;
        synchronized (instance.lock) {
            spec = instance.spec;
            for (Track t : instance.tracks()) {
                containers.put(t.spec.name(), t.containerId);
            }
        }
        Path logs = CriSpecs.logDirectory(config, spec);
        List<EphemeralUsage.ContainerUsage> usage = new ArrayList<>();
        for (Map.Entry<String, String> c : containers.entrySet()) {
            long logBytes = DiskUsage.bytesUnder(logs.resolve(c.getKey()));
            if (c.getValue() == null && logBytes == 0) {
                continue; // never created: it occupies nothing yet
            }
            long layer = 0;
            if (c.getValue() != null) {
                try {
                    layer = client.containerStats(c.getValue()).getWritableLayer().getUsedBytes().getValue();
                } catch (CriException e) {
                    // gone between the snapshot and the call: its layer is gone with it
                }
            }
            usage.add(new EphemeralUsage.ContainerUsage(c.getKey(), layer, logBytes));
        }
        return new EphemeralUsage(spec.id(), now, usage);
    }
}
