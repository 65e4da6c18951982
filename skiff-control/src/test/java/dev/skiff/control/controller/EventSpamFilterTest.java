package dev.skiff.control.controller;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class EventSpamFilterTest {

    /** A clock the test moves. */
    private static final class Manual extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }
    }

    @Test
    void letsTheBurstThroughPerObjectThenOnePerFiveMinutes() {
        Manual clock = new Manual();
        EventSpamFilter filter = new EventSpamFilter(clock);
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (filter.allow("ReplicaSet/ns/web")) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(EventSpamFilter.BURST);
        // Another object has its own bucket.
        assertThat(filter.allow("ReplicaSet/ns/other")).isTrue();

        clock.advance(Duration.ofSeconds(299));
        assertThat(filter.allow("ReplicaSet/ns/web")).isFalse();
        clock.advance(Duration.ofSeconds(302));
        // Refused attempts do not consume tokens: after just over ten minutes two events pass, then none.
        assertThat(filter.allow("ReplicaSet/ns/web")).isTrue();
        assertThat(filter.allow("ReplicaSet/ns/web")).isTrue();
        assertThat(filter.allow("ReplicaSet/ns/web")).isFalse();
    }

    @Test
    void refillsToTheBurstAndNoFurther() {
        Manual clock = new Manual();
        EventSpamFilter filter = new EventSpamFilter(clock);
        for (int i = 0; i < EventSpamFilter.BURST; i++) {
            assertThat(filter.allow("Pod/ns/a")).isTrue();
        }
        clock.advance(Duration.ofDays(1));
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            if (filter.allow("Pod/ns/a")) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(EventSpamFilter.BURST);
    }
}
