package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.EventRecorder;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The CronJob controller, as upstream's {@code pkg/controller/cronjob/cronjob_controllerv2.go}: creates a Job for
 * each due schedule time, applies the concurrency policy and history limits, keeps {@code status.active},
 * {@code lastScheduleTime} and {@code lastSuccessfulTime}; decisions are {@link CronJobSync}'s. Each sync requeues
 * the CronJob at its next schedule time, measured on the injected clock.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one CronJob on two threads.
 */
public final class CronJobController implements Reconciler, AutoCloseable {

    private final KubernetesClient client;
    private final Clock clock;
    private final SharedIndexInformer<CronJob> cronJobs;
    private final SharedIndexInformer<Job> jobs;
    private final EventRecorder events;
    private final Controller controller;

    public CronJobController(KubernetesClient client, Clock clock, SharedIndexInformer<CronJob> cronJobs,
                             SharedIndexInformer<Job> jobs, int workers, ScheduledExecutorService executor) {
        this.client = client;
        this.clock = clock;
        this.cronJobs = cronJobs;
        this.jobs = jobs;
        this.events = new EventRecorder(client, clock, "cronjob-controller");
        this.controller = new Controller("cronjob", this, workers, executor);
        controller.watch(cronJobs);
        controller.watchOwned(jobs, "CronJob");
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String key) {
        CronJob cronJob = cronJobs.getIndexer().getByKey(key);
        if (cronJob == null) {
            return;
        }
        List<Job> owned = ownedJobs(cronJob);
        CronJobPlan plan = CronJobSync.plan(cronJob, owned, clock.instant(), clock.getZone());
        for (JobPlan.JobEvent event : plan.events()) {
            record(cronJob, event);
        }
        for (Job job : plan.deletions()) {
            try {
                client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                        .withName(job.getMetadata().getName())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    events.warning(cronJob, "FailedDelete", "Deleted job: " + e.getMessage());
                    throw e;
                }
            }
        }
        CronJobStatus status = plan.status();
        if (plan.create() != null) {
            Job created = create(cronJob, plan.create());
            if (created != null) {
                List<ObjectReference> active = status.getActive() == null ? new ArrayList<>()
                        : new ArrayList<>(status.getActive());
                if (!JobConditions.finished(created)
                        && active.stream().noneMatch(r -> Objects.equals(r.getUid(), created.getMetadata().getUid()))) {
                    active.add(CronJobSync.reference(created));
                }
                status.setActive(active);
                status.setLastScheduleTime(Times.format(plan.scheduledFor()));
            }
        }
        if (!Objects.equals(cronJob.getStatus(), status)) {
            client.batch().v1().cronjobs().inNamespace(cronJob.getMetadata().getNamespace())
                    .resource(new CronJobBuilder(cronJob).withStatus(status).build()).updateStatus();
        }
        if (plan.requeueAfter() != null) {
            controller.enqueueAfter(key, plan.requeueAfter());
        }
    }

    /**
     * Creates the scheduled Job; a Job of that name this CronJob already controls (created by an earlier sync whose
     * status write was lost) counts as created, as upstream.
     */
    private Job create(CronJob cronJob, Job job) {
        String namespace = job.getMetadata().getNamespace();
        try {
            Job created = client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
            events.normal(cronJob, "SuccessfulCreate", "Created job " + created.getMetadata().getName());
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                Job existing = client.batch().v1().jobs().inNamespace(namespace)
                        .withName(job.getMetadata().getName()).get();
                OwnerReference ref = existing == null ? null : Keys.controllerOf(existing);
                if (ref != null && Objects.equals(ref.getUid(), cronJob.getMetadata().getUid())) {
                    return existing;
                }
            }
            events.warning(cronJob, "FailedCreate", "Error creating job: " + e.getMessage());
            throw e;
        }
    }

    /**
     * The Jobs this CronJob controls, from the cache; an active Job missing from the cache is looked up on the
     * server (it may just have been created), as upstream confirms a missing Job before forgetting it.
     */
    private List<Job> ownedJobs(CronJob cronJob) {
        String namespace = cronJob.getMetadata().getNamespace();
        List<Job> owned = new ArrayList<>();
        for (Job job : jobs.getIndexer().byIndex("namespace", namespace)) {
            OwnerReference ref = Keys.controllerOf(job);
            if (ref != null && Objects.equals(ref.getUid(), cronJob.getMetadata().getUid())) {
                owned.add(job);
            }
        }
        if (cronJob.getStatus() != null && cronJob.getStatus().getActive() != null) {
            for (ObjectReference ref : cronJob.getStatus().getActive()) {
                if (owned.stream().anyMatch(j -> Objects.equals(j.getMetadata().getUid(), ref.getUid()))) {
                    continue;
                }
                Job live = client.batch().v1().jobs().inNamespace(namespace).withName(ref.getName()).get();
                if (live != null && Objects.equals(live.getMetadata().getUid(), ref.getUid())) {
                    owned.add(live);
                }
            }
        }
        return owned;
    }

    private void record(CronJob cronJob, JobPlan.JobEvent event) {
        if (event.warning()) {
            events.warning(cronJob, event.reason(), event.message());
        } else {
            events.normal(cronJob, event.reason(), event.message());
        }
    }

    @Override
    public void close() {
        controller.close();
    }
}
