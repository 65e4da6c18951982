package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Deployment controller's decisions about its ReplicaSets that need no API: which one is new, their order and
 * revisions, how a resize spreads over them, which are pruned from history (upstream's deployment util package).
 */
final class DeploymentReplicaSets {

    private DeploymentReplicaSets() {
    }

    /** Upstream's {@code EqualIgnoreHash}: templates equal apart from the pod-template-hash label. */
    static boolean equalIgnoreHash(PodTemplateSpec a, PodTemplateSpec b) {
        return Objects.equals(withoutHash(a), withoutHash(b));
    }

    static PodTemplateSpec withoutHash(PodTemplateSpec template) {
        PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            Map<String, String> labels = new HashMap<>(copy.getMetadata().getLabels());
            labels.remove(PodTemplateHash.LABEL);
            copy.getMetadata().setLabels(labels);
        }
        return copy;
    }

    /** Upstream's {@code FindNewReplicaSet}: the oldest ReplicaSet whose template equals the deployment's. */
    static ReplicaSet findNew(Deployment d, List<ReplicaSet> sets) {
        return sets.stream().sorted(byCreation())
                .filter(rs -> equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
    }

    static Comparator<ReplicaSet> byCreation() {
        return Comparator.comparing((ReplicaSet rs) -> {
            Instant t = Times.parse(rs.getMetadata().getCreationTimestamp());
            return t == null ? Instant.MIN : t;
        }).thenComparing(rs -> rs.getMetadata().getName());
    }

    static long revision(ReplicaSet rs) {
        String value = annotationOf(rs, DeploymentController.REVISION);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String annotationOf(ReplicaSet rs, String key) {
        return rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(key);
    }

    /**
     * Upstream's proportional part of {@code scale}: the new size of each active ReplicaSet when a rolling
     * deployment is resized, in the order to apply them; empty when nothing is to add or remove. Scale up the
     * largest (newest on ties) first, scale down the smallest (oldest on ties) first, each in proportion to its
     * share, the rounding leftover going to the first (upstream's getProportion).
     */
    static Map<ReplicaSet, Integer> proportionalSizes(Deployment d, List<ReplicaSet> active) {
        int allowed = RolloutMath.replicas(d) + RolloutMath.fenceposts(d).maxSurge();
        int current = RolloutMath.sumSpec(active);
        int toAdd = allowed - current;
        Map<ReplicaSet, Integer> sizes = new LinkedHashMap<>();
        if (toAdd == 0) {
            return sizes;
        }
        List<ReplicaSet> order = new ArrayList<>(active);
        Comparator<ReplicaSet> bySize = Comparator.comparingInt(RolloutMath::specReplicas);
        order.sort(toAdd > 0 ? bySize.reversed().thenComparing(byCreation().reversed())
                : bySize.thenComparing(byCreation()));
        int added = 0;
        for (ReplicaSet rs : order) {
            int share = (int) ((long) RolloutMath.specReplicas(rs) * toAdd / Math.max(current, 1));
            int remaining = toAdd - added;
            share = toAdd > 0 ? Math.min(share, remaining) : Math.max(share, remaining);
            sizes.put(rs, RolloutMath.specReplicas(rs) + share);
            added += share;
        }
        if (added != toAdd && !order.isEmpty()) {
            ReplicaSet first = order.get(0);
            sizes.put(first, sizes.get(first) + (toAdd - added));
        }
        sizes.replaceAll((rs, size) -> Math.max(0, size));
        return sizes;
    }

    /**
     * Upstream's {@code cleanupDeployment} choice: the oldest idle old ReplicaSets (scaled to zero, no pods, status
     * current) beyond {@code revisionHistoryLimit} (default 10), lowest revision first.
     */
    static List<ReplicaSet> beyondHistoryLimit(Deployment d, List<ReplicaSet> old) {
        int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> cleanable = new ArrayList<>(old.stream()
                .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
        int diff = cleanable.size() - limit;
        List<ReplicaSet> prune = new ArrayList<>();
        if (diff <= 0) {
            return prune;
        }
        cleanable.sort(Comparator.comparingLong(DeploymentReplicaSets::revision).thenComparing(byCreation()));
        for (ReplicaSet rs : cleanable) {
            if (prune.size() == diff) {
                break;
            }
            boolean idle = RolloutMath.specReplicas(rs) == 0 && rs.getStatus() != null
                    && (rs.getStatus().getReplicas() == null || rs.getStatus().getReplicas() == 0)
                    && Objects.equals(rs.getStatus().getObservedGeneration(), rs.getMetadata().getGeneration());
            if (idle) {
                prune.add(rs);
            }
        }
        return prune;
    }
}
