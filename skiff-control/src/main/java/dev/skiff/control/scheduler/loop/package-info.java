/**
 * The scheduling loop: the part of the scheduler that talks to the API server. Informers on nodes, pods and
 * namespaces feed a {@link dev.skiff.control.scheduler.framework.ClusterSnapshot}; pods waiting for a node are
 * drained in batches, decided by {@link dev.skiff.control.scheduler.Scheduler#scheduleBatch} and bound through
 * {@code pods/binding}; unschedulable pods get {@code PodScheduled=False} and a {@code FailedScheduling} event and
 * are retried when nodes change or after a backoff (decision 017).
 */
package dev.skiff.control.scheduler.loop;
