package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Job condition types, reasons and helpers, as upstream's {@code batch/v1} constants and job_controller helpers. */
public final class JobConditions {

    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    public static final String SUSPENDED = "Suspended";
    /** Added when the Job will fail; Failed follows once its pods are gone (1.31+). */
    public static final String FAILURE_TARGET = "FailureTarget";
    /** Added when the Job will succeed; Complete follows once its pods are gone (1.31+). */
    public static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";

    public static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    public static final String COMPLETIONS_REACHED = "CompletionsReached";

    private JobConditions() {
    }

    /** The condition of this type, or {@code null}. */
    public static JobCondition get(JobStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        for (JobCondition condition : status.getConditions()) {
            if (type.equals(condition.getType())) {
                return condition;
            }
        }
        return null;
    }

    public static boolean isTrue(JobStatus status, String type) {
        JobCondition condition = get(status, type);
        return condition != null && "True".equals(condition.getStatus());
    }

    /** Upstream's {@code IsJobFinished}: Complete or Failed is True. */
    public static boolean finished(Job job) {
        return isTrue(job.getStatus(), COMPLETE) || isTrue(job.getStatus(), FAILED);
    }

    /** When the Job finished (the terminal condition's transition), or {@code null} if it has not. */
    public static Instant finishedAt(Job job) {
        for (String type : List.of(COMPLETE, FAILED)) {
            JobCondition condition = get(job.getStatus(), type);
            if (condition != null && "True".equals(condition.getStatus())) {
                return Times.parse(condition.getLastTransitionTime());
            }
        }
        return null;
    }

    /**
     * Sets a condition as upstream's {@code ensureJobConditionStatus}: a new type is appended; an existing one keeps
     * its transition time unless its status changes. Answers whether anything changed.
     */
    static boolean ensure(JobStatus status, String type, String value, String reason, String message, Instant now) {
        List<JobCondition> conditions = status.getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(status.getConditions());
        String at = Times.format(now);
        for (int i = 0; i < conditions.size(); i++) {
            JobCondition existing = conditions.get(i);
            if (!type.equals(existing.getType())) {
                continue;
            }
            if (value.equals(existing.getStatus()) && reason.equals(existing.getReason())
                    && message.equals(existing.getMessage())) {
                return false;
            }
            String transition = value.equals(existing.getStatus()) ? existing.getLastTransitionTime() : at;
            conditions.set(i, new JobConditionBuilder().withType(type).withStatus(value).withReason(reason)
                    .withMessage(message).withLastProbeTime(at).withLastTransitionTime(transition).build());
            status.setConditions(conditions);
            return true;
        }
        if ("False".equals(value)) {
            return false; // upstream never adds a condition just to say False
        }
        conditions.add(new JobConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withMessage(message).withLastProbeTime(at).withLastTransitionTime(at).build());
        status.setConditions(conditions);
        return true;
    }
}
