package dev.skiff.control.controller.endpoint;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Table tests of what the Endpoints and EndpointSlice controllers publish for a service and its pods. */
class EndpointComputationTest {

    static final Map<String, String> ZONES = Map.of("vk-a", "local-a", "vk-b", "local-b");

    static Service service(boolean publishNotReady, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web")
                .withCreationTimestamp("2025-01-01T00:00:00Z").withUid("svc-uid").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web")).withClusterIP(clusterIp)
                .withPublishNotReadyAddresses(publishNotReady).withPorts(ports).endSpec().build();
    }

    static ServicePort port(String name, int port, Object target, String protocol) {
        IntOrString targetPort = target instanceof Integer i ? new IntOrString(i) : new IntOrString((String) target);
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(targetPort)
                .withProtocol(protocol).build();
    }

    /** A pod of the service; {@code ports} as name:number[/UDP] container ports. */
    static Pod pod(String name, String phase, String ip, boolean ready, boolean deleting, String node,
                   String... ports) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .withUid("uid-" + name).withLabels(Map.of("app", "web")).endMetadata();
        if (deleting) {
            pod.editMetadata().withDeletionTimestamp("2025-01-01T00:10:00Z").endMetadata();
        }
        var container = pod.withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("nginx");
        for (String p : ports) {
            String[] nameAndNumber = p.split("[:/]");
            container.addToPorts(new ContainerPortBuilder().withName(nameAndNumber[0])
                    .withContainerPort(Integer.parseInt(nameAndNumber[1]))
                    .withProtocol(p.endsWith("/UDP") ? "UDP" : "TCP").build());
        }
        container.endContainer().endSpec();
        pod.withNewStatus().withPhase(phase).withPodIP(ip.isEmpty() ? null : ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime("2025-01-01T00:01:00Z").endCondition().endStatus();
        return pod.build();
    }

    @ParameterizedTest(name = "{0} ip={1} ready={2} deleting={3} publishNotReady={4} -> endpoints {5}, slice {6}")
    @CsvSource({
            // phase,   ip,        ready, deleting, publish, Endpoints,  slice ready/serving/terminating
            "Running,   10.1.0.1,  true,  false,    false,   ready,      true/true/false",
            "Running,   10.1.0.1,  false, false,    false,   notReady,   false/false/false",
            "Pending,   '',        false, false,    false,   absent,     absent",
            "Running,   10.1.0.1,  true,  true,     false,   absent,     false/true/true",
            "Running,   10.1.0.1,  true,  true,     true,    ready,      true/true/true",
            "Running,   10.1.0.1,  false, false,    true,    ready,      true/false/false",
            "Succeeded, 10.1.0.1,  false, false,    false,   absent,     absent",
            "Failed,    10.1.0.1,  false, false,    true,    absent,     absent",
    })
    void readinessOfOnePod(String phase, String ip, boolean ready, boolean deleting, boolean publishNotReady,
                           String wantEndpoints, String wantSlice) {
        Service service = service(publishNotReady, "10.96.0.10", port("http", 80, 8080, "TCP"));
        List<Pod> pods = List.of(pod("web-1", phase, ip, ready, deleting, "vk-a"));

        List<EndpointSubset> subsets = EndpointSubsets.compute(service, pods);
        switch (wantEndpoints) {
            case "absent" -> assertThat(subsets).isEmpty();
            case "ready" -> assertThat(subsets).singleElement().satisfies(s -> {
                assertThat(s.getAddresses()).extracting(EndpointAddress::getIp).containsExactly(ip);
                assertThat(s.getNotReadyAddresses()).isEmpty();
            });
            default -> assertThat(subsets).singleElement().satisfies(s -> {
                assertThat(s.getAddresses()).isEmpty();
                assertThat(s.getNotReadyAddresses()).extracting(EndpointAddress::getIp).containsExactly(ip);
            });
        }

        Map<List<EndpointPort>, List<Endpoint>> slices = SliceEndpoints.compute(service, pods, ZONES::get)
                .get("IPv4");
        List<Endpoint> endpoints = slices.values().stream().flatMap(List::stream).toList();
        if (wantSlice.equals("absent")) {
            assertThat(endpoints).isEmpty();
        } else {
            assertThat(endpoints).singleElement().satisfies(e -> assertThat(e.getConditions().getReady() + "/"
                    + e.getConditions().getServing() + "/" + e.getConditions().getTerminating())
                    .isEqualTo(wantSlice));
        }
    }

