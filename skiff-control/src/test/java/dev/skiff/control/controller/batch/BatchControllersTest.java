package dev.skiff.control.controller.batch;

import dev.skiff.apiserver.testing.TestApiServer;
import dev.skiff.control.controller.Keys;
import dev.skiff.control.controller.Times;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Job and CronJob controllers against a real in-process API server, with a clock the test moves: no kubelet
 * runs, so the test ends pods itself; moving the clock makes a schedule time or a TTL due without waiting for it.
 */
class BatchControllersTest {

    /**
     * A label change that makes the controller look again; a merge patch without a resourceVersion, so it cannot
     * conflict with the controller's own status writes (an edit's GET-then-PATCH can).
     */
    private static final PatchContext TOUCH = PatchContext.of(PatchType.JSON_MERGE);
    private static final String TOUCHED = "{\"metadata\":{\"labels\":{\"touched\":\"1\"}}}";

    private static final String NS = "batch-test";

    /** A clock the test can move forward. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        /** Sets the clock to the real time plus {@code ahead} (objects the API server stamps use the real time). */
        void aheadOfNow(Duration ahead) {
            now.set(Instant.now().plus(ahead));
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @TempDir
    Path dir;
    private TestApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService executor;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<CronJob> cronJobs;
    private JobController jobController;
    private CronJobController cronJobController;
    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void start() throws Exception {
        server = TestApiServer.start(dir);
        client = server.newClient();
        executor = Executors.newScheduledThreadPool(2);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        jobs = client.batch().v1().jobs().inAnyNamespace().runnableInformer(0);
        cronJobs = client.batch().v1().cronjobs().inAnyNamespace().runnableInformer(0);
        jobController = new JobController(client, clock, jobs, pods, 2, executor);
        cronJobController = new CronJobController(client, clock, cronJobs, jobs, 2, executor);
        for (SharedIndexInformer<?> informer : List.of(pods, jobs, cronJobs)) {
            informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        jobController.controller().start();
        cronJobController.controller().start();
    }

    @AfterEach
    void stop() {
        try {
            for (AutoCloseable c : new AutoCloseable[] {jobController, cronJobController}) {
                if (c != null) {
                    c.close();
                }
            }
            for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {pods, jobs, cronJobs}) {
                if (informer != null) {
                    informer.close();
                }
            }
            if (executor != null) {
                executor.shutdownNow();
            }
            if (client != null) {
                client.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Ends a pod's container as a kubelet would report it. */
    private void finish(Pod pod, String phase) {
        finish(pod, phase, Instant.now());
    }

    private void finish(Pod pod, String phase, Instant at) {
        Pod current = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get();
        client.pods().inNamespace(NS).resource(new PodBuilder(current).editOrNewStatus().withPhase(phase)
                .addToContainerStatuses(new ContainerStatusBuilder().withName("main").withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode("Succeeded".equals(phase) ? 0 : 1)
                        .withFinishedAt(Times.format(at)).endTerminated().endState().build())
                .endStatus().build()).updateStatus();
    }

    private List<Pod> podsOf(String job) {
        return client.pods().inNamespace(NS).withLabel(JobPods.JOB_NAME, job).list().getItems();
    }

    @Test
    void aCronJobSchedulesAJobWhichCompletesAndThenExpires() {
        CronJob cronJob = client.batch().v1().cronjobs().inNamespace(NS).resource(new CronJobBuilder()
                .withNewMetadata().withName("tick").endMetadata()
                .withNewSpec().withSchedule("* * * * *").withNewJobTemplate().withNewSpec()
                .withTtlSecondsAfterFinished(300).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().endJobTemplate().endSpec().build()).create();
        // The next minute boundary after the CronJob's creation comes due on the controller's clock.
        clock.aheadOfNow(Duration.ofSeconds(61));
        client.batch().v1().cronjobs().inNamespace(NS).withName("tick")
                .patch(TOUCH, TOUCHED);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            CronJob current = client.batch().v1().cronjobs().inNamespace(NS).withName("tick").get();
            assertThat(current.getStatus()).isNotNull();
            assertThat(current.getStatus().getActive()).hasSize(1);
            assertThat(current.getStatus().getLastScheduleTime()).isNotNull();
        });
        CronJob scheduled = client.batch().v1().cronjobs().inNamespace(NS).withName("tick").get();
        String jobName = scheduled.getStatus().getActive().get(0).getName();
        Instant lastSchedule = Instant.parse(scheduled.getStatus().getLastScheduleTime());
        assertThat(jobName).isEqualTo("tick-" + lastSchedule.getEpochSecond() / 60);
        Job job = client.batch().v1().jobs().inNamespace(NS).withName(jobName).get();
        assertThat(Keys.controllerOf(job).getUid()).isEqualTo(cronJob.getMetadata().getUid());

        await().atMost(Duration.ofSeconds(20)).until(() -> podsOf(jobName).size() == 1);
        Pod pod = podsOf(jobName).get(0);
        assertThat(pod.getMetadata().getLabels()).containsEntry(JobPods.CONTROLLER_UID, job.getMetadata().getUid());
        finish(pod, "Succeeded");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Job current = client.batch().v1().jobs().inNamespace(NS).withName(jobName).get();
            assertThat(JobConditions.isTrue(current.getStatus(), JobConditions.COMPLETE)).isTrue();
            assertThat(current.getStatus().getSucceeded()).isEqualTo(1);
            CronJob cj = client.batch().v1().cronjobs().inNamespace(NS).withName("tick").get();
            assertThat(cj.getStatus().getActive()).isEmpty();
            assertThat(cj.getStatus().getLastSuccessfulTime()).isNotNull();
        });

        // The TTL (300 s) passes on the controller's clock; the next look at the Job deletes it.
        clock.advance(Duration.ofSeconds(301));
        client.batch().v1().jobs().inNamespace(NS).withName(jobName)
                .patch(TOUCH, TOUCHED);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                client.batch().v1().jobs().inNamespace(NS).withName(jobName).get() == null);
    }

    @Test
    void aParallelJobReplacesAFailedPodAndCompletes() {
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder()
                .withNewMetadata().withName("work").endMetadata()
                .withNewSpec().withCompletions(3).withParallelism(2).withBackoffLimit(2).withNewTemplate()
                .withNewMetadata().withLabels(Map.of("app", "work")).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("busybox")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> podsOf("work").size() == 2);
        List<Pod> first = podsOf("work");
        // The failure after the success: every new pod waits for the pod failure backoff.
        finish(first.get(1), "Failed", Instant.now().plusSeconds(1));
        finish(first.get(0), "Succeeded", Instant.now().minusSeconds(1));
        // New pods wait for the pod failure backoff (10 s) on the controller's clock: none yet once the failure
        // is counted.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Job current = client.batch().v1().jobs().inNamespace(NS).withName("work").get();
            assertThat(current.getStatus().getFailed()).isEqualTo(1);
            assertThat(current.getStatus().getSucceeded()).isEqualTo(1);
            assertThat(current.getStatus().getActive()).isNull();
        });
        assertThat(podsOf("work")).hasSize(2);
        clock.aheadOfNow(Duration.ofSeconds(12));
        client.batch().v1().jobs().inNamespace(NS).withName("work")
                .patch(TOUCH, TOUCHED);
        await().atMost(Duration.ofSeconds(20)).until(() -> podsOf("work").size() == 4);
        for (Pod pod : podsOf("work")) {
            if (pod.getStatus() == null || !"Succeeded".equals(pod.getStatus().getPhase())
                    && !"Failed".equals(pod.getStatus().getPhase())) {
                finish(pod, "Succeeded");
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Job current = client.batch().v1().jobs().inNamespace(NS).withName("work").get();
            assertThat(JobConditions.isTrue(current.getStatus(), JobConditions.COMPLETE)).isTrue();
            assertThat(current.getStatus().getSucceeded()).isEqualTo(3);
            assertThat(current.getStatus().getFailed()).isEqualTo(1);
            assertThat(current.getStatus().getCompletionTime()).isNotNull();
        });
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).extracting(e -> e.getReason())
                .contains("SuccessfulCreate", "Completed");
    }
}
