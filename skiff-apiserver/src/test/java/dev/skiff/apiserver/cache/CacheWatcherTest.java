package dev.skiff.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.registry.ObjectEvent;
import dev.skiff.apiserver.selection.Selection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CacheWatcherTest {

    @Test
    void eventsAlreadyQueuedGoOutTogetherAndAreFlushedOnceTheQueueIsEmpty() {
        List<String> calls = new CopyOnWriteArrayList<>();
        CacheWatcher watcher = new CacheWatcher("", Selection.EVERYTHING, new CacheSink() {
            @Override
            public boolean send(ObjectEvent.Type type, CachedObject object, long revision) {
                calls.add(type + " " + object.name());
                return true;
            }

            @Override
            public boolean flush() {
                calls.add("flush");
                return true;
            }

            @Override
            public void ended(boolean tooSlow) {
                calls.add("ended");
            }
        }, false, 100);
        // Queued before delivery starts: the watcher finds them all waiting, as a watcher that fell behind does.
        for (int i = 1; i <= 3; i++) {
            watcher.offer(new CacheEvent(ObjectEvent.Type.ADDED, object("cm-" + i, i), null, i));
        }

        watcher.start(List.of(), 0, -1, () -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("flush"));
        assertThat(calls.subList(0, 4)).containsExactly("ADDED cm-1", "ADDED cm-2", "ADDED cm-3", "flush");

        watcher.offer(new CacheEvent(ObjectEvent.Type.ADDED, object("cm-4", 4), null, 4));
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() >= 6);
        assertThat(calls.subList(4, 6)).containsExactly("ADDED cm-4", "flush");
        watcher.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("ended"));
    }

    private static CachedObject object(String name, long revision) {
        return new CachedObject("default", name, ("{\"metadata\":{\"name\":\"" + name + "\"}}")
                .getBytes(StandardCharsets.UTF_8), revision, Map.of(), Map.of());
    }
}
