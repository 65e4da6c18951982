package dev.skiff.node.runtime;

import java.util.Objects;

/**
 * An image a runtime holds locally after {@link InstanceRuntime#pullImage}.
 *
 * @param reference the reference as asked for
 * @param imageId   the runtime's id for it (an image config digest for real runtimes)
 * @param sizeBytes its size on the node, or 0 when the runtime does not know
 */
public record PulledImage(String reference, String imageId, long sizeBytes) {

    public PulledImage {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(imageId, "imageId");
    }
}
