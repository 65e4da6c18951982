package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.util.List;

/** Pure arithmetic of upstream's {@code deployment/util}: surge and unavailability fenceposts, replica sums. */
public final class RolloutMath {

    private RolloutMath() {
    }

    /** A resolved {@code maxSurge}/{@code maxUnavailable} pair. */
    public record Fenceposts(int maxSurge, int maxUnavailable) {
    }

    public static int replicas(Deployment d) {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    public static boolean isRollingUpdate(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                || "RollingUpdate".equals(d.getSpec().getStrategy().getType());
    }

    /**
     * Upstream's {@code ResolveFenceposts}: surge rounds up, unavailability rounds down, and both zero would deadlock
     * a rollout so unavailability becomes 1. Recreate has neither. Defaults are 25% each.
     */
    public static Fenceposts fenceposts(Deployment d) {
        if (!isRollingUpdate(d)) {
            return new Fenceposts(0, 0);
        }
        IntOrString surge = null;
        IntOrString unavailable = null;
        if (d.getSpec().getStrategy() != null && d.getSpec().getStrategy().getRollingUpdate() != null) {
            surge = d.getSpec().getStrategy().getRollingUpdate().getMaxSurge();
            unavailable = d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
        }
        int replicas = replicas(d);
        int s = scaled(surge == null ? new IntOrString("25%") : surge, replicas, true);
        int u = scaled(unavailable == null ? new IntOrString("25%") : unavailable, replicas, false);
        if (s == 0 && u == 0) {
            u = 1;
        }
        return new Fenceposts(s, u);
    }

    /** Upstream's {@code GetScaledValueFromIntOrPercent}. */
    public static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal();
        if (s == null || !s.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: " + s);
        }
        int percent = Integer.parseInt(s.substring(0, s.length() - 1));
        long product = (long) percent * total;
        return (int) (roundUp ? (product + 99) / 100 : product / 100);
    }

    /** {@code MaxUnavailable} for availability checks (never above replicas). */
    public static int maxUnavailable(Deployment d) {
        if (!isRollingUpdate(d) || replicas(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d).maxUnavailable(), replicas(d));
    }

    public static int specReplicas(ReplicaSet rs) {
        return rs == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    public static int sumSpec(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(RolloutMath::specReplicas).sum();
    }

    public static int sumStatus(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0
                : rs.getStatus().getReplicas()).sum();
    }

    public static int sumReady(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0
                : rs.getStatus().getReadyReplicas()).sum();
    }

    public static int available(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null ? 0
                : rs.getStatus().getAvailableReplicas();
    }

    public static int sumAvailable(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(RolloutMath::available).sum();
    }

    /**
     * Upstream's {@code NewRSNewReplicas} for a rolling update: grow the new ReplicaSet as far as the surge allows
     * without exceeding the desired replicas. Recreate goes straight to the desired count.
     */
    public static int newReplicaSetReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        int replicas = replicas(d);
        if (!isRollingUpdate(d)) {
            return replicas;
        }
        int current = specReplicas(newRS);
        int maxTotal = replicas + fenceposts(d).maxSurge();
        int total = sumSpec(all);
        if (total >= maxTotal) {
            return current;
        }
        int scaleUp = Math.min(maxTotal - total, replicas - current);
        return current + Math.max(scaleUp, 0);
    }
}
