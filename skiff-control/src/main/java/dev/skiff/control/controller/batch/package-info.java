/**
 * The batch/v1 controllers, mirroring kube-controller-manager's: the Job controller (pods from the template until
 * enough complete, backoff limit, active deadline, suspend, and the TTL after a Job finished) and the CronJob
 * controller (Jobs on a cron schedule with concurrency policies and history limits), on the framework of
 * {@link dev.skiff.control.controller.Controller}.
 *
 * <p>Each controller keeps its decisions in a pure class over a snapshot and an instant ({@link
 * dev.skiff.control.controller.batch.JobSync}, {@link dev.skiff.control.controller.batch.CronJobSync}), so tests
 * drive them as tables with any clock; the controller classes only read caches and write through the client.
 */
package dev.skiff.control.controller.batch;
