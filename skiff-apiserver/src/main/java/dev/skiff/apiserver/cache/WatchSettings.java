package dev.skiff.apiserver.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by every watch the API server serves.
 *
 * @param bookmarkInterval how often a watch that allows bookmarks receives one (kube-apiserver: about every minute,
 *                         plus one shortly before the watch's timeout); tests set it short
 */
public record WatchSettings(Duration bookmarkInterval) {

    /** As kube-apiserver: a bookmark roughly every minute. */
    public static final WatchSettings DEFAULTS = new WatchSettings(Duration.ofMinutes(1));

    public WatchSettings {
        Objects.requireNonNull(bookmarkInterval, "bookmarkInterval");
        if (bookmarkInterval.isNegative() || bookmarkInterval.isZero()) {
            throw new IllegalArgumentException("bookmarkInterval must be positive: " + bookmarkInterval);
        }
    }
}
