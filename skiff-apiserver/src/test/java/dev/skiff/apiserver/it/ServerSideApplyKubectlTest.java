package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.ExternalTools;
import dev.skiff.apiserver.pki.Kubeconfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (v1.32) doing server-side apply against a Skiff API server: create by apply, re-apply with a
 * changed image and a dropped env var, a conflict with {@code kubectl scale} and {@code --force-conflicts}, a
 * ConfigMap key dropped, managedFields shown, and a custom resource with an associative list. The steps build on
 * each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerSideApplyKubectlTest {

    @TempDir
    static Path dir;

    private static ApiServerFixture cluster;
    private static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        assertThat(ExternalTools.find("kubectl")).as("kubectl on the PATH (end-to-end tests use the real one)").isPresent();
        cluster = ApiServerFixture.start(dir.resolve("server"));
        kubeconfig = dir.resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, URI.create(cluster.url()), cluster.pki());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ExternalTools.Result kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig,
                "--cache-dir=" + dir.resolve("cache"), "--request-timeout=30s"));
        command.addAll(List.of(args));
        return ExternalTools.run(command, 90);
    }

    private static String ok(String... args) throws Exception {
        ExternalTools.Result result = kubectl(args);
        assertThat(result.exitCode()).as("kubectl %s: %s%s", String.join(" ", args), result.stderr(),
                result.stdout()).isZero();
        return result.stdout();
    }

    private static String manifest(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }

    private static String deployment(int replicas, String image, String env) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: default
                  labels: {app: web}
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: %s
                        ports:
                        - containerPort: 80
                        env:
                %s
                """.formatted(replicas, image, env);
    }

    private static final String TWO_VARS = "        - {name: MODE, value: fast}\n"
            + "        - {name: DEBUG, value: \"1\"}";
    private static final String ONE_VAR = "        - {name: MODE, value: fast}";

    @Test
    @Order(1)
    void applyCreatesADeployment() throws Exception {
        assertThat(ok("apply", "--server-side", "-f", manifest("web.yaml", deployment(2, "nginx:1.25", TWO_VARS))))
                .contains("deployment.apps/web serverside-applied");
        assertThat(ok("get", "deploy", "web", "-o", "jsonpath={.spec.replicas} "
                + "{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name} "
                + "{.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}"))
                .isEqualTo("2 nginx:1.25 MODE DEBUG kubectl Apply");
        // Defaults apply after the merge and belong to nobody.
        String managed = ok("get", "deploy", "web", "-o", "jsonpath={.metadata.managedFields[*].fieldsV1}");
        assertThat(managed).contains("\"k:{\\\"name\\\":\\\"web\\\"}\"", "\"f:image\"",
                "\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\"", "\"f:selector\":{}");
        assertThat(managed).doesNotContain("f:progressDeadlineSeconds");
        // Re-applying the same manifest changes nothing.
        assertThat(ok("apply", "--server-side", "-f", dir.resolve("web.yaml").toString()))
                .contains("serverside-applied");
        assertThat(ok("get", "deploy", "web", "-o", "jsonpath={.metadata.generation}")).isEqualTo("1");
    }

    @Test
    @Order(2)
    void reapplyUpdatesTheImageAndRemovesTheDroppedEnvVar() throws Exception {
        ok("apply", "--server-side", "-f", manifest("web.yaml", deployment(2, "nginx:1.27", ONE_VAR)));
        assertThat(ok("get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image} "
                + "{.spec.template.spec.containers[0].env[*].name}")).isEqualTo("nginx:1.27 MODE");
    }

    @Test
    @Order(3)
    void scalingByAnotherManagerMakesADifferentReplicasConflict() throws Exception {
        assertThat(ok("scale", "deploy", "web", "--replicas=5")).contains("deployment.apps/web scaled");
        String managers = ok("get", "deploy", "web", "-o",
                "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource};{end}");
        assertThat(managers).contains("kubectl/Apply/;", "kubectl/Update/scale;");

        ExternalTools.Result conflict = kubectl("apply", "--server-side", "-f",
                manifest("web.yaml", deployment(3, "nginx:1.27", ONE_VAR)));
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.stderr()).contains("Apply failed with 1 conflict: conflict with \"kubectl\" with "
                + "subresource \"scale\" using apps/v1: .spec.replicas", "--force-conflicts");
        assertThat(ok("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("5");
    }

    @Test
    @Order(4)
    void forceConflictsTakesTheField() throws Exception {
        assertThat(ok("apply", "--server-side", "--force-conflicts", "-f", dir.resolve("web.yaml").toString()))
                .contains("deployment.apps/web serverside-applied");
        assertThat(ok("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("3");
        // The scale entry owned nothing else and is gone.
        assertThat(ok("get", "deploy", "web", "-o", "jsonpath={.metadata.managedFields[*].subresource}")).isEmpty();
        // Now the applier owns it: a plain re-apply with another value goes through.
        ok("apply", "--server-side", "-f", manifest("web.yaml", deployment(4, "nginx:1.27", ONE_VAR)));
        assertThat(ok("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")).isEqualTo("4");
    }

    @Test
    @Order(5)
    void droppingAConfigMapKeyRemovesIt() throws Exception {
        String twoKeys = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: default}
                data: {colour: blue, size: large}
                """;
        assertThat(ok("apply", "--server-side", "-f", manifest("cm.yaml", twoKeys)))
                .contains("configmap/settings serverside-applied");
        // Another manager adds a key of its own: re-applying without it must keep it.
        ok("patch", "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"owner\":\"ops\"}}");
        ok("apply", "--server-side", "-f", manifest("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: default}
                data: {colour: blue}
                """));
        assertThat(ok("get", "cm", "settings", "-o", "jsonpath={.data}"))
                .isEqualTo("{\"colour\":\"blue\",\"owner\":\"ops\"}");
    }

    @Test
    @Order(6)
    void showManagedFieldsPrintsTheEntries() throws Exception {
        String yaml = ok("get", "cm", "settings", "-o", "yaml", "--show-managed-fields");
        assertThat(yaml).contains("managedFields:", "manager: kubectl", "operation: Apply",
                "manager: kubectl-patch", "operation: Update", "fieldsType: FieldsV1", "f:colour: {}",
                "f:owner: {}");
        assertThat(ok("get", "cm", "settings", "-o", "yaml")).doesNotContain("managedFields");
        // kubectl label is an Update by "kubectl-label".
        ok("label", "cm", "settings", "tier=gold");
        assertThat(ok("get", "cm", "settings", "-o", "yaml", "--show-managed-fields"))
                .contains("manager: kubectl-label");
    }

    @Test
    @Order(7)
    void applyToACustomResourceFollowsItsListTypes() throws Exception {
        ok("apply", "--server-side", "-f", manifest("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              size: {type: integer}
                              parts:
                                type: array
                                x-kubernetes-list-type: map
                                x-kubernetes-list-map-keys: [name]
                                items:
                                  type: object
                                  required: [name]
                                  properties:
                                    name: {type: string}
                                    count: {type: integer}
                              tags:
                                type: array
                                x-kubernetes-list-type: set
                                items: {type: string}
                """));
        ok("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=30s");
        assertThat(ok("apply", "--server-side", "-f", manifest("widget.yaml", widget("[{name: a, count: 1}, "
                + "{name: b, count: 2}]", "[red]")))).contains("widget.example.com/w1 serverside-applied");
        // A second manager adds its own part and tag; the first drops part b and changes a.
        ok("apply", "--server-side", "--field-manager=other", "-f", manifest("other.yaml", widget(
                "[{name: c, count: 3}]", "[blue]")));
        ok("apply", "--server-side", "-f", manifest("widget.yaml", widget("[{name: a, count: 5}]", "[red]")));
        assertThat(ok("get", "widget", "w1", "-o", "jsonpath={.spec.parts[*].name} {.spec.parts[0].count} "
                + "{.spec.tags}")).isEqualTo("a c 5 [\"red\",\"blue\"]");
        assertThat(ok("get", "widget", "w1", "-o", "jsonpath={.metadata.managedFields[*].fieldsV1}"))
                .contains("\"k:{\\\"name\\\":\\\"a\\\"}\"", "\"v:\\\"blue\\\"\"");
        // Both own spec.size now? No: only the first set it. The other manager changing it conflicts.
        ExternalTools.Result conflict = kubectl("apply", "--server-side", "--field-manager=other", "-f",
                manifest("other.yaml", widget("[{name: c, count: 3}, {name: a, count: 6}]", "[blue]")));
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.stderr()).contains("conflict with \"kubectl\": .spec.parts[name=\"a\"].count");
    }

    @Test
    @Order(8)
    void clientSideAppliedObjectsMoveToServerSideApply() throws Exception {
        String config = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: migrated, namespace: default}
                data: {a: "1"}
                """;
        assertThat(ok("apply", "-f", manifest("migrated.yaml", config))).contains("configmap/migrated created");
        assertThat(ok("get", "cm", "migrated", "-o", "jsonpath={.metadata.managedFields[*].manager}"))
                .isEqualTo("kubectl-client-side-apply");
        // kubectl hands the client-side entries to its apply manager (a JSON patch of managedFields), so the
        // server-side apply of a changed value does not conflict with them.
        ok("apply", "--server-side", "-f", manifest("migrated.yaml", config.replace("\"1\"", "\"2\"")));
        assertThat(ok("get", "cm", "migrated", "-o", "jsonpath={.data.a}")).isEqualTo("2");
        // kubectl keeps its last-applied annotation up to date under a manager of its own.
        assertThat(ok("get", "cm", "migrated", "-o", "jsonpath={range .metadata.managedFields[*]}"
                + "{.manager}/{.operation};{end}")).contains("kubectl/Apply;")
                .doesNotContain("kubectl-client-side-apply");
    }

    private static String widget(String parts, String tags) {
        return """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w1, namespace: default}
                spec:
                  parts: %s
                  tags: %s
                """.formatted(parts, tags);
    }
}
