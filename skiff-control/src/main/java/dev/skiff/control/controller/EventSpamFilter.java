package dev.skiff.control.controller;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops a recorder's events about one object once it has recorded too many of them, as client-go's
 * {@code EventSourceObjectSpamFilter} does in every controller's event correlator: one token bucket per event source
 * and involved object (kind, namespace, name, uid, apiVersion — not the reason or message), {@value #BURST} tokens,
 * refilled at one per {@value #REFILL_SECONDS} seconds, the buckets kept in an LRU of {@value #MAX_KEYS} objects.
 *
 * <p>Why it matters here: a ReplicaSet scaled by thousands records a {@code SuccessfulCreate} per pod, each one an
 * API write costing the server as much as the pod's own create. Upstream lets the first 25 through and then about
 * one per five minutes; {@code kubectl describe} still shows how the burst started.
 *
 * <p>Thread-safe (synchronized); never blocks.
 */
final class EventSpamFilter {

    /** client-go's {@code defaultSpamBurst}. */
    static final int BURST = 25;
    /** client-go's {@code defaultSpamQPS} is 1/300: one token per five minutes. */
    static final long REFILL_SECONDS = 300;
    /** client-go's {@code maxLruCacheEntries}. */
    static final int MAX_KEYS = 4096;

    private final Clock clock;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_KEYS;
        }
    };

    /** Tokens left at {@code atMillis}. */
    private record Bucket(double tokens, long atMillis) {
    }

    EventSpamFilter(Clock clock) {
        this.clock = clock;
    }

    /** Takes a token for one event about the object the key names; answers whether the event may be written. */
    synchronized boolean allow(String objectKey) {
        long now = clock.millis();
        Bucket bucket = buckets.get(objectKey);
        double tokens = bucket == null
                ? BURST
                : Math.min(BURST, bucket.tokens() + Math.max(0, now - bucket.atMillis()) / (REFILL_SECONDS * 1000.0));
        if (tokens < 1) {
            buckets.put(objectKey, new Bucket(tokens, now));
            return false;
        }
        buckets.put(objectKey, new Bucket(tokens - 1, now));
        return true;
    }
}
