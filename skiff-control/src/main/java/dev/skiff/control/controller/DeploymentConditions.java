package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Deployment status and conditions, as upstream's {@code calculateStatus}, {@code syncRolloutStatus} and the
 * {@code DeploymentComplete/Progressing/TimedOut} predicates: pure functions of the deployment, its ReplicaSets and
 * the time.
 */
public final class DeploymentConditions {

    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";

    private DeploymentConditions() {
    }

    /** Status counts, observedGeneration and the Available condition; other conditions are carried over. */
    public static DeploymentStatus calculate(Deployment d, List<ReplicaSet> all, ReplicaSet newRS, Instant now) {
        int available = RolloutMath.sumAvailable(all);
        int unavailable = Math.max(0, RolloutMath.sumSpec(all) - available);
        DeploymentStatus old = d.getStatus();
        List<DeploymentCondition> conditions = old == null || old.getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(old.getConditions());
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(RolloutMath.sumStatus(all))
                .withUpdatedReplicas(newRS == null || newRS.getStatus() == null
                        || newRS.getStatus().getReplicas() == null ? 0 : newRS.getStatus().getReplicas())
                .withReadyReplicas(RolloutMath.sumReady(all))
                .withAvailableReplicas(available)
                .withUnavailableReplicas(unavailable)
                .withCollisionCount(old == null ? null : old.getCollisionCount())
                .withConditions(conditions)
                .build();
        if (available >= RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d)) {
            set(status, condition(AVAILABLE, "True", "MinimumReplicasAvailable",
                    "Deployment has minimum availability.", now));
        } else {
            set(status, condition(AVAILABLE, "False", "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.", now));
        }
        return status;
    }

    /** Upstream's {@code DeploymentComplete}: every replica updated and available, and the spec observed. */
    public static boolean complete(Deployment d, DeploymentStatus s) {
        int replicas = RolloutMath.replicas(d);
        return n(s.getUpdatedReplicas()) == replicas && n(s.getReplicas()) == replicas
                && n(s.getAvailableReplicas()) == replicas
                && s.getObservedGeneration() != null && d.getMetadata().getGeneration() != null
                && s.getObservedGeneration() >= d.getMetadata().getGeneration();
    }

    /** Upstream's {@code DeploymentProgressing}: more updated, fewer old, or more ready/available replicas. */
    public static boolean progressing(Deployment d, DeploymentStatus next) {
        DeploymentStatus cur = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int curOld = n(cur.getReplicas()) - n(cur.getUpdatedReplicas());
        int nextOld = n(next.getReplicas()) - n(next.getUpdatedReplicas());
        return n(next.getUpdatedReplicas()) > n(cur.getUpdatedReplicas()) || nextOld < curOld
                || n(next.getReadyReplicas()) > n(cur.getReadyReplicas())
                || n(next.getAvailableReplicas()) > n(cur.getAvailableReplicas());
    }

    /** Upstream's {@code DeploymentTimedOut}: no progress for {@code progressDeadlineSeconds}. */
    public static boolean timedOut(Deployment d, DeploymentStatus s, Instant now) {
        Integer deadline = d.getSpec().getProgressDeadlineSeconds();
        DeploymentCondition c = get(s, PROGRESSING);
        if (deadline == null || c == null) {
            return false;
        }
        if ("NewReplicaSetAvailable".equals(c.getReason())) {
            return false;
        }
        if ("ProgressDeadlineExceeded".equals(c.getReason())) {
            return true;
        }
        Instant from = Times.parse(c.getLastUpdateTime());
        return from != null && from.plus(Duration.ofSeconds(deadline)).isBefore(now);
    }

    public static DeploymentCondition get(DeploymentStatus s, String type) {
        if (s == null || s.getConditions() == null) {
            return null;
        }
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /**
     * Upstream's {@code SetDeploymentCondition}: replaces the condition of the same type; unchanged status and reason
     * leave it as is, and an unchanged status keeps its lastTransitionTime.
     */
    public static void set(DeploymentStatus s, DeploymentCondition c) {
        DeploymentCondition current = get(s, c.getType());
        if (current != null && Objects.equals(current.getStatus(), c.getStatus())
                && Objects.equals(current.getReason(), c.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), c.getStatus())) {
            c.setLastTransitionTime(current.getLastTransitionTime());
        }
        List<DeploymentCondition> rest = new ArrayList<>();
        if (s.getConditions() != null) {
            s.getConditions().stream().filter(x -> !c.getType().equals(x.getType())).forEach(rest::add);
        }
        rest.add(c);
        s.setConditions(rest);
    }

    public static void remove(DeploymentStatus s, String type) {
        if (s.getConditions() != null) {
            s.setConditions(new ArrayList<>(s.getConditions().stream().filter(c -> !type.equals(c.getType()))
                    .toList()));
        }
    }

    public static DeploymentCondition condition(String type, String status, String reason, String message,
                                                Instant now) {
        String t = Times.format(now);
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastUpdateTime(t).withLastTransitionTime(t).build();
    }

    /**
     * Upstream's {@code syncRolloutStatus} condition logic: Progressing is True with NewReplicaSetAvailable once
     * complete, True with ReplicaSetUpdated while progressing (keeping the transition time), False with
     * ProgressDeadlineExceeded once the deadline passes. A deployment without a deadline or paused is left alone.
     */
    public static void updateProgressing(Deployment d, DeploymentStatus next, ReplicaSet newRS, Instant now) {
        if (d.getSpec().getProgressDeadlineSeconds() == null) {
            remove(next, PROGRESSING);
            return;
        }
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            return;
        }
        DeploymentCondition current = get(next, PROGRESSING);
        boolean isCompleteDeployment = complete(d, next);
        String rsName = newRS == null ? "" : newRS.getMetadata().getName();
        if (isCompleteDeployment) {
            set(next, condition(PROGRESSING, "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + rsName + "\" has successfully progressed.", now));
        } else if (progressing(d, next)) {
            DeploymentCondition c = condition(PROGRESSING, "True", "ReplicaSetUpdated",
                    "ReplicaSet \"" + rsName + "\" is progressing.", now);
            if (current != null && "True".equals(current.getStatus())) {
                // Progress refreshes lastUpdateTime (the deadline's start) even when status and reason are unchanged.
                c.setLastTransitionTime(current.getLastTransitionTime());
                remove(next, PROGRESSING);
            }
            set(next, c);
        } else if (timedOut(d, next, now)) {
            set(next, condition(PROGRESSING, "False", "ProgressDeadlineExceeded",
                    "ReplicaSet \"" + rsName + "\" has timed out progressing.", now));
        }
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }

    /** A copy of the deployment's status to change (an empty one if it has none). */
    static DeploymentStatus copyOf(Deployment d) {
        return d.getStatus() == null ? new DeploymentStatus() : new DeploymentStatusBuilder(d.getStatus()).build();
    }

    /**
     * Upstream's {@code checkPausedConditions}: the status with Progressing=Unknown DeploymentPaused (or
     * DeploymentResumed) when pausing (resuming) changes it, or null when nothing is to write; a deployment
     * without a progress deadline, or one that timed out, keeps its condition.
     */
    static DeploymentStatus pausedTransition(Deployment d, Instant now) {
        if (d.getSpec().getProgressDeadlineSeconds() == null) {
            return null;
        }
        DeploymentCondition cond = get(d.getStatus(), PROGRESSING);
        if (cond != null && "ProgressDeadlineExceeded".equals(cond.getReason())) {
            return null;
        }
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        boolean pausedCondition = cond != null && "DeploymentPaused".equals(cond.getReason());
        if (paused == pausedCondition) {
            return null;
        }
        DeploymentStatus status = copyOf(d);
        set(status, paused
                ? condition(PROGRESSING, "Unknown", "DeploymentPaused", "Deployment is paused", now)
                : condition(PROGRESSING, "Unknown", "DeploymentResumed", "Deployment is resumed", now));
        return status;
    }

    /**
     * How long until a progressing deployment's deadline passes (plus a second), so the controller looks again
     * then; empty when no deadline applies (upstream's {@code requeueStuckDeployment}).
     */
    static Optional<Duration> untilProgressDeadline(Deployment d, DeploymentStatus next, Instant now) {
        Integer deadline = d.getSpec().getProgressDeadlineSeconds();
        DeploymentCondition progressing = get(next, PROGRESSING);
        if (deadline == null || progressing == null || complete(d, next) || !"True".equals(progressing.getStatus())) {
            return Optional.empty();
        }
        Instant from = Times.parse(progressing.getLastUpdateTime());
        if (from == null) {
            return Optional.empty();
        }
        Duration after = Duration.between(now, from.plusSeconds(deadline)).plusSeconds(1);
        return Optional.of(after.isNegative() ? Duration.ZERO : after);
    }
}
