package dev.skiff.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.registry.ObjectStore;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import dev.skiff.apiserver.selection.FieldSelector;
import dev.skiff.apiserver.selection.LabelSelector;
import dev.skiff.apiserver.selection.Selection;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.storage.embedded.EmbeddedBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private EmbeddedBackend backend;
    private ObjectStore store;
    private WatchCache cache;
    private final ResourceCatalog catalog = ResourceCatalog.builtin();
    private final ResourceType pods = catalog.find("", "v1", "pods").orElseThrow();
    private final ResourceType configMaps = catalog.find("", "v1", "configmaps").orElseThrow();

    @BeforeEach
    void open() {
        backend = EmbeddedBackend.open(dir);
        store = new ObjectStore(backend, JSON, Clock.systemUTC());
        store.create(pods, pod("default", "before", "web", "n1"));
        cache = new WatchCache(pods, store, JSON, 4).start();
    }

    @AfterEach
    void close() {
        cache.close();
        backend.close();
    }

    private static ObjectNode pod(String namespace, String name, String app, String node) {
        ObjectNode pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).put("namespace", namespace).putObject("labels").put("app", app);
        pod.putObject("spec").put("nodeName", node);
        return pod;
    }

    private record Seen(ObjectEvent.Type type, String name, long revision) {
    }

    private static CacheSink recorder(List<Seen> seen) {
        return new CacheSink() {
            @Override
            public boolean send(ObjectEvent.Type type, CachedObject object, long revision) {
                seen.add(new Seen(type, object.name(), revision));
                return true;
            }

            @Override
            public boolean bookmark(long revision, boolean initialEventsEnd) {
                seen.add(new Seen(ObjectEvent.Type.BOOKMARK, initialEventsEnd ? "initial-events-end" : "", revision));
                return true;
            }

            @Override
            public void ended(boolean tooSlow) {
            }
        };
    }

    private long configMapElsewhere(String name) {
        ObjectNode cm = JSON.createObjectNode();
        cm.putObject("metadata").put("name", name).put("namespace", "default");
        long revision = Long.parseLong(store.create(configMaps, cm).path("metadata").path("resourceVersion").asText());
        assertThat(cache.awaitRevision(revision, WAIT)).as("storage progress reaches the pod cache").isTrue();
        return revision;
    }

    @Test
    void aSnapshotWithBookmarksEndsItsStateWithTheInitialEventsEndBookmark() {
        long now = cache.revision();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CacheWatch watch = cache.register("", Selection.EVERYTHING, new WatchStart.Snapshot(now), true,
                recorder(seen));
        watch.start();
        store.create(pods, pod("default", "after", "web", "n1"));

        await().atMost(WAIT).until(() -> seen.size() == 3);
        assertThat(seen.get(0).name()).isEqualTo("before");
        assertThat(seen.get(1)).isEqualTo(new Seen(ObjectEvent.Type.BOOKMARK, "initial-events-end", now));
        assertThat(seen.get(2).type()).isEqualTo(ObjectEvent.Type.ADDED);
        assertThat(seen.get(2).name()).isEqualTo("after");
        watch.stop();
    }

    @Test
    void bookmarksFollowStorageProgressAndOnlyMoveTheClientForward() {
        long start = cache.revision();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CacheWatch watch = cache.register("", Selection.EVERYTHING, new WatchStart.After(start), true,
                recorder(seen));
        watch.start();
        watch.bookmark(); // nothing new since the start: not sent

        long elsewhere = configMapElsewhere("one");
        watch.bookmark();
        long added = Long.parseLong(store.create(pods, pod("default", "p", "web", "n1")).path("metadata")
                .path("resourceVersion").asText());
        cache.awaitRevision(added, WAIT);
        watch.bookmark(); // the client has seen the pod's revision already: not sent
        long later = configMapElsewhere("two");
        watch.bookmark();

        await().atMost(WAIT).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly(new Seen(ObjectEvent.Type.BOOKMARK, "", elsewhere),
                new Seen(ObjectEvent.Type.ADDED, "p", added), new Seen(ObjectEvent.Type.BOOKMARK, "", later));
        watch.stop();
    }

    @Test
    void aWatchThatDoesNotAllowBookmarksGetsNone() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CacheWatch watch = cache.register("", Selection.EVERYTHING, new WatchStart.Snapshot(0), false,
                recorder(seen));
        watch.start();
        configMapElsewhere("one");
        watch.bookmark();
        store.create(pods, pod("default", "p", "web", "n1"));

        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).extracting(Seen::type).containsExactly(ObjectEvent.Type.ADDED, ObjectEvent.Type.ADDED);
        watch.stop();
    }

    @Test
    void aLatestStartSkipsTheStateAndAWatchStoppedBeforeItStartsIsReleased() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CacheWatch unused = cache.register("", Selection.EVERYTHING, new WatchStart.Latest(), false,
                recorder(new CopyOnWriteArrayList<>()));
        unused.stop();
        CacheWatch watch = cache.register("", Selection.EVERYTHING, new WatchStart.Latest(), false,
                recorder(seen));
        assertThat(watch.startRevision()).isEqualTo(cache.revision());
        watch.start();
        store.create(pods, pod("default", "new", "web", "n1"));

        await().atMost(WAIT).until(() -> seen.size() == 1);
        assertThat(seen).extracting(Seen::name).containsExactly("new");
        watch.stop();
    }

    @Test
    void listsAreConsistentWithStorageEvenAfterWritesElsewhere() {
        store.create(pods, pod("default", "a", "web", "n1"));
        store.create(pods, pod("other", "b", "db", "n2"));
        ObjectNode cm = JSON.createObjectNode();
        cm.putObject("metadata").put("name", "cm").put("namespace", "default");
        store.create(configMaps, cm);

        assertThat(cache.awaitRevision(backend.currentRevision(), WAIT)).as("progress covers other keys").isTrue();
        WatchCache.Snapshot all = cache.list("", Selection.EVERYTHING);
        assertThat(all.items()).extracting(CachedObject::name).containsExactly("a", "before", "b");
        assertThat(all.revision()).isEqualTo(backend.currentRevision());
        Selection web = new Selection(LabelSelector.parse("app=web"), FieldSelector.parse("spec.nodeName=n1",
                java.util.Set.of("spec.nodeName")), null);
        assertThat(cache.list("default", web).items()).extracting(CachedObject::name)
                .containsExactly("a", "before");
        assertThat(cache.list("other", Selection.EVERYTHING).items()).extracting(CachedObject::name)
                .containsExactly("b");
    }

    @Test
    void watchesReplayTheWindowThenFollowWithFilterTransitions() {
        long start = backend.currentRevision();
        store.create(pods, pod("default", "x", "web", "n1"));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Selection web = new Selection(LabelSelector.parse("app=web"), FieldSelector.EVERYTHING, null);
        cache.awaitRevision(backend.currentRevision(), WAIT);
        cache.watch("default", web, start, recorder(seen));

        store.update(pods, "default", "x", 0, p -> {
            ((ObjectNode) p.path("metadata").path("labels")).put("app", "db");
            return p;
        });
        store.create(pods, pod("default", "y", "web", "n1"));
        store.delete(pods, "default", "y", null, 0);

        await().atMost(WAIT).until(() -> seen.size() == 4);
        assertThat(seen).extracting(Seen::type, Seen::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ObjectEvent.Type.ADDED, "x"),
                org.assertj.core.groups.Tuple.tuple(ObjectEvent.Type.DELETED, "x"),
                org.assertj.core.groups.Tuple.tuple(ObjectEvent.Type.ADDED, "y"),
                org.assertj.core.groups.Tuple.tuple(ObjectEvent.Type.DELETED, "y"));
        assertThat(seen).extracting(Seen::revision).isSorted();
    }

    @Test
    void aWatchWithoutRevisionStartsWithTheCurrentObjects() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        cache.watch("", Selection.EVERYTHING, null, recorder(seen));
        store.create(pods, pod("default", "later", "web", "n1"));

        await().atMost(WAIT).until(() -> seen.size() == 2);
        assertThat(seen).extracting(Seen::name).containsExactly("before", "later");
    }

    @Test
    void aRevisionOlderThanTheWindowIsGone() {
        long old = backend.currentRevision();
        for (int i = 0; i < 10; i++) {
            store.create(pods, pod("default", "p" + i, "web", "n1"));
        }
        cache.awaitRevision(backend.currentRevision(), WAIT);

        assertThatThrownBy(() -> cache.watch("", Selection.EVERYTHING, old, recorder(new CopyOnWriteArrayList<>())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(410));
    }
}
