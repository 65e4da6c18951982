package dev.skiff.apiserver.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.TestClock;
import dev.skiff.apiserver.registry.DeletePropagation;
import dev.skiff.apiserver.registry.DeletionPolicy;
import dev.skiff.apiserver.registry.GarbageCollectionPolicy;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.embedded.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream's graceful deletion of pods over the generic store: marks, shortening, removal, finalizers. */
class PodGracefulDeletionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeletionPolicy POLICY = PodStrategy.DELETION;

    @TempDir
    Path dir;

    private EmbeddedBackend backend;
    private final TestClock clock = TestClock.atNow();
    private ObjectStore store;
    private final ResourceType pods = ResourceCatalog.builtin().find("", "v1", "pods").orElseThrow();

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(dir);
        store = new ObjectStore(backend, JSON, clock);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private ObjectNode pod(String name, String node, Integer terminationGrace) {
        ObjectNode pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = pod.putObject("spec");
        if (node != null) {
            spec.put("nodeName", node);
        }
        if (terminationGrace != null) {
            spec.put("terminationGracePeriodSeconds", terminationGrace);
        }
        spec.putArray("containers").addObject().put("name", "c").put("image", "busybox");
        pod.putObject("status").put("phase", "Running");
        return store.create(pods, pod);
    }

    private ObjectStore.Deletion delete(String name, Long grace) {
        return store.delete(pods, "default", name, null, 0, POLICY, grace);
    }

    private Instant deletionTimestamp(ObjectNode pod) {
        return Instant.parse(pod.path("metadata").path("deletionTimestamp").asText());
    }

    private Instant now() {
        return clock.instant();
    }

    @Test
    void aBoundPodIsMarkedWithItsTerminationGracePeriod() {
        pod("web", "node-a", 45);

        ObjectStore.Deletion deletion = delete("web", null);

        assertThat(deletion.removed()).isFalse();
        ObjectNode stored = store.get(pods, "default", "web");
        assertThat(deletionTimestamp(stored)).isEqualTo(now().plusSeconds(45));
        assertThat(stored.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(45);
    }

    @Test
    void aForegroundGracefulDeleteAddsItsFinalizerButARunningGraceKeepsThem() {
        pod("web", "node-a", 30);
        DeletePropagation foreground = new DeletePropagation("Foreground", null,
                GarbageCollectionPolicy.DELETE_DEPENDENTS);
        DeletePropagation orphan = new DeletePropagation("Orphan", null, GarbageCollectionPolicy.DELETE_DEPENDENTS);

        store.delete(pods, "default", "web", null, 0, POLICY, null, foreground);
        ObjectNode marked = store.get(pods, "default", "web");
        assertThat(marked.path("metadata").path("finalizers").toString()).isEqualTo("[\"foregroundDeletion\"]");
        assertThat(marked.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);

        // Upstream: while a graceful deletion is pending, delete options cannot change the finalizers.
        store.delete(pods, "default", "web", null, 0, POLICY, null, orphan);
        assertThat(store.get(pods, "default", "web").path("metadata").path("finalizers").toString())
                .isEqualTo("[\"foregroundDeletion\"]");

        // The kubelet's final delete ends the grace; the finalizer keeps the pod until the collector removes it.
        assertThat(store.delete(pods, "default", "web", null, 0, POLICY, 0L, DeletePropagation.NONE).removed())
                .isFalse();
    }

    @Test
    void theRequestedGraceWinsAndMayOnlyShorten() {
        pod("web", "node-a", 30);
        delete("web", 20L);
        assertThat(deletionTimestamp(store.get(pods, "default", "web"))).isEqualTo(now().plusSeconds(20));

        clock.advance(Duration.ofSeconds(5));
        assertThat(delete("web", 60L).removed()).isFalse();
        assertThat(delete("web", null).removed()).isFalse();
        assertThat(deletionTimestamp(store.get(pods, "default", "web"))).isEqualTo(now().plusSeconds(15));

        delete("web", 5L);
        ObjectNode shortened = store.get(pods, "default", "web");
        // The deadline moves to (first mark) + 5 s, not to now + 5 s.
        assertThat(deletionTimestamp(shortened)).isEqualTo(now().minusSeconds(5).plusSeconds(5));
        assertThat(shortened.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(5);

        assertThat(delete("web", 0L).removed()).isTrue();
        assertThatThrownBy(() -> store.get(pods, "default", "web"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void unboundAndFinishedPodsGoAtOnce() {
        pod("pending", null, 30);
        ObjectNode done = pod("done", "node-a", 30);
        store.update(pods, "default", "done", 0, p -> {
            p.withObjectProperty("status").put("phase", "Succeeded");
            return p;
        });

        assertThat(delete("pending", null).removed()).isTrue();
        assertThat(delete("done", null).removed()).isTrue();
        assertThat(done.path("metadata").path("name").asText()).isEqualTo("done");
    }

    @Test
    void graceZeroRemovesABoundPodAndNegativeMeansOneSecond() {
        pod("forced", "node-a", 30);
        assertThat(delete("forced", 0L).removed()).isTrue();

        pod("negative", "node-a", 30);
        delete("negative", -5L);
        assertThat(store.get(pods, "default", "negative").path("metadata").path("deletionGracePeriodSeconds")
                .asLong()).isEqualTo(1);
    }

    @Test
    void finalizersKeepAPodUntilTheyAreGoneAndTheGraceIsOver() {
        ObjectNode pod = pod("guarded", "node-a", 30);
        store.update(pods, "default", "guarded", 0, p -> {
            p.withObjectProperty("metadata").putArray("finalizers").add("example.com/keep");
            return p;
        });
        delete("guarded", null);

        // The finalizer goes, but the grace period runs on: the kubelet still has to finish the pod.
        store.update(pods, "default", "guarded", 0, POLICY, p -> {
            p.withObjectProperty("metadata").remove("finalizers");
            return p;
        });
        assertThat(store.get(pods, "default", "guarded").path("metadata").has("deletionTimestamp")).isTrue();

        // The kubelet's final delete (grace 0, uid precondition) removes it.
        String uid = pod.path("metadata").path("uid").asText();
        assertThat(store.delete(pods, "default", "guarded", uid, 0, POLICY, 0L).removed()).isTrue();
    }

    @Test
    void withFinalizersGraceZeroMarksAndTheLastFinalizerRemoves() {
        pod("held", "node-a", 30);
        store.update(pods, "default", "held", 0, p -> {
            p.withObjectProperty("metadata").putArray("finalizers").add("example.com/keep");
            return p;
        });

        assertThat(delete("held", 0L).removed()).isFalse();
        ObjectNode updated = store.update(pods, "default", "held", 0, POLICY, p -> {
            p.withObjectProperty("metadata").remove("finalizers");
            return p;
        });

        assertThat(POLICY.removesOnUpdate(updated)).isTrue();
        assertThatThrownBy(() -> store.get(pods, "default", "held"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }
}
