package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Upstream's {@code calculateStatus} for a ReplicaSet: a pure function of the RS, its pods and the sync error. */
public final class ReplicaSetStatusCalculator {

    static final String REPLICA_FAILURE = "ReplicaFailure";

    private ReplicaSetStatusCalculator() {
    }

    /**
     * @param failureReason {@code FailedCreate}/{@code FailedDelete} when the sync failed (sets the ReplicaFailure
     *                      condition if absent), {@code null} when it succeeded (clears the condition)
     */
    public static ReplicaSetStatus calculate(ReplicaSet rs, List<Pod> owned, String failureReason,
                                             String failureMessage, Instant now) {
        Map<String, String> templateLabels = rs.getSpec().getTemplate() == null
                || rs.getSpec().getTemplate().getMetadata() == null
                || rs.getSpec().getTemplate().getMetadata().getLabels() == null
                ? Map.of() : rs.getSpec().getTemplate().getMetadata().getLabels();
        int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod pod : owned) {
            if (ReplicaSetController.labels(pod).entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            if (Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReady, now)) {
                    available++;
                }
            }
        }
        List<ReplicaSetCondition> conditions = new ArrayList<>();
        ReplicaSetCondition existing = null;
        if (rs.getStatus() != null && rs.getStatus().getConditions() != null) {
            for (ReplicaSetCondition condition : rs.getStatus().getConditions()) {
                if (REPLICA_FAILURE.equals(condition.getType())) {
                    existing = condition;
                } else {
                    conditions.add(condition);
                }
            }
        }
        if (failureReason != null) {
            // Upstream sets the condition only when absent, so its transition time marks the first failure.
            conditions.add(existing != null ? existing : new ReplicaSetConditionBuilder().withType(REPLICA_FAILURE)
                    .withStatus("True").withReason(failureReason).withMessage(failureMessage)
                    .withLastTransitionTime(Times.format(now)).build());
        }
        return new ReplicaSetStatusBuilder()
                .withReplicas(owned.size())
                .withFullyLabeledReplicas(fullyLabeled)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .withConditions(conditions)
                .build();
    }
}
