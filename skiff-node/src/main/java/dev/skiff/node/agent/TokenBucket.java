package dev.skiff.node.agent;

import java.time.Clock;

/**
 * A token bucket as client-go's {@code flowcontrol.NewTokenBucketRateLimiter} (golang.org/x/time/rate underneath):
 * {@code burst} tokens at most, refilled at {@code qps} per second; each call reserves one token and says how long
 * to wait until it is due. The kubelet limits its event client this way ({@code eventRecordQPS} 50,
 * {@code eventBurst} 100 by default).
 *
 * <p>Thread-safe (synchronized); never blocks: the caller sleeps for the returned time.
 */
final class TokenBucket {

    private final double qps;
    private final int burst;
    private final Clock clock;
    /** Tokens available at {@link #lastMillis}; negative when reservations ran ahead of the refill. */
    private double tokens;
    private long lastMillis;

    TokenBucket(double qps, int burst, Clock clock) {
        if (qps <= 0 || burst < 1) {
            throw new IllegalArgumentException("qps must be > 0 and burst >= 1");
        }
        this.qps = qps;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.lastMillis = clock.millis();
    }

    /** Takes one token; returns the milliseconds until it may be used (0: at once). */
    synchronized long reserve() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(burst, tokens + (now - lastMillis) * qps / 1000.0);
            lastMillis = now;
        }
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1000.0 / qps);
    }
}
