package dev.skiff.node.runtime;

/** When the runtime pulls a container's image, as a container's {@code imagePullPolicy}. */
public enum ImagePullPolicy {
    ALWAYS, IF_NOT_PRESENT, NEVER
}
