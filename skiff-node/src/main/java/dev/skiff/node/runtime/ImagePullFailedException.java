package dev.skiff.node.runtime;

/**
 * A {@link InstanceRuntime#pullImage pull} the registry refused or could not serve: the message is the runtime's
 * reason, fit to show a user (as the kubelet's {@code ErrImagePull} message is).
 */
public final class ImagePullFailedException extends InstanceRuntimeException {

    public ImagePullFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
