package dev.skiff.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.TestClock;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.storage.embedded.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllocationRepairTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EmbeddedBackend backend;
    private final TestClock clock = TestClock.atNow();
    private ObjectStore store;
    private ServiceAllocator allocator;
    private AllocationRepair repair;
    private final ResourceType services = ResourceCatalog.builtin().find("", "v1", "services").orElseThrow();

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(dir);
        store = new ObjectStore(backend, JSON, clock);
        allocator = new ServiceAllocator(ServiceNetwork.DEFAULT, backend, JSON, clock, new Random(3));
        repair = new AllocationRepair(store, services, allocator, clock, Duration.ofMinutes(2));
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static ObjectNode service(String name, String ip, int nodePort) {
        ObjectNode service = JSON.createObjectNode();
        service.put("apiVersion", "v1").put("kind", "Service");
        service.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = service.putObject("spec").put("type", "NodePort").put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        spec.putArray("ports").addObject().put("port", 80).put("nodePort", nodePort);
        return service;
    }

    @Test
    void aLeakIsReleasedOnlyAfterTheGracePeriod() {
        // A server stopped between reserving and storing: the reservation has no service.
        allocator.ipReservations().reserve("10.96.0.50", new Owner("default", "ghost"));

        assertThat(repair.run()).isEqualTo(new AllocationRepair.Result(0, 0));
        assertThat(allocator.ipReservations().get("10.96.0.50")).isPresent();

        clock.advance(Duration.ofMinutes(3));
        assertThat(repair.run()).isEqualTo(new AllocationRepair.Result(0, 1));
        assertThat(allocator.ipReservations().get("10.96.0.50")).isEmpty();
    }

    @Test
    void whatStoredServicesHoldIsReservedAndKept() {
        // Stored without reservations (e.g. by a version before them).
        store.create(services, service("old", "10.96.0.60", 30123));

        assertThat(repair.run()).isEqualTo(new AllocationRepair.Result(2, 0));
        clock.advance(Duration.ofMinutes(10));
        assertThat(repair.run()).isEqualTo(new AllocationRepair.Result(0, 0));
        assertThat(allocator.ipReservations().get("10.96.0.60").orElseThrow().owner())
                .isEqualTo(new Owner("default", "old"));
        assertThat(allocator.portReservations().get("30123")).isPresent();
    }
}
