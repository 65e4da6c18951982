package dev.skiff.node.runtime;

import java.util.List;
import java.util.Objects;

/**
 * One container of an instance, as much of a pod's container as a runtime needs to run it. Probes and ports are not
 * here: probes are the node agent's job (it runs them through {@link InstanceRuntime#exec} or against the pod IP),
 * and a pod's ports need no runtime work because every instance has its own address. Volumes arrive as bind
 * {@link Mount}s the agent prepared.
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
 * @param mounts          bind mounts, in the order the pod lists its {@code volumeMounts}
 * @param security        the effective security context
 */
public record ContainerSpec(String name, String image, ImagePullPolicy imagePullPolicy, List<String> command,
                            List<String> args, String workingDir, List<EnvVar> env, ResourceRequirements resources,
                            boolean stdin, boolean tty, List<Mount> mounts, ContainerSecurity security) {

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
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        security = security == null ? ContainerSecurity.DEFAULT : security;
    }

    /** A container without mounts and with the default security context. */
    public ContainerSpec(String name, String image, ImagePullPolicy imagePullPolicy, List<String> command,
                         List<String> args, String workingDir, List<EnvVar> env, ResourceRequirements resources,
                         boolean stdin, boolean tty) {
        this(name, image, imagePullPolicy, command, args, workingDir, env, resources, stdin, tty, null, null);
    }

    /** A container with only a name and an image; everything else defaulted. */
    public static ContainerSpec of(String name, String image) {
        return new ContainerSpec(name, image, null, null, null, null, null, null, false, false);
    }

    public ContainerSpec withResources(ResourceRequirements newResources) {
        return new ContainerSpec(name, image, imagePullPolicy, command, args, workingDir, env, newResources, stdin,
                tty, mounts, security);
    }

    public ContainerSpec withCommand(List<String> newCommand, List<String> newArgs) {
        return new ContainerSpec(name, image, imagePullPolicy, newCommand, newArgs, workingDir, env, resources, stdin,
                tty, mounts, security);
    }

    public ContainerSpec withMounts(List<Mount> newMounts) {
        return new ContainerSpec(name, image, imagePullPolicy, command, args, workingDir, env, resources, stdin, tty,
                newMounts, security);
    }

    public ContainerSpec withSecurity(ContainerSecurity newSecurity) {
        return new ContainerSpec(name, image, imagePullPolicy, command, args, workingDir, env, resources, stdin, tty,
                mounts, newSecurity);
    }
}
