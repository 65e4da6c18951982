/**
 * The scheduler's decision logic: {@link dev.skiff.control.scheduler.Scheduler} decides pods (one, or a batch
 * against one {@link dev.skiff.control.scheduler.framework.ClusterSnapshot} that absorbs each decision) with the
 * filters and scores of a {@link dev.skiff.control.scheduler.framework.Profile}, and answers a sealed
 * {@link dev.skiff.control.scheduler.ScheduleResult}: {@code Scheduled} (bind through {@code pods/binding}) or
 * {@code Unschedulable} with upstream's FailedScheduling message.
 *
 * <p>No API calls happen here: the scheduling loop that watches pods and nodes with informers, feeds the snapshot
 * and writes bindings, conditions and events wraps this package. {@link dev.skiff.control.scheduler.SchedulerNames}
 * tells which pods belong to this scheduler.
 */
package dev.skiff.control.scheduler;
