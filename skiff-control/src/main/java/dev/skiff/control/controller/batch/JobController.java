package dev.skiff.control.controller.batch;

import dev.skiff.control.controller.Controller;
import dev.skiff.control.controller.EventRecorder;
import dev.skiff.control.controller.Expectations;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Reconciler;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Job controller, as upstream's {@code pkg/controller/job/job_controller.go}: runs pods from a Job's template
 * until enough succeed or the Job fails, and reports status; decisions are {@link JobSync}'s. It also plays
 * upstream's TTL-after-finished controller ({@code pkg/controller/ttlafterfinished}): a finished Job with
 * {@code ttlSecondsAfterFinished} is deleted (background propagation) once the TTL has passed on the injected
 * clock.
 *
 * <p>Thread-safe: its {@link Controller} never reconciles one Job on two threads.
 */
public final class JobController implements Reconciler, AutoCloseable {

    static final String KIND = "Job";

    private final KubernetesClient client;
    private final Clock clock;
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<Pod> pods;
    private final Expectations expectations;
    private final EventRecorder events;
    private final Controller controller;

    public JobController(KubernetesClient client, Clock clock, SharedIndexInformer<Job> jobs,
                         SharedIndexInformer<Pod> pods, int workers, ScheduledExecutorService executor) {
        this.client = client;
        this.clock = clock;
        this.jobs = jobs;
        this.pods = pods;
        this.expectations = new Expectations(clock);
        this.events = new EventRecorder(client, clock, "job-controller");
        this.controller = new Controller("job", this, workers, executor);
        // A deleted Job's key reconciles to nothing (the Job is gone from the cache) after its expectations go.
        controller.watch(jobs, expectations::delete);
        pods.addEventHandler(new PodEvents());
    }

    public Controller controller() {
        return controller;
    }

    @Override
    public void reconcile(String key) {
        Job job = jobs.getIndexer().getByKey(key);
        if (job == null) {
            expectations.delete(key);
            return;
        }
        if (job.getMetadata().getDeletionTimestamp() != null) {
            return; // upstream leaves a Job being deleted alone; the garbage collector removes its pods
        }
        Instant now = clock.instant();
        if (JobConditions.finished(job)) {
            expireIfDue(key, job, now);
            return;
        }
        List<Pod> owned = ownedPods(job);
        JobPlan plan = JobSync.plan(job, owned, now, expectations.satisfied(key));
        JobStatus status = plan.status();
        String createError = null;
        if (!plan.deletions().isEmpty()) {
            deletePods(key, job, plan.deletions());
        }
        if (plan.creations() > 0) {
            int created = createPods(key, job, plan);
            if (created < plan.creations()) {
                int active = (status.getActive() == null ? 0 : status.getActive()) - (plan.creations() - created);
                status.setActive(active == 0 ? null : active);
                createError = lastCreateError;
            }
        }
        for (JobPlan.JobEvent event : plan.events()) {
            if (event.warning()) {
                events.warning(job, event.reason(), event.message());
            } else {
                events.normal(job, event.reason(), event.message());
            }
        }
        if (!Objects.equals(job.getStatus(), status)) {
            Job updated = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                    .resource(new JobBuilder(job).withStatus(status).build()).updateStatus();
            if (JobConditions.finished(updated)) {
                expireIfDue(key, updated, now);
            }
        }
        if (plan.recheckAfter() != null) {
            controller.enqueueAfter(key, plan.recheckAfter());
        }
        if (createError != null) {
            throw new IllegalStateException("creating pods failed: " + createError);
        }
    }

    /** The pods this Job controls (by controller reference UID), in any state. */
    private List<Pod> ownedPods(Job job) {
        List<Pod> owned = new ArrayList<>();
        for (Pod pod : pods.getIndexer().byIndex("namespace", job.getMetadata().getNamespace())) {
            OwnerReference ref = Keys.controllerOf(pod);
            if (ref != null && Objects.equals(ref.getUid(), job.getMetadata().getUid())) {
                owned.add(pod);
            }
        }
        return owned;
    }

