package dev.skiff.node.agent;

import dev.skiff.node.runtime.RuntimeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Node and keeps it alive as the kubelet does since node leases: a Lease in {@code kube-node-lease}
 * named after the node, renewed every {@link NodeConfig#leaseInterval()} (the node lifecycle controller marks a
 * node unknown once the lease is 40 s old), and the Node's status written at registration and every
 * {@link NodeConfig#statusInterval()}. Not thread-safe: the agent calls it from one scheduled task at a time.
 */
final class NodeHeartbeat {

    static final String LEASE_NAMESPACE = "kube-node-lease";
    /** The kubelet's {@code nodeLeaseDurationSeconds} default. */
    static final int LEASE_DURATION_SECONDS = 40;

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);

    private final KubernetesClient client;
    private final NodeConfig config;
    private final RuntimeInfo runtime;
    private final Clock clock;
    private final Instant readySince;
    private final int kubeletPort;
    private Node node;
    private Instant lastStatus;

    NodeHeartbeat(KubernetesClient client, NodeConfig config, RuntimeInfo runtime, Clock clock) {
        this(client, config, runtime, clock, NodeObjects.DEFAULT_KUBELET_PORT);
    }

    /** @param kubeletPort the port the node's kubelet server listens on, published in the Node's status */
    NodeHeartbeat(KubernetesClient client, NodeConfig config, RuntimeInfo runtime, Clock clock, int kubeletPort) {
        this.kubeletPort = kubeletPort;
        this.client = client;
        this.config = config;
        this.runtime = runtime;
        this.clock = clock;
        this.readySince = clock.instant();
    }

    /** Creates the Node, or adopts the one a previous run registered, and reports its status. Blocking. */
    void register() {
        Node existing = client.nodes().withName(config.nodeName()).get();
        if (existing == null) {
            try {
                existing = client.nodes().resource(NodeObjects.node(config)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = client.nodes().withName(config.nodeName()).get();
            }
        } else {
            // A restarted kubelet re-asserts its labels and taints (it reconciles them on registration).
            Node wanted = NodeObjects.node(config);
            existing = client.nodes().withName(config.nodeName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                    Serialization.asJson(Map.of("metadata", Map.of("labels", wanted.getMetadata().getLabels()),
                            "spec", Map.of("taints", wanted.getSpec().getTaints()))));
        }
        node = existing;
        writeStatus();
        renewLease();
    }

    /** One heartbeat: renews the lease, and writes the status when it is due. Blocking; never throws. */
    void beat() {
        try {
            renewLease();
            if (lastStatus == null || !clock.instant().isBefore(lastStatus.plus(config.statusInterval()))
                    || readyOverwritten()) {
                writeStatus();
            }
        } catch (KubernetesClientException e) {
            // The next beat tries again, as the kubelet's lease controller retries. A conflict only means the lease
            // was read stale; it is reread next time.
            if (e.getCode() == 409) {
                LOG.debug("node {}: lease renewal conflicted, retried next beat", config.nodeName());
            } else {
                LOG.warn("node {}: heartbeat failed (code {}): {}", config.nodeName(), e.getCode(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("node {}: heartbeat failed", config.nodeName(), e);
        }
    }

    /**
     * Whether the API's copy of the node no longer says Ready=True, e.g. because the node lifecycle controller marked
     * it Unknown while this agent could not renew its lease. The kubelet compares its status with the API's on
     * every update and posts at once when they differ; this is that check for the one condition others write.
     */
    private boolean readyOverwritten() {
        Node current = client.nodes().withName(config.nodeName()).get();
        if (current == null || current.getStatus() == null || current.getStatus().getConditions() == null) {
            return true;
        }
        return current.getStatus().getConditions().stream()
                .noneMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void writeStatus() {
        Instant now = clock.instant();
        String json = Serialization.asJson(Map.of("status",
                NodeObjects.status(config, runtime, now, readySince, kubeletPort)));
        client.nodes().withName(config.nodeName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
        lastStatus = now;
    }

    private void renewLease() {
        var leases = client.resources(Lease.class).inNamespace(LEASE_NAMESPACE);
        // MicroTime: the lease keeps microseconds, truncated as metav1.MicroTime serializes them.
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        Lease lease = leases.withName(config.nodeName()).get();
        if (lease == null) {
            // Owned by the Node, so deleting the Node garbage-collects its lease (as the kubelet sets it).
            Lease created = new LeaseBuilder()
                    .withNewMetadata().withName(config.nodeName()).withNamespace(LEASE_NAMESPACE)
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                            .withName(config.nodeName()).withUid(node.getMetadata().getUid()).build())
                    .endMetadata()
                    .withNewSpec().withHolderIdentity(config.nodeName())
                    .withLeaseDurationSeconds(LEASE_DURATION_SECONDS).withRenewTime(now).endSpec()
                    .build();
            leases.resource(created).create();
            return;
        }
        lease.getSpec().setHolderIdentity(config.nodeName());
        lease.getSpec().setLeaseDurationSeconds(LEASE_DURATION_SECONDS);
        lease.getSpec().setRenewTime(now);
        // An update with the read resourceVersion: a conflict means someone else wrote it; the next beat rereads.
        leases.resource(lease).update();
    }
}
