package dev.skiff.node.agent.volume;

/**
 * A volume cannot be set up: a non-optional ConfigMap, Secret or key is missing, a token cannot be requested, the
 * volume type is not offered by an elastic container instance, or the node's disk failed. The agent reports it as
 * the kubelet does ({@code FailedMount}: {@code MountVolume.SetUp failed for volume "v" : <message>}) and retries;
 * the pod stays Pending with its containers {@code ContainerCreating}.
 */
public final class VolumeException extends Exception {

    private final String volume;

    public VolumeException(String volume, String message) {
        super(message);
        this.volume = volume;
    }

    public String volume() {
        return volume;
    }

    /** The kubelet's FailedMount event message. */
    public String eventMessage() {
        return "MountVolume.SetUp failed for volume \"" + volume + "\" : " + getMessage();
    }
}
