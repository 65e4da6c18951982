package dev.skiff.node.agent;

import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.node.kubelet.KubeletServing;
import dev.skiff.node.runtime.InstanceRuntime;
import dev.skiff.node.simulated.SimulatedRuntime;
import dev.skiff.node.simulated.SimulationProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One node agent against an in-process API server, on an instant simulated runtime (optionally wrapped by a test
 * double that records or redirects calls): the set-up the node's component and end-to-end tests share.
 * {@link #close()} stops everything in reverse order, also after a failed start.
 */
public final class AgentHarness implements AutoCloseable {

    private TestApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService scheduler;
    private ExecutorService notifications;
    private SimulatedRuntime simulated;
    private InstanceRuntime runtime;
    private NodeAgent agent;

    private AgentHarness() {
    }

    /** An agent without a kubelet server, running pods on the simulated runtime as {@code wrap} decorates it. */
    public static AgentHarness start(Path apiDir, NodeConfig config, UnaryOperator<InstanceRuntime> wrap)
            throws Exception {
        return start(apiDir, config, wrap, server -> null);
    }

    /**
     * @param serving the node's kubelet server settings, given the started API server (null for none)
     */
    public static AgentHarness start(Path apiDir, NodeConfig config, UnaryOperator<InstanceRuntime> wrap,
                                     Function<TestApiServer, KubeletServing> serving) throws Exception {
        AgentHarness h = new AgentHarness();
        try {
            h.server = TestApiServer.start(apiDir);
            h.client = h.server.newClient();
            h.scheduler = Executors.newScheduledThreadPool(2);
            h.notifications = Executors.newVirtualThreadPerTaskExecutor();
            h.simulated = new SimulatedRuntime(SimulationProfile.instant(), Clock.systemUTC(), h.scheduler,
                    h.notifications);
            h.runtime = wrap.apply(h.simulated);
            h.agent = NodeAgent.start(h.client, config, h.runtime, Clock.systemUTC(), h.scheduler,
                    serving.apply(h.server));
            return h;
        } catch (Exception e) {
            h.close();
            throw e;
        }
    }

    public TestApiServer server() {
        return server;
    }

    public KubernetesClient client() {
        return client;
    }

    public SimulatedRuntime simulated() {
        return simulated;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        try {
            if (agent != null) {
                agent.close();
            }
            // A wrapper may or may not close what it wraps; closing the simulated runtime twice is harmless.
            if (runtime != null && runtime != simulated) {
                runtime.close();
            }
            if (simulated != null) {
                simulated.close();
            }
            if (client != null) {
                client.close();
            }
        } finally {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (notifications != null) {
                notifications.shutdownNow();
            }
            if (server != null) {
                server.close();
            }
        }
    }
}
