package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.embedded.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EmbeddedBackend backend;
    private ObjectStore store;
    private final ResourceType configMaps = ResourceCatalog.builtin().find("", "v1", "configmaps").orElseThrow();

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(dir);
        store = new ObjectStore(backend, JSON, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static ObjectNode configMap(String namespace, String name, String value) {
        ObjectNode object = JSON.createObjectNode();
        object.put("apiVersion", "v1").put("kind", "ConfigMap");
        object.putObject("metadata").put("name", name).put("namespace", namespace);
        object.putObject("data").put("k", value);
        return object;
    }

    private static String rv(ObjectNode object) {
        return object.path("metadata").path("resourceVersion").asText();
    }

    @Test
    void createSetsIdentityAndTheResourceVersion() {
        ObjectNode created = store.create(configMaps, configMap("default", "a", "1"));

        assertThat(created.path("metadata").path("uid").asText()).hasSize(36);
        assertThat(created.path("metadata").path("creationTimestamp").asText()).endsWith("Z");
        assertThat(Long.parseLong(rv(created))).isEqualTo(backend.currentRevision());
        assertThat(store.get(configMaps, "default", "a")).isEqualTo(created);
        assertThatThrownBy(() -> store.create(configMaps, configMap("default", "a", "2")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.status().reason()).isEqualTo("AlreadyExists");
                    assertThat(e.getMessage()).isEqualTo("configmaps \"a\" already exists");
                });
        assertThatThrownBy(() -> store.get(configMaps, "default", "nope"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void updatesAreOptimistic() {
        ObjectNode created = store.create(configMaps, configMap("default", "a", "1"));
        long first = Long.parseLong(rv(created));

        ObjectNode updated = store.update(configMaps, "default", "a", first, current -> {
            ((ObjectNode) current.get("data")).put("k", "2");
            ObjectStore.metadata(current).put("uid", "forged");
            return current;
        });

        assertThat(updated.path("data").path("k").asText()).isEqualTo("2");
        assertThat(updated.path("metadata").path("uid")).isEqualTo(created.path("metadata").path("uid"));
        assertThatThrownBy(() -> store.update(configMaps, "default", "a", first, c -> c))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
        // Without a precondition the change is applied to whatever is current.
        ObjectNode unconditional = store.update(configMaps, "default", "a", 0, c -> {
            ((ObjectNode) c.get("data")).put("k", "3");
            return c;
        });
        assertThat(unconditional.path("data").path("k").asText()).isEqualTo("3");
    }

    @Test
    void listsPageWithContinueTokensAtOneRevision() {
        for (int i = 0; i < 5; i++) {
            store.create(configMaps, configMap("ns1", "cm-" + i, "v"));
        }
        store.create(configMaps, configMap("ns2", "other", "v"));

        ObjectList first = store.list(configMaps, "ns1", 2, null, 0, o -> true);
        assertThat(first.items()).extracting(o -> o.path("metadata").path("name").asText())
                .containsExactly("cm-0", "cm-1");
        assertThat(first.continueToken()).isNotNull();
        store.create(configMaps, configMap("ns1", "cm-25", "late"));

        ObjectList second = store.list(configMaps, "ns1", 2, first.continueToken(), 0, o -> true);
        ObjectList third = store.list(configMaps, "ns1", 2, second.continueToken(), 0, o -> true);
        assertThat(second.revision()).isEqualTo(first.revision());
        assertThat(second.items()).extracting(o -> o.path("metadata").path("name").asText())
                .containsExactly("cm-2", "cm-3");
        assertThat(third.items()).extracting(o -> o.path("metadata").path("name").asText())
                .containsExactly("cm-4");
        assertThat(third.continueToken()).isNull();
        assertThat(store.list(configMaps, "", 0, null, 0, o -> true).items()).hasSize(7);
        assertThatThrownBy(() -> store.list(configMaps, "ns1", 2, "garbage!", 0, o -> true))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));

        backend.compact(backend.currentRevision());
        assertThatThrownBy(() -> store.list(configMaps, "ns1", 2, first.continueToken(), 0, o -> true))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(410);
                    assertThat(e.status().reason()).isEqualTo("Expired");
                });
    }

    @Test
    void finalizersTurnDeleteIntoAMarkUntilTheyAreRemoved() {
        ObjectNode object = configMap("default", "held", "v");
        ObjectStore.metadata(object).putArray("finalizers").add("example.com/hold");
        store.create(configMaps, object);

        ObjectStore.Deletion marked = store.delete(configMaps, "default", "held", null, 0);
        assertThat(marked.removed()).isFalse();
        assertThat(marked.object().path("metadata").path("deletionTimestamp").isTextual()).isTrue();

        ObjectNode released = store.update(configMaps, "default", "held", 0, current -> {
            ObjectStore.metadata(current).remove("finalizers");
            return current;
        });
        assertThat(released.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
        assertThatThrownBy(() -> store.get(configMaps, "default", "held"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    @Test
    void deletePreconditionsAreChecked() {
        ObjectNode created = store.create(configMaps, configMap("default", "a", "1"));

        assertThatThrownBy(() -> store.delete(configMaps, "default", "a", "other-uid", 0))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
        ObjectStore.Deletion deleted = store.delete(configMaps, "default", "a",
                created.path("metadata").path("uid").asText(), Long.parseLong(rv(created)));
        assertThat(deleted.removed()).isTrue();
        assertThat(Long.parseLong(rv(deleted.object()))).isEqualTo(backend.currentRevision());
    }

    @Test
    void filteredWatchesSeeObjectsEnterAndLeave() {
        List<ObjectEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<ApiException> end = new AtomicReference<>();
        store.watch(configMaps, "default", 0, o -> o.path("data").path("k").asText().equals("yes"), events::add,
                end::set);

        store.create(configMaps, configMap("default", "w", "no"));
        store.update(configMaps, "default", "w", 0, c -> {
            ((ObjectNode) c.get("data")).put("k", "yes");
            return c;
        });
        store.update(configMaps, "default", "w", 0, c -> {
            ObjectStore.metadata(c).putObject("labels").put("touched", "true");
            return c;
        });
        store.update(configMaps, "default", "w", 0, c -> {
            ((ObjectNode) c.get("data")).put("k", "no");
            return c;
        });
        store.create(configMaps, configMap("other", "elsewhere", "yes"));

        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
        assertThat(events).extracting(ObjectEvent::type).containsExactly(ObjectEvent.Type.ADDED,
                ObjectEvent.Type.MODIFIED, ObjectEvent.Type.DELETED);
        assertThat(events.get(2).object().path("metadata").path("resourceVersion").asText())
                .isEqualTo(Long.toString(events.get(2).revision()));
        assertThat(end.get()).isNull();
    }

    @Test
    void aWatchFromACompactedRevisionEndsWithGone() {
        store.create(configMaps, configMap("default", "a", "1"));
        long old = backend.currentRevision();
        store.create(configMaps, configMap("default", "b", "1"));
        store.create(configMaps, configMap("default", "c", "1"));
        backend.compact(backend.currentRevision());
        AtomicReference<ApiException> end = new AtomicReference<>();

        store.watch(configMaps, "default", old - 1, o -> true, e -> { }, end::set);

        await().atMost(Duration.ofSeconds(10)).until(() -> end.get() != null);
        assertThat(end.get().code()).isEqualTo(410);
        assertThat(end.get().getMessage()).startsWith("too old resource version: ");
    }
}