    private void deletePods(String key, Job job, List<Pod> victims) {
        Set<String> uids = new HashSet<>();
        victims.forEach(p -> uids.add(p.getMetadata().getUid()));
        expectations.expectDeletions(key, uids);
        for (Pod victim : victims) {
            try {
                client.pods().inNamespace(victim.getMetadata().getNamespace()).withName(victim.getMetadata().getName())
                        .delete();
                events.normal(job, "SuccessfulDelete", "Deleted pod: " + victim.getMetadata().getName());
            } catch (KubernetesClientException e) {
                expectations.deletionObserved(key, victim.getMetadata().getUid());
                if (e.getCode() != 404) {
                    events.warning(job, "FailedDelete", "Error deleting: " + e.getMessage());
                    throw e;
                }
            }
        }
    }

    private volatile String lastCreateError;

    /**
     * Creates the planned pods in upstream's slow-start batches (1, 2, 4, ...), stopping after a batch with a
     * failure; answers how many were created.
     */
    private int createPods(String key, Job job, JobPlan plan) {
        int total = plan.creations();
        expectations.expectCreations(key, total);
        int created = 0;
        int next = 0;
        for (int batch = 1; next < total; batch *= 2) {
            int end = Math.min(total, next + batch);
            boolean failed = false;
            for (; next < end; next++) {
                Integer index = plan.indexes().isEmpty() ? null : plan.indexes().get(next);
                if (createPod(job, index)) {
                    created++;
                } else {
                    failed = true;
                }
            }
            if (failed) {
                break;
            }
        }
        // Creations that never happened will never be observed.
        for (int i = created; i < total; i++) {
            expectations.creationObserved(key);
        }
        return created;
    }

    private boolean createPod(Job job, Integer index) {
        try {
            Pod created = client.pods().inNamespace(job.getMetadata().getNamespace())
                    .resource(JobPods.fromTemplate(job, index)).create();
            events.normal(job, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return true;
        } catch (KubernetesClientException e) {
            lastCreateError = e.getMessage();
            events.warning(job, "FailedCreate", "Error creating: " + e.getMessage());
            return false;
        }
    }

    /**
     * Upstream's TTL-after-finished controller: once {@code finished + ttlSecondsAfterFinished} has passed, re-read
     * the Job from the server (the cache may be stale: the TTL may have been changed) and delete it with background
     * propagation; otherwise look again when it expires.
     */
    private void expireIfDue(String key, Job job, Instant now) {
        Duration left = TtlAfterFinished.remaining(job, now);
        if (left == null) {
            return;
        }
        if (left.isPositive()) {
            controller.enqueueAfter(key, left);
            return;
        }
        Job fresh = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName()).get();
        if (fresh == null || !Objects.equals(fresh.getMetadata().getUid(), job.getMetadata().getUid())) {
            return;
        }
        Duration freshLeft = TtlAfterFinished.remaining(fresh, now);
        if (freshLeft == null) {
            return;
        }
        if (freshLeft.isPositive()) {
            controller.enqueueAfter(key, freshLeft);
            return;
        }
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    @Override
    public void close() {
        controller.close();
    }

    /** Maps pod events to their Jobs and settles expectations, as upstream's addPod/updatePod/deletePod. */
    private final class PodEvents implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            String owner = ownerKey(pod);
            if (owner == null) {
                return;
            }
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                expectations.deletionObserved(owner, pod.getMetadata().getUid());
            } else {
                expectations.creationObserved(owner);
            }
            controller.enqueue(owner);
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            if (Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
                return;
            }
            String owner = ownerKey(after);
            if (owner == null) {
                return;
            }
            if (after.getMetadata().getDeletionTimestamp() != null) {
                // A graceful deletion starts: upstream counts it as the observed deletion.
                expectations.deletionObserved(owner, after.getMetadata().getUid());
            }
            controller.enqueue(owner);
        }

        @Override
        public void onDelete(Pod pod, boolean unknown) {
            String owner = ownerKey(pod);
            if (owner != null) {
                expectations.deletionObserved(owner, pod.getMetadata().getUid());
                controller.enqueue(owner);
            }
        }

        private String ownerKey(Pod pod) {
            OwnerReference ref = Keys.controllerOf(pod);
            if (ref == null || !KIND.equals(ref.getKind()) || !"batch/v1".equals(ref.getApiVersion())) {
                return null;
            }
            return Keys.of(pod.getMetadata().getNamespace(), ref.getName());
        }
    }
}
