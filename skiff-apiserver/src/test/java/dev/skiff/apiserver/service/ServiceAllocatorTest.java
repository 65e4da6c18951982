package dev.skiff.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.handler.TypeStrategy;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.embedded.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAllocatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EmbeddedBackend backend;

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(dir);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private ServiceAllocator allocator(String cidr, PortRange ports) {
        return new ServiceAllocator(new ServiceNetwork(ServiceCidr.parse(cidr), ports, null), backend, JSON,
                Clock.systemUTC(), new Random(7));
    }

    private static ObjectNode service(String name, String type) {
        ObjectNode service = JSON.createObjectNode();
        service.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = service.putObject("spec").put("type", type);
        spec.putArray("ports").addObject().put("port", 80).put("protocol", "TCP");
        return service;
    }

    private static ObjectNode withClusterIP(ObjectNode service, String ip) {
        service.withObjectProperty("spec").put("clusterIP", ip).putArray("clusterIPs").add(ip);
        return service;
    }

    @Test
    void concurrentCreatesGetDistinctAddresses() throws Exception {
        ServiceAllocator allocator = allocator("10.96.0.0/24", PortRange.DEFAULT);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = "s" + i;
                results.add(pool.submit(() -> {
                    ObjectNode service = service(name, "ClusterIP");
                    allocator.allocateCreate(service, false).finish(true);
                    return service.path("spec").path("clusterIP").asText();
                }));
            }
            Set<String> ips = new HashSet<>();
            for (Future<String> result : results) {
                ips.add(result.get());
            }
            assertThat(ips).hasSize(200).allSatisfy(ip -> assertThat(ip).startsWith("10.96.0."));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestedAddressIsHonouredOnceAndMustBeInRange() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        ObjectNode first = withClusterIP(service("a", "ClusterIP"), "10.96.0.10");
        allocator.allocateCreate(first, false).finish(true);
        assertThat(first.path("spec").path("clusterIPs").toString()).isEqualTo("[\"10.96.0.10\"]");

        assertThatThrownBy(() -> allocator.allocateCreate(withClusterIP(service("b", "ClusterIP"), "10.96.0.10"),
                false)).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("Service \"b\" is invalid: spec.clusterIPs: Invalid value: "
                            + "[]string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already "
                            + "allocated");
                    assertThat(e.status().details().causes().get(0).field()).isEqualTo("spec.clusterIPs");
                });
        assertThatThrownBy(() -> allocator.allocateCreate(withClusterIP(service("c", "ClusterIP"), "10.0.0.1"),
                false)).hasMessageEndingWith("failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in "
                        + "the valid range. The range of valid IPs is 10.96.0.0/16");
    }

    @Test
    void dynamicAddressesAvoidTheStaticBand() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        for (int i = 0; i < 50; i++) {
            ObjectNode service = service("s" + i, "ClusterIP");
            allocator.allocateCreate(service, false).finish(true);
            assertThat(allocator.network().clusterIpRange().indexOf(service.path("spec").path("clusterIP").asText()))
                    .isGreaterThanOrEqualTo(256);
        }
    }

    @Test
    void aWriteThatIsNotStoredGivesItsReservationsBack() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        ObjectNode service = withClusterIP(service("a", "NodePort"), "10.96.0.20");
        ((ObjectNode) service.path("spec").path("ports").get(0)).put("nodePort", 30080);
        TypeStrategy.Finish finish = allocator.allocateCreate(service, false);
        finish.finish(false);

        ObjectNode again = withClusterIP(service("b", "NodePort"), "10.96.0.20");
        ((ObjectNode) again.path("spec").path("ports").get(0)).put("nodePort", 30080);
        allocator.allocateCreate(again, false).finish(true);
        assertThat(again.path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(30080);
    }

    @Test
    void releaseFreesAddressAndPortsForTheNextService() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        ObjectNode service = withClusterIP(service("a", "NodePort"), "10.96.0.30");
        allocator.allocateCreate(service, false).finish(true);
        int nodePort = service.path("spec").path("ports").get(0).path("nodePort").asInt();
        assertThat(PortRange.DEFAULT.contains(nodePort)).isTrue();

        allocator.releaseAll(service);

        ObjectNode next = withClusterIP(service("b", "NodePort"), "10.96.0.30");
        ((ObjectNode) next.path("spec").path("ports").get(0)).put("nodePort", nodePort);
        allocator.allocateCreate(next, false).finish(true);
        assertThat(allocator.ipReservations().get("10.96.0.30").orElseThrow().owner())
                .isEqualTo(new Owner("default", "b"));
        // A late release by the former owner does not free what the new one holds.
        allocator.releaseAll(service);
        assertThat(allocator.ipReservations().get("10.96.0.30")).isPresent();
    }

    @Test
    void nodePortsAreAllocatedSharedPerPortNumberAndConflictsRefused() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        ObjectNode dns = service("dns", "NodePort");
        dns.withObjectProperty("spec").putArray("ports").addObject().put("name", "udp").put("port", 53).put("protocol", "UDP");
        ((com.fasterxml.jackson.databind.node.ArrayNode) dns.path("spec").path("ports")).addObject()
                .put("name", "tcp").put("port", 53).put("protocol", "TCP");
        allocator.allocateCreate(dns, false).finish(true);
        int udp = dns.path("spec").path("ports").get(0).path("nodePort").asInt();
        assertThat(dns.path("spec").path("ports").get(1).path("nodePort").asInt()).isEqualTo(udp);

        ObjectNode clash = service("clash", "NodePort");
        ((ObjectNode) clash.path("spec").path("ports").get(0)).put("nodePort", udp);
        assertThatThrownBy(() -> allocator.allocateCreate(clash, false)).hasMessage("Service \"clash\" is invalid: "
                + "spec.ports[0].nodePort: Invalid value: " + udp + ": provided port is already allocated");
        ObjectNode outside = service("outside", "NodePort");
        ((ObjectNode) outside.path("spec").path("ports").get(0)).put("nodePort", 80);
        assertThatThrownBy(() -> allocator.allocateCreate(outside, false)).hasMessageEndingWith(
                "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of "
                        + "valid ports is 30000-32767");
        // The refused creates kept nothing: the address the first one reserved is free again.
        assertThat(allocator.ipReservations().list()).hasSize(1);
    }

    @Test
    void aFullRangeIsAnInternalError() {
        ServiceAllocator allocator = allocator("10.96.0.0/29", new PortRange(30000, 1));
        for (int i = 0; i < 6; i++) {
            allocator.allocateCreate(service("s" + i, "ClusterIP"), false).finish(true);
        }
        assertThatThrownBy(() -> allocator.allocateCreate(service("full", "ClusterIP"), false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage())
                            .isEqualTo("Internal error occurred: failed to allocate a serviceIP: range is full");
                });
    }

    @Test
    void headlessAndExternalNameServicesGetNoAddress() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        ObjectNode headless = withClusterIP(service("h", "ClusterIP"), "None");
        allocator.allocateCreate(headless, false).finish(true);
        ObjectNode external = service("e", "ExternalName");
        allocator.allocateCreate(external, false).finish(true);

        assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(external.path("spec").has("clusterIP")).isFalse();
        assertThat(allocator.ipReservations().list()).isEmpty();
    }

    @Test
    void anUpdateGivesAServiceStoredWithoutAddressOne() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        ObjectNode legacy = service("legacy", "ClusterIP");
        ObjectNode next = legacy.deepCopy();

        allocator.allocateUpdate(legacy, next, false).finish(true);

        String ip = next.path("spec").path("clusterIP").asText();
        assertThat(ip).startsWith("10.96.");
        assertThat(allocator.ipReservations().get(ip).orElseThrow().owner()).isEqualTo(new Owner("default", "legacy"));
    }

    @Test
    void dryRunsReserveNothing() {
        ServiceAllocator allocator = allocator("10.96.0.0/16", PortRange.DEFAULT);
        ObjectNode service = service("d", "NodePort");
        allocator.allocateCreate(service, true).finish(true);

        assertThat(service.path("spec").path("clusterIP").asText()).startsWith("10.96.");
        assertThat(service.path("spec").path("ports").get(0).path("nodePort").asInt()).isPositive();
        assertThat(allocator.ipReservations().list()).isEmpty();
        assertThat(allocator.portReservations().list()).isEmpty();
    }
}
