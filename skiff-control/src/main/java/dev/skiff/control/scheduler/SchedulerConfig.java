package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.Profile;
import dev.skiff.control.scheduler.plugins.DefaultProfile;

import java.util.List;
import java.util.Objects;

/**
 * How a {@link Scheduler} decides.
 *
 * @param names               the {@code schedulerName}s answered to
 * @param profile             filters and weighted scores
 * @param randomSeed          seeds tie-breaking among equal best nodes and {@code VSwitchRandom}: the same seed,
 *                            snapshot and pods give the same decisions
 * @param defaultVSwitchOrder the cluster's vSwitch order (the ECI profile's {@code vSwitchIds}), used by
 *                            {@code eci-schedule-strategy} when a pod gives a strategy without its own
 *                            {@code eci-vswitch} list; may be empty
 */
public record SchedulerConfig(SchedulerNames names, Profile profile, long randomSeed,
                              List<String> defaultVSwitchOrder) {

    public SchedulerConfig {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(profile, "profile");
        defaultVSwitchOrder = List.copyOf(defaultVSwitchOrder);
    }

    /** {@code default-scheduler}, the default profile, seed 0, no cluster vSwitch order. */
    public static SchedulerConfig defaults() {
        return new SchedulerConfig(SchedulerNames.of(null), DefaultProfile.create(), 0, List.of());
    }

    public SchedulerConfig withNames(SchedulerNames names) {
        return new SchedulerConfig(names, profile, randomSeed, defaultVSwitchOrder);
    }

    public SchedulerConfig withProfile(Profile profile) {
        return new SchedulerConfig(names, profile, randomSeed, defaultVSwitchOrder);
    }

    public SchedulerConfig withRandomSeed(long seed) {
        return new SchedulerConfig(names, profile, seed, defaultVSwitchOrder);
    }

    public SchedulerConfig withDefaultVSwitchOrder(List<String> order) {
        return new SchedulerConfig(names, profile, randomSeed, order);
    }
}
