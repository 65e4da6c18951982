package dev.skiff.bench.sandbox;

import java.util.Locale;

/**
 * The figures of one run and the benchmark's last line. {@code overhead_ratio} is Skiff's cached start p50 over the
 * raw peer's p50 (how many times containerd's own cost Skiff's whole create-to-Running path takes); the image-cache
 * figure is the cold pull of the large image over its start from an ImageCache (the speed-up). The like-for-like
 * peer, the same pod's CRI calls made directly ({@code cri_pod_p50_ms}: sandbox with its network, then the container),
 * gives {@code cri_overhead_ratio}: how many times containerd's own cost of a pod Skiff's whole path takes.
 *
 * @param cachedStartP50 pod create to Running, image present (ms)
 * @param rawCtrP50      {@code ctr run -d} until the task runs, image present (ms)
 * @param coldStartP50   pod create to Running, image pulled first (ms)
 * @param burstSeconds   first create of the burst until every pod of it is Running (s)
 * @param burstPods      pods in the burst (100 in a full run)
 * @param imageCacheSpeedup cold large-image start over image-cache start, or NaN when not measured
 * @param viaImageCache  whether the large image came from an ImageCache ({@code image_cache_speedup}) or, on a
 *                       runtime that cannot build caches, was pre-pulled by a pod ({@code prepulled_speedup})
 * @param criPodP50      the pod's CRI calls alone (RunPodSandbox ... StartContainer), image present (ms), or NaN
 *                       when the target cannot make them
 */
record SandboxResult(double cachedStartP50, double rawCtrP50, double coldStartP50, double burstSeconds,
        int burstPods, double imageCacheSpeedup, boolean viaImageCache, double criPodP50) {

    double overheadRatio() {
        return cachedStartP50 / rawCtrP50;
    }

    /** {@code RESULT cached_start_p50_ms=... raw_ctr_p50_ms=... overhead_ratio=... cold_start_p50_ms=... burst100_s=...}. */
    String resultLine() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "RESULT cached_start_p50_ms=%.0f raw_ctr_p50_ms=%.0f overhead_ratio=%.2f cold_start_p50_ms=%.0f"
                        + " burst%d_s=%.1f",
                cachedStartP50, rawCtrP50, overheadRatio(), coldStartP50, burstPods, burstSeconds));
        if (!Double.isNaN(imageCacheSpeedup)) {
            line.append(String.format(Locale.ROOT, viaImageCache ? " image_cache_speedup=%.1f"
                    : " prepulled_speedup=%.1f", imageCacheSpeedup));
        }
        if (!Double.isNaN(criPodP50)) {
            // After the keys: the like-for-like peer (decision 038).
            line.append(String.format(Locale.ROOT, " cri_pod_p50_ms=%.0f cri_overhead_ratio=%.2f", criPodP50,
                    cachedStartP50 / criPodP50));
        }
        return line.toString();
    }
}
