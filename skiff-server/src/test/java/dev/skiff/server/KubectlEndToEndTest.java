package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (v1.32, installed on the machine) against a real Skiff control plane started the way
 * {@code skiff server} starts it: TLS, client certificates, the generated kubeconfig, embedded storage.
 */
class KubectlEndToEndTest {

    @TempDir
    static Path dir;

    private static ClusterProcess cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterProcess.start(dir.resolve("data"), "127.0.0.1", 0, new StorageChoice.Embedded(),
                new BuildInfo("test", Optional.empty()));
        Path work = Files.createDirectories(dir.resolve("work"));
        kubectl = new Kubectl(cluster.kubeconfig(), work);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static final String APP = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %1$s
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: app-config
              namespace: %1$s
            data:
              color: %2$s
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: %1$s
              labels: {app: web}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: %3$s
                    ports:
                    - containerPort: 80
                    env:
                    - {name: A, value: "1"}
                    - %4$s
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: %1$s
            spec:
              selector: {app: web}
              ports:
              - port: 80
                targetPort: 8080
            """;

    private static void namespace(String name) throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("ns-" + name + ".yaml",
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n").toString()).ok();
    }

    @Test
    void discoveryAndServerInformation() {
        assertThat(kubectl.run("get", "namespaces").ok().out())
                .contains("default", "kube-system", "kube-public", "kube-node-lease");
        assertThat(kubectl.run("version").ok().out()).contains("Server Version: v1.32.");
        String resources = kubectl.run("api-resources").ok().out();
        assertThat(resources).containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
        assertThat(resources).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod");
        assertThat(kubectl.run("api-versions").ok().out()).contains("apps/v1", "batch/v1", "v1");
        assertThat(kubectl.run("explain", "configmap").ok().out()).contains("KIND:", "ConfigMap");
        assertThat(kubectl.run("get", "--raw", "/healthz").ok().out()).isEqualTo("ok");
        assertThat(kubectl.run("get", "--raw", "/metrics").ok().out())
                .contains("apiserver_request_total{", "jvm_memory_used_bytes");
    }

    @Test
    void applyThenReapplyAModifiedManifestMergesLikeUpstream() throws Exception {
        Path first = kubectl.manifest("app-v1.yaml", APP.formatted("shop", "blue", "busybox:1",
                "{name: B, value: \"2\"}"));
        Path second = kubectl.manifest("app-v2.yaml", APP.formatted("shop", "green", "busybox:2",
                "{name: C, value: \"3\"}"));

        assertThat(kubectl.run("apply", "-f", first.toString()).ok().out()).contains(
                "namespace/shop created", "configmap/app-config created", "deployment.apps/web created",
                "service/web created");
        Kubectl.Result diff = kubectl.run("diff", "-f", second.toString());
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(1);
        assertThat(diff.out()).contains("+        image: busybox:2", "-  color: blue");

        assertThat(kubectl.run("apply", "-f", second.toString()).ok().out()).contains(
                "configmap/app-config configured", "deployment.apps/web configured", "service/web unchanged");
        assertThat(kubectl.run("get", "deploy", "web", "-n", "shop", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name}"
                        + " {.metadata.generation}").ok().out()).isEqualTo("busybox:2 A C 2");
        assertThat(kubectl.run("get", "cm", "app-config", "-n", "shop", "-o", "jsonpath={.data.color}").ok().out())
                .isEqualTo("green");
        assertThat(kubectl.run("apply", "-f", second.toString()).ok().out()).contains("configmap/app-config unchanged");
    }

    @Test
    void outputFormatsReadAsOnAnyCluster() throws Exception {
        kubectl.run("apply", "-f", kubectl.manifest("out.yaml", APP.formatted("formats", "blue", "busybox:1",
                "{name: B, value: \"2\"}")).toString()).ok();

        String wide = kubectl.run("get", "deploy", "-n", "formats", "-o", "wide").ok().out();
        assertThat(wide).containsPattern("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE\\s+CONTAINERS\\s+IMAGES");
        assertThat(wide).containsPattern("web\\s+0/2\\s+0\\s+0\\s+\\S+\\s+web\\s+busybox:1\\s+app=web");
        assertThat(kubectl.run("get", "cm", "app-config", "-n", "formats", "-o", "yaml").ok().out())
                .contains("kind: ConfigMap", "resourceVersion:", "uid:", "color: blue");
        assertThat(kubectl.run("get", "svc,cm", "-n", "formats", "-o", "name").ok().out())
                .contains("service/web", "configmap/app-config");
        assertThat(kubectl.run("get", "ns", "formats").ok().out()).containsPattern("formats\\s+Active");
        assertThat(kubectl.run("describe", "cm", "app-config", "-n", "formats").ok().out())
                .contains("Name:", "app-config", "Namespace:", "formats", "color:");
    }

    @Test
    void labelAnnotatePatchAndEdit() throws Exception {
        namespace("edits");
        kubectl.run("apply", "-f", kubectl.manifest("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: edits}
                data: {color: blue}
                """).toString()).ok();

        kubectl.run("label", "cm", "settings", "-n", "edits", "tier=backend").ok();
        kubectl.run("annotate", "cm", "settings", "-n", "edits", "note=hello").ok();
        kubectl.run("patch", "cm", "settings", "-n", "edits", "--type", "merge", "-p", "{\"data\":{\"size\":\"L\"}}")
                .ok();
        kubectl.run("patch", "cm", "settings", "-n", "edits", "--type", "json", "-p",
                "[{\"op\":\"add\",\"path\":\"/data/shape\",\"value\":\"round\"}]").ok();
        kubectl.run("patch", "cm", "settings", "-n", "edits", "--type", "strategic", "-p",
                "{\"data\":{\"color\":\"green\"}}").ok();
        kubectl.run(Map.of("EDITOR", "sed -i s/green/red/"), null, "edit", "cm", "settings", "-n", "edits").ok();

        assertThat(kubectl.run("get", "cm", "settings", "-n", "edits", "-o",
                "jsonpath={.data.color} {.data.size} {.data.shape} {.metadata.labels.tier} {.metadata.annotations.note}")
                .ok().out()).isEqualTo("red L round backend hello");
        assertThat(kubectl.run("get", "cm", "-n", "edits", "-l", "tier=backend", "-o", "name").ok().out().strip())
                .isEqualTo("configmap/settings");
        assertThat(kubectl.run("get", "cm", "-n", "edits", "-l", "tier=frontend").ok().err())
                .contains("No resources found in edits namespace.");
    }

    @Test
    void watchStreamsChanges() throws Exception {
        namespace("watched");
        Path out = dir.resolve("work").resolve("watch.out");
        ProcessBuilder builder = new ProcessBuilder("kubectl", "--kubeconfig=" + cluster.kubeconfig(), "get", "cm",
                "-n", "watched", "-w", "--output-watch-events").redirectOutput(out.toFile())
                .redirectErrorStream(true);
        builder.environment().put("HOME", dir.resolve("work").toString());
        Process watch = builder.start();
        try {
            kubectl.run("apply", "-f", kubectl.manifest("w.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: live, namespace: watched}
                    data: {a: "1"}
                    """).toString()).ok();
            kubectl.run("patch", "cm", "live", "-n", "watched", "--type", "merge", "-p", "{\"data\":{\"b\":\"2\"}}")
                    .ok();
            kubectl.run("delete", "cm", "live", "-n", "watched").ok();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                String text = Files.readString(out, StandardCharsets.UTF_8);
                return text.contains("ADDED") && text.contains("MODIFIED") && text.contains("DELETED");
            });
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void errorsReadLikeKubeApiserversOwn() throws Exception {
        assertThat(kubectl.run("get", "cm", "nope", "-n", "default").err())
                .contains("Error from server (NotFound): configmaps \"nope\" not found");
        Kubectl.Result invalid = kubectl.run("apply", "-f", kubectl.manifest("bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Bad_Name, namespace: default}
                """).toString());
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.err()).contains("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value");
        assertThat(kubectl.run("get", "pods", "-n", "default", "--field-selector", "spec.foo=bar").err())
                .contains("field label not supported: spec.foo");
        Kubectl.Result missingNamespace = kubectl.run("apply", "-f", kubectl.manifest("nons.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: orphan, namespace: does-not-exist}
                """).toString());
        assertThat(missingNamespace.err()).contains("namespaces \"does-not-exist\" not found");
        Kubectl.Result typo = kubectl.run("apply", "-f", kubectl.manifest("typo.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: typo, namespace: default}
                dataa: {a: b}
                """).toString());
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.err()).contains("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict "
                + "decoding error: unknown field \"dataa\"");
        Kubectl.Result warned = kubectl.run("apply", "--validate=warn", "-f",
                dir.resolve("work").resolve("typo.yaml").toString()).ok();
        assertThat(warned.err()).contains("Warning: unknown field \"dataa\"");
    }

    @Test
    void theOfficialPythonClientWorksUnchanged() throws Exception {
        Path script = dir.resolve("work").resolve("client_check.py");
        try (var in = KubectlEndToEndTest.class.getResourceAsStream("/python/client_check.py")) {
            Files.copy(in, script);
        }
        // Debian's interpreter: python3-kubernetes is installed for it (scripts/install-test-deps.sh).
        Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), cluster.kubeconfig().toString(),
                "python").redirectErrorStream(true).start();
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).contains("ok list namespaces", "ok create configmap", "ok patch configmap",
                "ok deployment scale", "ok 404 as ApiException", "ok watch from a resourceVersion");
    }

    @Test
    void typedCreateCommandsAndAuthQueriesWhichSendProtobuf() {
        kubectl.run("create", "namespace", "typed").ok();
        kubectl.run("create", "configmap", "lit", "--from-literal=a=b", "-n", "typed").ok();
        kubectl.run("create", "secret", "generic", "pw", "--from-literal=p=q", "-n", "typed").ok();
        kubectl.run("create", "deployment", "web", "--image=busybox", "--replicas=2", "-n", "typed").ok();
        kubectl.run("create", "serviceaccount", "robot", "-n", "typed").ok();

        assertThat(kubectl.run("get", "cm", "lit", "-n", "typed", "-o", "jsonpath={.data.a}").ok().out())
                .isEqualTo("b");
        assertThat(kubectl.run("get", "secret", "pw", "-n", "typed").ok().out())
                .containsPattern("pw\\s+Opaque\\s+1");
        assertThat(kubectl.run("scale", "deploy", "web", "--replicas=5", "-n", "typed").ok().out())
                .contains("deployment.apps/web scaled");
        assertThat(kubectl.run("get", "deploy", "web", "-n", "typed", "-o", "jsonpath={.spec.replicas}").ok()
                .out()).isEqualTo("5");
        assertThat(kubectl.run("auth", "can-i", "create", "pods").ok().out().strip()).isEqualTo("yes");
        assertThat(kubectl.run("auth", "whoami").ok().out()).contains("skiff-admin", "system:masters");
        assertThat(kubectl.run("create", "token", "robot", "-n", "typed").ok().out()).startsWith("eyJ");
        Kubectl.Result robot = kubectl.run("auth", "can-i", "list", "secrets", "-n", "typed",
                "--as=system:serviceaccount:typed:robot");
        assertThat(robot.out().strip()).isEqualTo("no");
    }

    @Test
    void deleteHonoursCascadeOptions() throws Exception {
        namespace("deletes");
        kubectl.run("apply", "-f", kubectl.manifest("d.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: one, namespace: deletes}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: two, namespace: deletes}
                """).toString()).ok();

        assertThat(kubectl.run("delete", "cm", "one", "-n", "deletes", "--cascade=orphan").ok().out())
                .contains("configmap \"one\" deleted");
        assertThat(kubectl.run("delete", "cm", "two", "-n", "deletes", "--cascade=foreground").ok().out())
                .contains("configmap \"two\" deleted");
        assertThat(kubectl.run("get", "cm", "-n", "deletes").err()).contains("No resources found");
    }
}