    @Test
    void addressesCarryTargetRefNodeZoneAndAreSortedAndRepackedByPortSet() {
        Service service = service(false, "10.96.0.10", port("http", 80, "web", "TCP"),
                port("metrics", 9090, 9090, "TCP"));
        List<Pod> pods = List.of(
                pod("web-b", "Running", "10.2.0.7", true, false, "vk-b", "web:8080"),
                pod("web-a", "Running", "10.1.0.9", true, false, "vk-a", "web:8080"),
                pod("web-c", "Running", "10.1.0.3", false, false, "vk-a", "web:8080"));

        List<EndpointSubset> subsets = EndpointSubsets.compute(service, pods);

        // Both ports have the same addresses, so one subset carries both (upstream's RepackSubsets).
        assertThat(subsets).singleElement().satisfies(s -> {
            assertThat(s.getPorts()).extracting(p -> p.getName() + "=" + p.getPort() + "/" + p.getProtocol())
                    .containsExactly("http=8080/TCP", "metrics=9090/TCP");
            assertThat(s.getAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.1.0.9", "10.2.0.7");
            assertThat(s.getNotReadyAddresses()).extracting(EndpointAddress::getIp).containsExactly("10.1.0.3");
            EndpointAddress a = s.getAddresses().get(0);
            assertThat(a.getNodeName()).isEqualTo("vk-a");
            assertThat(a.getTargetRef().getKind()).isEqualTo("Pod");
            assertThat(a.getTargetRef().getNamespace() + "/" + a.getTargetRef().getName() + "/"
                    + a.getTargetRef().getUid()).isEqualTo("ns/web-a/uid-web-a");
        });

        List<Endpoint> slice = SliceEndpoints.compute(service, pods, ZONES::get).get("IPv4").values().iterator()
                .next();
        assertThat(slice).extracting(e -> e.getTargetRef().getName() + " " + e.getAddresses() + " "
                        + e.getNodeName() + " " + e.getZone())
                .containsExactly("web-a [10.1.0.9] vk-a local-a", "web-b [10.2.0.7] vk-b local-b",
                        "web-c [10.1.0.3] vk-a local-a");
    }

    @Test
    void namedTargetPortsResolvePerPodAndSplitSubsetsAndSlices() {
        Service service = service(false, "10.96.0.10", port("http", 80, "web", "TCP"), port("dns", 53, "dns", "UDP"));
        List<Pod> pods = List.of(
                pod("old", "Running", "10.1.0.1", true, false, "vk-a", "web:8080", "dns:53/UDP"),
                pod("new", "Running", "10.1.0.2", true, false, "vk-a", "web:8081", "dns:53/UDP"),
                // "web" over UDP does not match a TCP service port: only dns resolves.
                pod("udp", "Running", "10.1.0.3", true, false, "vk-a", "web:8080/UDP", "dns:53/UDP"),
                pod("none", "Running", "10.1.0.4", true, false, "vk-a"));

        List<String> subsets = new ArrayList<>();
        for (EndpointSubset s : EndpointSubsets.compute(service, pods)) {
            subsets.add(s.getPorts().stream().map(p -> p.getName() + "=" + p.getPort()).toList() + " "
                    + s.getAddresses().stream().map(EndpointAddress::getIp).toList());
        }
        assertThat(subsets).containsExactlyInAnyOrder(
                "[dns=53] [10.1.0.1, 10.1.0.2, 10.1.0.3]",
                "[http=8080] [10.1.0.1]",
                "[http=8081] [10.1.0.2]");

        Map<List<EndpointPort>, List<Endpoint>> slices = SliceEndpoints.compute(service, pods, ZONES::get)
                .get("IPv4");
        Map<String, List<String>> byPorts = new java.util.TreeMap<>();
        slices.forEach((ports, endpoints) -> byPorts.put(
                ports.stream().map(p -> p.getName() + "=" + p.getPort() + "/" + p.getProtocol()).toList().toString(),
                endpoints.stream().map(e -> e.getTargetRef().getName()).toList()));
        assertThat(byPorts).containsExactly(
                Map.entry("[]", List.of("none")),
                Map.entry("[dns=53/UDP, http=8080/TCP]", List.of("old")),
                Map.entry("[dns=53/UDP, http=8081/TCP]", List.of("new")),
                Map.entry("[dns=53/UDP]", List.of("udp")));
    }

    @Test
    void aHeadlessServiceWithoutPortsListsAddressesAndHostnamesOfItsSubdomain() {
        Service service = service(false, "None");
        Pod named = new PodBuilder(pod("db-0", "Running", "10.1.0.5", true, false, "vk-a"))
                .editSpec().withHostname("db-0").withSubdomain("web").endSpec().build();
        Pod other = new PodBuilder(pod("db-1", "Running", "10.1.0.6", true, false, "vk-a"))
                .editSpec().withHostname("db-1").withSubdomain("elsewhere").endSpec().build();

        assertThat(EndpointSubsets.compute(service, List.of(named, other))).singleElement().satisfies(s -> {
            assertThat(s.getPorts()).isEmpty();
            assertThat(s.getAddresses()).extracting(a -> a.getIp() + " " + a.getHostname())
                    .containsExactly("10.1.0.5 db-0", "10.1.0.6 null");
        });
        // No IP families and no cluster IP: upstream publishes both address types for headless services.
        var slices = SliceEndpoints.compute(service, List.of(named, other), ZONES::get);
        assertThat(slices.keySet()).containsExactly("IPv4", "IPv6");
        assertThat(slices.get("IPv4").get(List.of())).extracting(Endpoint::getHostname).containsExactly("db-0", null);
        assertThat(slices.get("IPv6")).isEmpty();
    }

    @Test
    void aServiceWithoutSelectorSelectsNothing() {
        Service service = new ServiceBuilder(service(false, "10.96.0.1", port("http", 80, 80, "TCP")))
                .editSpec().withSelector(Map.of()).endSpec().build();
        assertThat(PodEndpoints.selector(service)).isNull();
        assertThat(PodEndpoints.selects(null, Map.of("app", "web"))).isFalse();
        assertThat(PodEndpoints.selects(Map.of("app", "web"), Map.of("app", "web", "tier", "x"))).isTrue();
        assertThat(PodEndpoints.selects(Map.of("app", "web"), Map.of("app", "db"))).isFalse();
    }
}
