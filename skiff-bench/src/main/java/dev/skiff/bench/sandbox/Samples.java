package dev.skiff.bench.sandbox;

import java.util.Arrays;
import java.util.List;

/**
 * Durations of one kind of start, in milliseconds, with nearest-rank percentiles: the p-th percentile is the
 * smallest sample with at least p% of the samples at or below it (so p99 of fewer than 100 samples is the maximum,
 * which is what a small run can honestly say).
 */
record Samples(String name, double[] millis) {

    Samples {
        millis = millis.clone();
        Arrays.sort(millis);
    }

    static Samples of(String name, List<Double> millis) {
        return new Samples(name, millis.stream().mapToDouble(Double::doubleValue).toArray());
    }

    int count() {
        return millis.length;
    }

    /** The nearest-rank percentile, or NaN without samples. */
    double percentile(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], not " + p);
        }
        if (millis.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * millis.length);
        return millis[Math.max(1, rank) - 1];
    }

    double p50() {
        return percentile(50);
    }

    double p99() {
        return percentile(99);
    }

    /** One report line: name, count, p50, p99, min and max. */
    String describe() {
        if (millis.length == 0) {
            return String.format(java.util.Locale.ROOT, "%-34s no samples", name);
        }
        return String.format(java.util.Locale.ROOT, "%-34s n=%-3d p50=%7.1f ms  p99=%7.1f ms  min=%7.1f  max=%7.1f",
                name, millis.length, p50(), p99(), millis[0], millis[millis.length - 1]);
    }
}
