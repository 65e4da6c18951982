package dev.skiff.node.runtime;

import java.util.List;
import java.util.Objects;

/**
 * One container of an instance, as much of a pod's container as a runtime needs to run it. Volumes, probes and
 * ports are not here: probes are the node agent's job, and volumes and ports arrive with the real runtime.
 *
 * @param name            unique within the instance (init and main containers share one name space)
 * @param image           the image reference, as written in the pod
 * @param imagePullPolicy when to pull it
 * @param command         the entrypoint override (empty: the image's)
 * @param args            the arguments override (empty: the image's)
 * @param workingDir      the working directory (null: the image's)
 * @param env             environment variables, resolved, in order
 * @param resources       requests and limits
 * @param stdin           whether the container keeps a stdin open (for attach)
 * @param tty             whether the container runs with a terminal
 */
public record ContainerSpec(String name, String image, ImagePullPolicy imagePullPolicy, List<String> command,
                            List<String> args, String workingDir, List<EnvVar> env, ResourceRequirements resources,
                            boolean stdin, boolean tty) {

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        if (name.isEmpty() || image.isEmpty()) {
            throw new IllegalArgumentException("container name and image must not be empty");
        }
        imagePullPolicy = imagePullPolicy == null ? ImagePullPolicy.IF_NOT_PRESENT : imagePullPolicy;
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        resources = resources == null ? ResourceRequirements.NONE : resources;
    }

    /** A container with only a name and an image; everything else defaulted. */
    public static ContainerSpec of(String name, String image) {
        return new ContainerSpec(name, image, null, null, null, null, null, null, false, false);
    }

    public ContainerSpec withResources(ResourceRequirements newResources) {
        return new ContainerSpec(name, image, imagePullPolicy, command, args, workingDir, env, newResources, stdin,
                tty);
    }

    public ContainerSpec withCommand(List<String> newCommand, List<String> newArgs) {
        return new ContainerSpec(name, image, imagePullPolicy, newCommand, newArgs, workingDir, env, resources, stdin,
                tty);
    }
}
