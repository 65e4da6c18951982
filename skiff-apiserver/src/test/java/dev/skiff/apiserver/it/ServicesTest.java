package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service IPs and node ports, and pod graceful deletion, through a real server and the fabric8 client. */
class ServicesTest {

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = ApiServerFixture.start(dir);
        client = cluster.adminClient();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private Service create(String name, String type, String clusterIP, Integer nodePort) {
        ServiceBuilder builder = new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withType(type).withSelector(Map.of("app", name)).addNewPort().withName("http").withPort(80)
                .withTargetPort(new IntOrString(8080)).withNodePort(nodePort).endPort().endSpec();
        if (clusterIP != null) {
            builder.editSpec().withClusterIP(clusterIP).endSpec();
        }
        return client.services().inNamespace("default").resource(builder.build()).create();
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getMessage()).isEqualTo(message);
        });
    }

    @Test
    void theKubernetesServiceHoldsTheFirstAddressAndPointsAtTheServer() {
        Service kubernetes = client.services().inNamespace("default").withName("kubernetes").get();

        assertThat(kubernetes.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
        assertThat(kubernetes.getSpec().getClusterIPs()).containsExactly("10.96.0.1");
        assertThat(kubernetes.getSpec().getIpFamilies()).containsExactly("IPv4");
        assertThat(kubernetes.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
        assertThat(kubernetes.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(cluster.port());
        assertThat(kubernetes.getMetadata().getLabels()).containsEntry("component", "apiserver");
        // Bound to loopback: no address pods could reach, so no endpoints (upstream refuses loopback ones).
        assertThat(client.endpoints().inNamespace("default").withName("kubernetes").get()).isNull();
    }

    @Test
    void concurrentCreatesGetDistinctAddresses() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Service>> created = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String name = "svc-" + i;
                created.add(pool.submit(() -> create(name, "ClusterIP", null, null)));
            }
            Set<String> ips = new HashSet<>();
            for (Future<Service> service : created) {
                Service s = service.get();
                assertThat(s.getSpec().getClusterIPs()).containsExactly(s.getSpec().getClusterIP());
                ips.add(s.getSpec().getClusterIP());
            }
            assertThat(ips).hasSize(40).doesNotContain("10.96.0.1")
                    .allSatisfy(ip -> assertThat(ip).startsWith("10.96."));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void allocationsSurviveARestartAndDeletesReleaseThem() {
        Service first = create("first", "NodePort", "10.96.0.77", 30077);
        assertThat(first.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");

        cluster.restart();
        client.close();
        client = cluster.adminClient();

        assertInvalid(() -> create("second", "ClusterIP", "10.96.0.77", null), "Service \"second\" is invalid: "
                + "spec.clusterIPs: Invalid value: []string{\"10.96.0.77\"}: failed to allocate IP 10.96.0.77: "
                + "provided IP is already allocated");
        assertInvalid(() -> create("third", "NodePort", null, 30077), "Service \"third\" is invalid: "
                + "spec.ports[0].nodePort: Invalid value: 30077: provided port is already allocated");
        assertInvalid(() -> create("far", "ClusterIP", "192.168.0.1", null), "Service \"far\" is invalid: "
                + "spec.clusterIPs: Invalid value: []string{\"192.168.0.1\"}: failed to allocate IP 192.168.0.1: "
                + "the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/16");
        // The refused creates left nothing behind: the names are free and "third" took no address.
        assertThat(client.services().inNamespace("default").withName("third").get()).isNull();

        client.services().inNamespace("default").withName("first").delete();

        Service second = create("second", "NodePort", "10.96.0.77", 30077);
        assertThat(second.getSpec().getClusterIP()).isEqualTo("10.96.0.77");
        assertThat(second.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30077);
    }

    @Test
    void theClusterIPCannotChangeButAnUpdateWithoutItKeepsIt() {
        Service created = create("fixed", "ClusterIP", null, null);
        String ip = created.getSpec().getClusterIP();

        assertInvalid(() -> client.services().inNamespace("default").withName("fixed")
                .edit(s -> new ServiceBuilder(s).editSpec().withClusterIP("10.96.0.99")
                        .withClusterIPs("10.96.0.99").endSpec().build()),
                "Service \"fixed\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.99\"}: "
                        + "may not change once set");

        // A PUT from a client that never saw the allocated fields keeps them.
        Service replacement = new ServiceBuilder().withNewMetadata().withName("fixed").endMetadata().withNewSpec()
                .withSelector(Map.of("app", "other")).addNewPort().withPort(81).endPort().endSpec().build();
        Service updated = client.services().inNamespace("default").resource(replacement).update();
        assertThat(updated.getSpec().getClusterIP()).isEqualTo(ip);
        assertThat(updated.getSpec().getClusterIPs()).containsExactly(ip);
        assertThat(updated.getSpec().getSelector()).containsEntry("app", "other");
    }

    @Test
    void headlessServicesHaveNoAddress() {
        Service headless = create("db", "ClusterIP", "None", null);
        Service selectorless = client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("peers").endMetadata().withNewSpec().withClusterIP("None").endSpec()
                .build()).create();

        assertThat(headless.getSpec().getClusterIPs()).containsExactly("None");
        assertThat(headless.getSpec().getIpFamilyPolicy()).isEqualTo("SingleStack");
        assertThat(selectorless.getSpec().getIpFamilyPolicy()).isEqualTo("RequireDualStack");
        assertThat(selectorless.getSpec().getIpFamilies()).containsExactly("IPv4", "IPv6");
        assertInvalid(() -> create("np", "NodePort", "None", null), "Service \"np\" is invalid: "
                + "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services");
    }

    @Test
    void nodePortsAreAllocatedAndTypeChangesReleaseWhatIsNoLongerNeeded() {
        Service nodePort = create("web", "NodePort", "10.96.0.88", null);
        int port = nodePort.getSpec().getPorts().get(0).getNodePort();
        assertThat(port).isBetween(30000, 32767);
        assertThat(nodePort.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");

        Service clusterIp = client.services().inNamespace("default").withName("web")
                .edit(s -> new ServiceBuilder(s).editSpec().withType("ClusterIP").endSpec().build());
        assertThat(clusterIp.getSpec().getPorts().get(0).getNodePort()).isNull();
        assertThat(create("reuse-port", "NodePort", null, port).getSpec().getPorts().get(0).getNodePort())
                .isEqualTo(port);

        Service external = client.services().inNamespace("default").withName("web")
                .edit(s -> new ServiceBuilder(s).editSpec().withType("ExternalName")
                        .withExternalName("example.com").endSpec().build());
        assertThat(external.getSpec().getClusterIP()).isNull();
        assertThat(external.getSpec().getIpFamilies()).isEmpty();
        assertThat(create("reuse-ip", "ClusterIP", "10.96.0.88", null).getSpec().getClusterIP())
                .isEqualTo("10.96.0.88");
    }

    @Test
    void aBoundPodIsTerminatingUntilDeletedWithoutGrace() {
        Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                .withName("bound").endMetadata().withNewSpec().withNodeName("virtual-node-a").addNewContainer()
                .withName("main").withImage("busybox").endContainer().endSpec().build()).create();

        client.pods().inNamespace("default").withName("bound").delete();

        Pod terminating = client.pods().inNamespace("default").withName("bound").get();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);

        client.pods().inNamespace("default").withName("bound").withGracePeriod(0).delete();
        assertThat(client.pods().inNamespace("default").withName("bound").get()).isNull();
        assertThat(pod.getMetadata().getUid()).isNotEmpty();
    }
}
