package dev.skiff.storage.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Lease sharing rules, on a hand-driven clock. */
class LeaseCacheTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> grants = new ArrayList<>();
    private final LeaseCache cache = new LeaseCache(seconds -> {
        grants.add(seconds);
        return grants.size();
    }, now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aLeaseIsGrantedForTheTtlPlusFivePercentRoundedUpToSeconds() {
        assertThat(LeaseCache.leaseSeconds(Duration.ofHours(1))).isEqualTo(3780);
        assertThat(LeaseCache.leaseSeconds(Duration.ofSeconds(2))).isEqualTo(3);
        assertThat(LeaseCache.leaseSeconds(Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(LeaseCache.leaseSeconds(Duration.ofSeconds(20))).isEqualTo(21);
    }

    @Test
    void writesWithTheSameTtlShareALeaseWhileItStillHasTheTtlToRun() {
        Duration hour = Duration.ofHours(1);
        long first = cache.leaseFor(hour);
        advance(Duration.ofSeconds(179));
        assertThat(cache.leaseFor(hour)).as("3780 s lease, 3601 s left").isEqualTo(first);
        advance(Duration.ofSeconds(2));

        long second = cache.leaseFor(hour);

        assertThat(second).as("3599 s left: a key would expire early").isNotEqualTo(first);
        assertThat(grants).containsExactly(3780L, 3780L);
    }

    @Test
    void differentTtlsNeverShareALease() {
        long hour = cache.leaseFor(Duration.ofHours(1));
        long minute = cache.leaseFor(Duration.ofMinutes(1));

        assertThat(hour).isNotEqualTo(minute);
        assertThat(cache.leaseFor(Duration.ofMinutes(1))).isEqualTo(minute);
    }

    @Test
    void aLeaseCarriesABoundedNumberOfKeys() {
        Duration ttl = Duration.ofMinutes(10);
        long first = cache.leaseFor(ttl);
        for (int i = 1; i < LeaseCache.MAX_KEYS_PER_LEASE; i++) {
            assertThat(cache.leaseFor(ttl)).isEqualTo(first);
        }

        assertThat(cache.leaseFor(ttl)).isNotEqualTo(first);
    }

    @Test
    void anInvalidatedLeaseIsReplaced() {
        Duration ttl = Duration.ofMinutes(10);
        long first = cache.leaseFor(ttl);

        cache.invalidate(first);

        assertThat(cache.leaseFor(ttl)).isNotEqualTo(first);
    }
}
