package dev.skiff.node.cri;

import dev.skiff.node.cri.proto.Container;
import dev.skiff.node.cri.proto.PodSandbox;
import dev.skiff.node.runtime.ContainerSpec;
import dev.skiff.node.runtime.ContainerState;
import dev.skiff.node.runtime.CreateResult;
import dev.skiff.node.runtime.InstanceId;
import dev.skiff.node.runtime.InstanceSpec;
import dev.skiff.node.runtime.InstanceState;
import dev.skiff.node.runtime.RestartPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilding instances from containerd after a restart of the node agent, and telling an adopted instance's spec
 * from a new one.
 *
 * <p>The CRI keeps the pod's identity (labels, annotations, container names and images) but not a full spec
 * (commands, env, mounts). An adopted instance therefore keeps running as found, and answers the node agent's next
 * {@code create} with an equal id and equal container names and images as {@link CreateResult.Existing}, taking
 * that spec as its own from then on (restarts need it), as a kubelet re-syncs its pods after a restart.
 */
final class CriAdoption {

    private static final Logger LOG = LoggerFactory.getLogger(CriAdoption.class);

    private CriAdoption() {
    }

    static void adopt(CriRuntime runtime) {
        List<PodSandbox> sandboxes = runtime.client().listPodSandboxes(
                Map.of(CriSpecs.OWNER_LABEL, runtime.config().owner()));
        for (PodSandbox sandbox : sandboxes) {
            try {
                adoptOne(runtime, sandbox);
            } catch (RuntimeException | UnknownHostException e) {
                LOG.warn("could not adopt sandbox {}: {}", sandbox.getId(), e.getMessage());
            }
        }
        if (!sandboxes.isEmpty()) {
            LOG.info("adopted {} running instances", runtime.instances().size());
        }
    }

    private static void adoptOne(CriRuntime runtime, PodSandbox sandbox) throws UnknownHostException {
        var status = runtime.client().podSandboxStatus(sandbox.getId()).orElseThrow();
        // Latest attempt per container name, init and main apart, in creation order.
        Map<String, Container> latest = new LinkedHashMap<>();
        List<Container> containers = new ArrayList<>(runtime.client().listContainers(sandbox.getId(), Map.of()));
        containers.sort(Comparator.comparingLong(Container::getCreatedAt));
        for (Container c : containers) {
            latest.put(c.getMetadata().getName(), c);
        }
        List<ContainerSpec> init = new ArrayList<>();
        List<ContainerSpec> main = new ArrayList<>();
        for (Container c : latest.values()) {
            ContainerSpec spec = ContainerSpec.of(c.getMetadata().getName(), c.getImage().getImage());
            ("true".equals(c.getLabelsOrDefault(CriSpecs.INIT_LABEL, "false")) ? init : main).add(spec);
        }
        if (main.isEmpty()) {
            // Created but never got its containers: nothing worth adopting; remove it.
            runtime.client().stopPodSandbox(sandbox.getId());
            runtime.client().removePodSandbox(sandbox.getId());
            return;
        }
        Map<String, String> annotations = new LinkedHashMap<>(sandbox.getAnnotationsMap());
        RestartPolicy policy = RestartPolicy.valueOf(annotations.remove(CriSpecs.RESTART_POLICY_ANNOTATION));
        Duration grace = Duration.ofMillis(Long.parseLong(annotations.remove(CriSpecs.GRACE_ANNOTATION)));
        Map<String, String> labels = new LinkedHashMap<>(sandbox.getLabelsMap());
        labels.remove(CriSpecs.OWNER_LABEL);
        labels.remove(CriSpecs.INSTANCE_LABEL);
        labels.remove(CriSpecs.NAMESPACE_LABEL);
        labels.remove(CriSpecs.NAME_LABEL);
        InetAddress ip = InetAddress.getByName(status.getNetwork().getIp());
        var meta = sandbox.getMetadata();
        InstanceSpec spec = new InstanceSpec(InstanceId.of(meta.getUid()), meta.getNamespace(), meta.getName(),
                labels, annotations, init, main, policy, grace, ip);
        CriInstance instance = new CriInstance(runtime, spec, ip, CriRuntime.instant(sandbox.getCreatedAt()));
        boolean anyRunning = false;
        for (Track t : concat(instance.init, instance.main)) {
            Container c = latest.get(t.spec.name());
            t.containerId = c.getId();
            t.attempts = c.getMetadata().getAttempt() + 1;
            t.restarts = c.getMetadata().getAttempt();
            t.imageRef = c.getImageRef();
            var cs = runtime.client().containerStatus(c.getId()).orElseThrow();
            switch (cs.getState()) {
                case CONTAINER_RUNNING -> {
                    t.state = new ContainerState.Running(CriRuntime.instant(cs.getStartedAt()));
                    anyRunning |= !t.init;
                }
                case CONTAINER_EXITED -> {
                    t.exited = true;
                    t.state = new ContainerState.Terminated(cs.getExitCode(), cs.getReason().isEmpty()
                            ? ContainerState.Terminated.reasonFor(cs.getExitCode()) : cs.getReason(),
                            cs.getMessage(), cs.getStartedAt() == 0 ? null : CriRuntime.instant(cs.getStartedAt()),
                            CriRuntime.instant(cs.getFinishedAt()));
                }
                default -> t.state = new ContainerState.Waiting("ContainerCreating", "");
            }
        }
        InstanceState state = anyRunning ? new InstanceState.Running(runtime.now())
                : new InstanceState.Pending("Adopted", "found after a restart");
        instance.adopted(sandbox.getId(), state);
        if (spec.podIp() != null && runtime.config().podCidr().contains(ip)) {
            runtime.fallbackAddresses().claim(spec.id().value(), ip);
        }
        runtime.instances().put(spec.id(), instance);
        instance.start();
    }

    private static List<Track> concat(List<Track> a, List<Track> b) {
        List<Track> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The answer to {@code create(spec)} for an id that already has an instance. */
    static CreateResult compare(CriInstance existing, InstanceSpec spec) {
        synchronized (existing.lock) {
            if (existing.specKnown) {
                return existing.spec.equals(spec) ? new CreateResult.Existing(existing.snapshot())
                        : new CreateResult.SpecConflict(existing.snapshot(), "instance " + spec.id()
                        + " exists with a different spec; delete it first");
            }
            if (sameShape(existing.spec, spec)) {
                existing.spec = spec;
                existing.specKnown = true;
                for (int i = 0; i < spec.initContainers().size(); i++) {
                    existing.init.get(i).spec = spec.initContainers().get(i);
                }
                for (int i = 0; i < spec.containers().size(); i++) {
                    existing.main.get(i).spec = spec.containers().get(i);
                }
                // Let the worker restart what exited while the spec was unknown.
                existing.signal();
                return new CreateResult.Existing(existing.snapshot());
            }
            return new CreateResult.SpecConflict(existing.snapshot(), "instance " + spec.id()
                    + " was adopted with other containers; delete it first");
        }
    }

    private static boolean sameShape(InstanceSpec adopted, InstanceSpec spec) {
        return names(adopted.initContainers()).equals(names(spec.initContainers()))
                && names(adopted.containers()).equals(names(spec.containers()));
    }

    private static List<String> names(List<ContainerSpec> containers) {
        return containers.stream().map(c -> c.name() + "=" + c.image()).toList();
    }
}
