package dev.skiff.node.agent;

import dev.skiff.node.agent.env.ContainerConfigException;
import dev.skiff.node.agent.env.DownwardApi;
import dev.skiff.node.agent.env.EnvResolver;
import dev.skiff.node.agent.env.ResolvedContainer;
import dev.skiff.node.agent.volume.VolumeException;
import dev.skiff.node.agent.volume.VolumeManager;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.Mount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Everything the kubelet resolves before it starts a pod's containers, in its order: volumes first (the pod
 * worker's wait for mounts), then each container's environment, command/args expansion and mounts. The result is
 * the {@link InstanceSpec} the runtime runs, or why the pod cannot start yet. Thread-safe.
 */
final class PodPreparation {

    /** What preparing a pod gave. */
    sealed interface Result {

        /**
         * Ready to run; {@code warnings} are {@code InvalidEnvironmentVariableNames} messages per container,
         * {@code pullSecretWarning} names image pull Secrets that could not be read (null when none).
         */
        record Ready(InstanceSpec spec, List<String[]> warnings, String pullSecretWarning) implements Result {
        }

        /** A container's configuration cannot be resolved: upstream's {@code CreateContainerConfigError}. */
        record ConfigError(String container, String message) implements Result {
        }

        /** A volume cannot be set up: upstream's {@code FailedMount}. */
        record MountError(VolumeException error) implements Result {
        }
    }

    private final EnvResolver env;
    private final VolumeManager volumes;
    private final String hostIp;
    private final PodPullSecrets pullSecrets;

    /** Without image pull Secrets: every pull is anonymous. */
    PodPreparation(EnvResolver env, VolumeManager volumes, String hostIp) {
        this(env, volumes, hostIp, null);
    }

    /** @param pullSecrets the pod's registry credentials, or null to pull anonymously */
    PodPreparation(EnvResolver env, VolumeManager volumes, String hostIp, PodPullSecrets pullSecrets) {
        this.env = env;
        this.volumes = volumes;
        this.hostIp = hostIp;
        this.pullSecrets = pullSecrets;
    }

    Result prepare(Pod pod, InetAddress podIp) {
        DownwardApi downward = downward(pod, podIp);
        try {
            volumes.prepare(pod, downward);
        } catch (VolumeException e) {
            return new Result.MountError(e);
        }
        List<String[]> warnings = new ArrayList<>();
        List<ContainerSpec> init = new ArrayList<>();
        List<ContainerSpec> main = new ArrayList<>();
        var spec = pod.getSpec();
        try {
            for (Container c : spec.getInitContainers() == null ? List.<Container>of() : spec.getInitContainers()) {
                init.add(container(pod, c, downward, warnings));
            }
            for (Container c : spec.getContainers()) {
                main.add(container(pod, c, downward, warnings));
            }
        } catch (Failed f) {
            return f.result;
        }
        InstanceSpec ready = PodSpecs.toSpec(pod, podIp, init, main);
        if (pullSecrets == null) {
            return new Result.Ready(ready, warnings, null);
        }
        // The kubelet reads the pull Secrets right before pulling, i.e. after the containers' configuration.
        PodPullSecrets.Found found = pullSecrets.resolve(pod);
        return new Result.Ready(ready.withPullCredentials(found.credentials()), warnings, found.warning());
    }

    /**
     * {@link #prepare}, recording the kubelet's events: {@code InvalidEnvironmentVariableNames} warnings, and for a
     * pod that cannot start {@code Failed} ("Error: ...") or {@code FailedMount}, after which {@code blocked} gets
     * the container (null for a volume) and the message its status shows.
     *
     * @return the spec to run, or null when the pod cannot start yet
     */
    InstanceSpec prepareReporting(Pod pod, InetAddress podIp, PodEvents events,
                                  BiConsumer<String, String> blocked) {
        switch (prepare(pod, podIp)) {
            case Result.Ready r -> {
                r.warnings().forEach(w -> events.record(pod, w[0], false, true, "InvalidEnvironmentVariableNames",
                        w[1]));
                if (r.pullSecretWarning() != null) {
                    events.record(pod, null, false, true, PodPullSecrets.MISSING_REASON, r.pullSecretWarning());
                }
                return r.spec();
            }
            case Result.ConfigError c -> {
                events.record(pod, c.container(), false, true, "Failed", "Error: " + c.message());
                blocked.accept(c.container(), c.message());
                return null;
            }
            case Result.MountError m -> {
                events.record(pod, null, false, true, "FailedMount", m.error().eventMessage());
                blocked.accept(null, m.error().eventMessage());
                return null;
            }
        }
    }

    /** The downward API as the pod's containers see it. */
    DownwardApi downward(Pod pod, InetAddress podIp) {
        return new DownwardApi(pod, podIp == null ? null : podIp.getHostAddress(), hostIp);
    }

    private ContainerSpec container(Pod pod, Container c, DownwardApi downward, List<String[]> warnings)
            throws Failed {
        ResolvedContainer resolved;
        try {
            resolved = env.resolve(c, downward);
        } catch (ContainerConfigException e) {
            throw new Failed(new Result.ConfigError(c.getName(), e.getMessage()));
        }
        resolved.invalidKeys().forEach(m -> warnings.add(new String[] {c.getName(), m}));
        List<Mount> mounts;
        try {
            mounts = volumes.mounts(pod, c, resolved.env());
        } catch (VolumeException e) {
            throw new Failed(new Result.MountError(e));
        }
        ContainerSpec base = PodSpecs.container(c);
        return new ContainerSpec(base.name(), base.image(), base.imagePullPolicy(), resolved.command(),
                resolved.args(), base.workingDir(), resolved.env(), base.resources(), base.stdin(), base.tty(),
                mounts, ContainerSecurities.of(pod.getSpec().getSecurityContext(), c));
    }

    /** Carries a failure out of the per-container loop. */
    private static final class Failed extends Exception {
        final Result result;

        Failed(Result result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
