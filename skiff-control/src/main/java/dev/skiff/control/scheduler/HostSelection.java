package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.model.EciPlacement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Picks the node among the feasible ones.
 *
 * <p>Without an ECI strategy: the highest total score, ties broken uniformly at random by reservoir sampling over
 * the nodes in order (upstream's {@code selectHost}).
 *
 * <p>With {@code k8s.aliyun.com/eci-schedule-strategy} (the vSwitch order is the pod's {@code eci-vswitch} list, or
 * else the cluster's): {@code VSwitchOrdered} takes the feasible node whose vSwitch comes first in the order (the
 * first listed vSwitch with room wins), best score among nodes of that vSwitch; {@code VSwitchRandom} picks
 * uniformly among feasible nodes of the listed vSwitches. A pod listing vSwitches without a strategy gets
 * {@code VSwitchRandom}, ECI's documented default ("distributes the requests to the specified zones at random").
 * Nodes outside the order (no vSwitch label) come last for VSwitchOrdered and only when no listed one fits for
 * VSwitchRandom.
 */
final class HostSelection {

    private HostSelection() {
    }

    static int pick(List<NodeInfo> feasible, long[] totals, EciPlacement eci, List<String> clusterOrder,
                    RandomGenerator random) {
        List<String> order = eci.restrictsVSwitches() ? eci.vSwitches() : clusterOrder;
        Optional<EciPlacement.Strategy> strategy = eci.strategy();
        if (strategy.isEmpty() && eci.restrictsVSwitches()) {
            strategy = Optional.of(EciPlacement.Strategy.VSWITCH_RANDOM);
        }
        if (strategy.isEmpty() || order.isEmpty()) {
            return best(allIndexes(feasible.size()), totals, random);
        }
        return switch (strategy.get()) {
            case VSWITCH_ORDERED -> ordered(feasible, totals, order, random);
            case VSWITCH_RANDOM -> randomAmongListed(feasible, order, random);
        };
    }

    private static int ordered(List<NodeInfo> feasible, long[] totals, List<String> order, RandomGenerator random) {
        int bestRank = Integer.MAX_VALUE;
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < feasible.size(); i++) {
            int rank = rank(feasible.get(i), order);
            if (rank < bestRank) {
                bestRank = rank;
                candidates.clear();
            }
            if (rank == bestRank) {
                candidates.add(i);
            }
        }
        return best(candidates, totals, random);
    }

    private static int randomAmongListed(List<NodeInfo> feasible, List<String> order, RandomGenerator random) {
        List<Integer> listed = new ArrayList<>();
        for (int i = 0; i < feasible.size(); i++) {
            if (rank(feasible.get(i), order) < order.size()) {
                listed.add(i);
            }
        }
        if (listed.isEmpty()) {
            return random.nextInt(feasible.size());
        }
        return listed.get(random.nextInt(listed.size()));
    }

    private static int rank(NodeInfo node, List<String> order) {
        String vSwitch = node.labels().get(EciPlacement.VSWITCH_LABEL);
        int index = vSwitch == null ? -1 : order.indexOf(vSwitch);
        return index < 0 ? order.size() : index;
    }

    /** Highest total; among equals, each is chosen with equal probability (reservoir sampling). */
    private static int best(List<Integer> candidates, long[] totals, RandomGenerator random) {
        int selected = -1;
        long max = Long.MIN_VALUE;
        int ties = 0;
        for (int i : candidates) {
            if (totals[i] > max) {
                max = totals[i];
                selected = i;
                ties = 1;
            } else if (totals[i] == max) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    selected = i;
                }
            }
        }
        return selected;
    }

    private static List<Integer> allIndexes(int n) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }
}
