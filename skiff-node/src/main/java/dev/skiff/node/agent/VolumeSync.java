package dev.skiff.node.agent;

import dev.skiff.node.agent.volume.VolumeManager;
import dev.skiff.node.ipam.IpPool;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.InetAddress;
import java.util.function.Function;

/**
 * Keeps mounted ConfigMaps, Secrets, tokens and downward-API files current, as the kubelet's volume resync does:
 * the volumes of pods that reference a changed object are rewritten at once, every pod's on each periodic resync
 * (which renews tokens at 80% of their life). A volume that cannot be rewritten keeps its old files and is
 * reported as {@code FailedMount}. Thread-safe (the volume manager serialises each pod).
 */
final class VolumeSync {

    private final VolumeManager volumes;
    private final PodPreparation preparation;
    private final IpPool pool;
    private final PodEvents events;
    private final Function<String, Pod> latest;

    /** @param latest the newest copy of a pod by UID, or null when the agent no longer tracks it */
    VolumeSync(VolumeManager volumes, PodPreparation preparation, IpPool pool, PodEvents events,
               Function<String, Pod> latest) {
        this.volumes = volumes;
        this.preparation = preparation;
        this.pool = pool;
        this.events = events;
        this.latest = latest;
    }

    /** A ConfigMap ({@code secret} false) or Secret changed: rewrite the volumes of the pods that mount it. */
    void objectChanged(String namespace, boolean secret, String name) {
        for (Pod pod : volumes.preparedPods()) {
            if (namespace.equals(pod.getMetadata().getNamespace()) && VolumeManager.references(pod, secret, name)) {
                resync(pod);
            }
        }
    }

    /** Rewrites the atomic volumes of every pod that has some. */
    void resyncAll() {
        volumes.preparedPods().forEach(this::resync);
    }

    private void resync(Pod prepared) {
        Pod current = latest.apply(prepared.getMetadata().getUid());
        Pod pod = current == null ? prepared : current;
        InetAddress ip = pool.addressOf(pod.getMetadata().getUid()).orElse(null);
        for (var failure : volumes.resync(pod, preparation.downward(pod, ip))) {
            events.record(pod, null, false, true, "FailedMount", failure.eventMessage());
        }
    }
}
