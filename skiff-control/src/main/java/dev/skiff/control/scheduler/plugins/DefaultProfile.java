package dev.skiff.control.scheduler.plugins;

import dev.skiff.control.scheduler.framework.Profile;

import java.util.List;

/**
 * Skiff's default profile: upstream's default plugins in upstream's order and weights, minus what virtual nodes
 * make meaningless (volumes, host ports, image locality), plus the ECI ones.
 *
 * <p>Filters: NodeUnschedulable, NodeReady, NodeName, TaintToleration, NodeAffinity, EciVSwitch, NodeResourcesFit,
 * PodTopologySpread, InterPodAffinity. Scores (weight): TaintToleration (3), NodeAffinity (2), NodeResourcesFit
 * LeastAllocated (1), PodTopologySpread (2), InterPodAffinity (2), NodeResourcesBalancedAllocation (1).
 */
public final class DefaultProfile {

    private DefaultProfile() {
    }

    public static Profile create() {
        return new Profile(
                List.of(new NodeUnschedulable(), new NodeReady(), new NodeName(), new TaintToleration(),
                        new NodeAffinity(), new EciVSwitch(), new NodeResourcesFit(), new PodTopologySpread(),
                        new InterPodAffinity()),
                List.of(new Profile.WeightedScore(new TaintTolerationScore(), 3),
                        new Profile.WeightedScore(new NodeAffinityScore(), 2),
                        new Profile.WeightedScore(new LeastAllocatedScore(), 1),
                        new Profile.WeightedScore(new PodTopologySpreadScore(), 2),
                        new Profile.WeightedScore(new InterPodAffinityScore(), 2),
                        new Profile.WeightedScore(new BalancedAllocationScore(), 1)));
    }
}
