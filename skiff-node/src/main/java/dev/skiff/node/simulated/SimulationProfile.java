package dev.skiff.node.simulated;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How simulated instances behave, cluster-wide; single pods adjust it with {@code skiff.dev/simulated-*} annotations
 * (see {@link SimulatedBehaviour}).
 *
 * @param stages              what happens, in order, between create and the containers starting
 * @param restartBackoff      the wait before the second restart of a container, doubling afterwards (the first
 *                            restart is immediate, as the kubelet's)
 * @param maxRestartBackoff   the cap of that doubling
 * @param ephemeralStorage    the writable space reported per instance when the pod requests none (Elastic Container
 *                            Instance gives 30 GiB by default)
 */
public record SimulationProfile(List<Stage> stages, Duration restartBackoff, Duration maxRestartBackoff,
                                long ephemeralStorage) {

    public SimulationProfile {
        stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
        Objects.requireNonNull(restartBackoff, "restartBackoff");
        Objects.requireNonNull(maxRestartBackoff, "maxRestartBackoff");
        if (restartBackoff.isNegative() || maxRestartBackoff.compareTo(restartBackoff) < 0) {
            throw new IllegalArgumentException("restart backoff must be >= 0 and its cap >= it");
        }
        if (ephemeralStorage <= 0) {
            throw new IllegalArgumentException("ephemeral storage must be positive");
        }
    }

    /**
     * The default: an image pull and a sandbox creation taking a few hundred milliseconds together, and the kubelet's
     * restart backoff (10 s doubling to 5 min). Never fails.
     */
    public static SimulationProfile defaults() {
        return new SimulationProfile(List.of(
                new Stage("Pulling", "Pulling image(s) {images}", "Pulled", "Successfully pulled image(s) {images}",
                        Duration.ofMillis(150), Duration.ofMillis(250), 0,
                        new StageFailure.Retry("ErrImagePull", Duration.ofSeconds(10))),
                Stage.of("Creating", "Creating the sandbox", Duration.ofMillis(50), Duration.ofMillis(100))),
                Duration.ofSeconds(10), Duration.ofMinutes(5), 30L << 30);
    }

    /** No waiting at all: every stage completes immediately (still asynchronously), restarts back off 10 ms. */
    public static SimulationProfile instant() {
        return defaults()
                .withStages(defaults().stages().stream().map(s -> s.withTiming(Duration.ZERO, Duration.ZERO)).toList())
                .withRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(80));
    }

    public SimulationProfile withStages(List<Stage> newStages) {
        return new SimulationProfile(newStages, restartBackoff, maxRestartBackoff, ephemeralStorage);
    }

    public SimulationProfile withRestartBackoff(Duration initial, Duration max) {
        return new SimulationProfile(stages, initial, max, ephemeralStorage);
    }

    /** The wait before a container's restart number {@code restart} (1 for the first): 0, then doubling, capped. */
    Duration backoffBefore(int restart) {
        if (restart <= 1) {
            return Duration.ZERO;
        }
        int doublings = Math.min(restart - 2, 30);
        Duration wait = restartBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxRestartBackoff) > 0 ? maxRestartBackoff : wait;
    }
}
