package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs and CronJobs end to end with the real kubectl on the nodeless cluster: pods run on the simulated runtime,
 * whose annotations make their containers exit after a while with a chosen code.
 */
class JobsEndToEndTest {

    @TempDir
    static Path dir;

    private static ClusterProcess cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        cluster = SimulatedCluster.start(dir);
        kubectl = SimulatedCluster.kubectl(cluster, dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A Job whose pods' containers exit with {@code exitCode} one second after they start. */
    private static String job(String name, String spec, int exitCode) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s}
                spec:
                  %s
                  template:
                    metadata:
                      annotations: {skiff.dev/simulated-exit-after: 1s, skiff.dev/simulated-exit-code: "%d"}
                    spec:
                      restartPolicy: Never
                      containers:
                      - {name: main, image: busybox:1.36}
                """.formatted(name, spec, exitCode);
    }

    /**
     * One flow, so the CronJob's first scheduled run (at the next wall-clock minute) happens while the Jobs run:
     * a CronJob every minute; a Job created from it by hand; a Job of two completions that completes; a failing
     * Job that exhausts its backoff limit; a Job deleted by its TTL; then the scheduled Job.
     */
    @Test
    void jobsCompleteOrFailAndACronJobSchedulesJobs() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("tick.yaml", """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: tick}
                spec:
                  schedule: "* * * * *"
                  successfulJobsHistoryLimit: 1
                  jobTemplate:
                    metadata:
                      labels: {from: tick}
                    spec:
                      template:
                        metadata:
                          annotations: {skiff.dev/simulated-exit-after: 1s}
                        spec:
                          restartPolicy: OnFailure
                          containers:
                          - {name: main, image: busybox:1.36}
                """).toString()).ok();

        // `kubectl create job --from=cronjob/...` copies the job template into a plain create.
        kubectl.run("create", "job", "by-hand", "--from=cronjob/tick").ok();
        kubectl.run("wait", "--for=condition=complete", "job/by-hand", "--timeout=50s").ok();
        assertThat(kubectl.run("get", "job", "by-hand", "-o",
                "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}").ok().out())
                .isEqualTo("CronJob/tick");

        kubectl.run("apply", "-f", kubectl.manifest("ok.yaml",
                job("ok", "completions: 2\n  parallelism: 2", 0)).toString()).ok();
        kubectl.run("wait", "--for=condition=complete", "job/ok", "--timeout=50s").ok();
        assertThat(kubectl.run("get", "job", "ok", "-o",
                "jsonpath={.status.succeeded} {.status.active} {.status.conditions[*].type}").ok().out())
                .isEqualTo("2  SuccessCriteriaMet Complete");
        assertThat(kubectl.run("get", "job", "ok").ok().out()).containsPattern("ok\\s+Complete\\s+2/2");
        String pods = kubectl.run("get", "pods", "-l", "batch.kubernetes.io/job-name=ok", "-o",
                "jsonpath={range .items[*]}{.status.phase} {.metadata.labels.job-name} "
                        + "{.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].controller}{\"\\n\"}{end}")
                .ok().out();
        assertThat(pods.lines()).containsExactly("Succeeded ok Job true", "Succeeded ok Job true");

        // backoffLimit 1: the first failure is retried (after the pod failure backoff), the second fails the Job.
        kubectl.run("apply", "-f", kubectl.manifest("bad.yaml", job("bad", "backoffLimit: 1", 3)).toString()).ok();
        kubectl.run("wait", "--for=condition=failed", "job/bad", "--timeout=55s").ok();
        assertThat(kubectl.run("get", "job", "bad", "-o",
                "jsonpath={.status.failed} {.status.conditions[?(@.type==\"Failed\")].reason}").ok().out())
                .isEqualTo("2 BackoffLimitExceeded");

        kubectl.run("apply", "-f", kubectl.manifest("brief.yaml",
                job("brief", "ttlSecondsAfterFinished: 1", 0)).toString()).ok();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(kubectl.run("get", "job", "brief", "--ignore-not-found", "-o", "name").ok().out())
                        .isBlank());

        // The schedule's first minute boundary after the CronJob was created: at most a minute of wall clock. (The
        // hand-made Job also counts for lastSuccessfulTime, as upstream, so wait for the scheduled Job itself.)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(kubectl.run("get", "jobs", "-l", "from=tick", "-o",
                        "jsonpath={range .items[*]}{.metadata.name} {.metadata.annotations.batch\\.kubernetes\\.io/"
                                + "cronjob-scheduled-timestamp} {.status.succeeded}{\"\\n\"}{end}").ok().out())
                        .containsPattern("tick-\\d{8} \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z 1"));
        assertThat(kubectl.run("get", "cronjob", "tick", "-o", "jsonpath={.status.lastScheduleTime}").ok().out())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z");
        assertThat(kubectl.run("get", "cronjob", "tick").ok().out())
                .containsPattern("tick\\s+\\* \\* \\* \\* \\*\\s+<none>\\s+false\\s+\\d\\s+\\d+s");
        kubectl.run("delete", "cronjob", "tick").ok();
    }
}
