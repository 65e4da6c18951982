package dev.skiff.server.nodeless;

import dev.skiff.node.agent.AgentInformers;
import dev.skiff.node.agent.NodeAgent;
import dev.skiff.node.agent.NodeConfig;
import dev.skiff.node.runtime.InstanceRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running virtual nodes, one per vSwitch of the profile in force: {@link #apply} starts a node agent (on its
 * own runtime from the {@link RuntimeFactory}) for each new vSwitch and stops the agent of each vSwitch that left the profile, deleting
 * its Node (as removing a vSwitch from ACK's profile removes its virtual node).
 *
 * <p>Thread-safe (calls are serialized); {@link #apply} and {@link #close} block on API calls.
 */
final class VirtualNodes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualNodes.class);

    private record Running(VSwitch vSwitch, InstanceRuntime runtime, NodeAgent agent) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Executor notifications;
    private final RuntimeFactory runtimes;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private int addresses;

    private final KubeletCertificates kubelets;
    /** The process's informers the agents watch pods, ConfigMaps and Secrets through (decision 040). */
    private final AgentInformers informers;

    VirtualNodes(KubernetesClient client, Clock clock, ScheduledExecutorService timers, Executor notifications,
                 RuntimeFactory runtimes, KubeletCertificates kubelets, AgentInformers informers) {
        this.informers = informers;
        this.runtimes = runtimes;
        this.kubelets = kubelets;
        this.client = client;
        this.clock = clock;
        this.timers = timers;
        this.notifications = notifications;
    }

    /** Brings the running nodes in line with the profile. */
    synchronized void apply(EciProfile profile) {
        Map<String, VSwitch> wanted = new LinkedHashMap<>();
        profile.vSwitches().forEach(v -> wanted.put(v.id(), v));
        for (Running r : List.copyOf(running.values())) {
            VSwitch now = wanted.get(r.vSwitch().id());
            if (!r.vSwitch().equals(now)) {
                stop(r, true);
            }
        }
        for (VSwitch v : wanted.values()) {
            if (!running.containsKey(v.id())) {
                start(v);
            }
        }
    }

    private void start(VSwitch vSwitch) {
        InstanceRuntime runtime = runtimes.start(vSwitch, clock, timers, notifications);
        try {
            // The node's own address is outside every default pod CIDR (the node agent's IPAM owns those). With a
            // kubelet server it is a loopback address of its own (all of 127/8 answers locally on Linux), where the
            // server listens and which the API server dials as the node's InternalIP, as upstream dials kubelets.
            int n = 1 + addresses++ % 254;
            String address = kubelets == null ? "10.255.255." + n : "127.0.1." + n;
            NodeConfig config = NodeConfig.of(vSwitch.nodeName(), vSwitch.zone(), vSwitch.id(),
                    NodelessCluster.PROVIDER, vSwitch.cidr(), address);
            NodeAgent agent = NodeAgent.start(client, config, runtime, clock, timers,
                    kubelets == null ? null : kubelets.serving(vSwitch.nodeName(), address), informers);
            running.put(vSwitch.id(), new Running(vSwitch, runtime, agent));
            LOG.info("virtual node {} started (vSwitch {}, zone {}, {})", vSwitch.nodeName(), vSwitch.id(),
                    vSwitch.zone(), vSwitch.cidr());
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private void stop(Running r, boolean deleteNode) {
        running.remove(r.vSwitch().id());
        r.agent().close();
        r.runtime().close();
        if (deleteNode) {
            try {
                client.nodes().withName(r.vSwitch().nodeName()).delete();
            } catch (KubernetesClientException e) {
                LOG.warn("deleting node {} failed: {}", r.vSwitch().nodeName(), e.getMessage());
            }
            LOG.info("virtual node {} removed (vSwitch {} left the profile)", r.vSwitch().nodeName(),
                    r.vSwitch().id());
        }
    }

    /** The nodes running, in start order. */
    synchronized List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        running.values().forEach(r -> names.add(r.vSwitch().nodeName()));
        return names;
    }

    /** The distinct runtimes of the running nodes: where image caches are built. */
    synchronized List<InstanceRuntime> runtimes() {
        return running.values().stream().<InstanceRuntime>map(Running::runtime).distinct().toList();
    }

    /** Stops every agent, newest first; the Nodes stay registered (a restart adopts them). */
    @Override
    public synchronized void close() {
        List<Running> all = new ArrayList<>(running.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                stop(all.get(i), false);
            } catch (RuntimeException e) {
                LOG.warn("stopping node {} failed", all.get(i).vSwitch().nodeName(), e);
            }
        }
    }
}
