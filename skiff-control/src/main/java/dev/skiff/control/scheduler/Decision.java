package dev.skiff.control.scheduler;

import io.fabric8.kubernetes.api.model.Pod;

/** One pod of a batch and what the scheduler decided for it. */
public record Decision(Pod pod, ScheduleResult result) {

    public boolean scheduled() {
        return result instanceof ScheduleResult.Scheduled;
    }

    /** The chosen node, or null when unschedulable. */
    public String nodeName() {
        return result instanceof ScheduleResult.Scheduled s ? s.nodeName() : null;
    }
}
