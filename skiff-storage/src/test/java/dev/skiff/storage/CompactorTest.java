package dev.skiff.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.storage.embedded.EmbeddedBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactorTest {

    @TempDir
    Path dir;

    @Test
    void compactsToTheNewestRevisionOlderThanTheRetention() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (EmbeddedBackend store = EmbeddedBackend.open(dir)) {
            Compactor compactor = new Compactor(store, clock, Duration.ofMinutes(5));
            write(store, "/a");
            long early = store.currentRevision();

            assertThat(compactor.tick()).as("nothing is old enough yet").isZero();
            clock.advance(Duration.ofMinutes(2));
            write(store, "/b");
            long later = store.currentRevision();
            assertThat(compactor.tick()).isZero();

            clock.advance(Duration.ofMinutes(3));
            write(store, "/c");
            assertThat(compactor.tick()).isEqualTo(early);
            assertThat(store.compactRevision()).isEqualTo(early);

            clock.advance(Duration.ofMinutes(2));
            assertThat(compactor.tick()).isEqualTo(later);
            assertThat(compactor.tick()).as("nothing new to compact").isZero();
            assertThat(store.get("/a").found()).isTrue();
        }
    }

    @Test
    void rejectsANonPositiveRetention() {
        try (EmbeddedBackend store = EmbeddedBackend.open(dir)) {
            assertThatThrownBy(() -> new Compactor(store, java.time.Clock.systemUTC(), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        }
    }

    private static void write(Backend store, String key) {
        assertThat(store.create(key, key.getBytes(StandardCharsets.UTF_8)).committed()).isTrue();
    }
}
