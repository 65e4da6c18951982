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
 * The real kubectl (v1.32) against a real Skiff API server: a CRD applied, established, its custom resources
 * applied, listed with their printer columns and defaults, refused under kubectl's default strict field validation,
 * scaled, their status patched, and the CRD deleted with its instances. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomResourcesKubectlTest {

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: crontabs.stable.example.com
            spec:
              group: stable.example.com
              scope: Namespaced
              names:
                plural: crontabs
                singular: crontab
                kind: CronTab
                shortNames: [ct]
                categories: [all]
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                  scale:
                    specReplicasPath: .spec.replicas
                    statusReplicasPath: .status.replicas
                    labelSelectorPath: .status.labelSelector
                additionalPrinterColumns:
                - {name: Spec, type: string, jsonPath: .spec.cronSpec}
                - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [cronSpec]
                        properties:
                          cronSpec: {type: string, pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'}
                          image: {type: string, default: "busybox:1.36"}
                          replicas: {type: integer, minimum: 0, default: 1}
                      status:
                        type: object
                        properties:
                          replicas: {type: integer}
                          labelSelector: {type: string}
            """;

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

    private static String cronTab(String name, String extraSpec) {
        return """
                apiVersion: stable.example.com/v1
                kind: CronTab
                metadata:
                  name: %s
                  namespace: default
                spec:
                  cronSpec: "* * * * */5"
                %s""".formatted(name, extraSpec.isEmpty() ? "" : "  " + extraSpec + "\n");
    }

    @Test
    @Order(1)
    void aCrdIsAppliedAndBecomesEstablished() throws Exception {
        assertThat(ok("apply", "-f", manifest("crd.yaml", CRD)))
                .contains("customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created");
        assertThat(ok("wait", "--for=condition=Established", "crd/crontabs.stable.example.com", "--timeout=30s"))
                .contains("condition met");
        assertThat(ok("get", "crd", "crontabs.stable.example.com", "-o",
                "jsonpath={.status.acceptedNames.kind} {.status.storedVersions} "
                        + "{.status.conditions[?(@.type==\"NamesAccepted\")].status}"))
                .isEqualTo("CronTab [\"v1\"] True");
        assertThat(ok("api-resources", "--api-group=stable.example.com"))
                .containsPattern("crontabs\\s+ct\\s+stable.example.com/v1\\s+true\\s+CronTab");
    }

    @Test
    @Order(2)
    void customResourcesAreServedWithColumnsAndDefaults() throws Exception {
        assertThat(ok("apply", "-f", manifest("cr.yaml", cronTab("nightly", ""))))
                .contains("crontab.stable.example.com/nightly created");
        String table = ok("get", "ct");
        assertThat(table).containsPattern("NAME\\s+SPEC\\s+REPLICAS\\s+AGE");
        assertThat(table).containsPattern("nightly\\s+\\* \\* \\* \\* \\*/5\\s+1\\s+\\d+s");
        assertThat(ok("get", "crontabs", "-o", "yaml")).contains("replicas: 1", "image: busybox:1.36",
                "generation: 1", "kind: CronTab");
        assertThat(ok("get", "all", "-n", "default")).contains("crontab.stable.example.com/nightly");
        // Re-applying the same manifest is a no-op merge patch.
        assertThat(ok("apply", "-f", dir.resolve("cr.yaml").toString())).contains("unchanged");
    }

    @Test
    @Order(3)
    void unknownFieldsAreRefusedUnderKubectlsStrictValidation() throws Exception {
        ExternalTools.Result strict = kubectl("apply", "-f", manifest("unknown.yaml",
                cronTab("unknown", "colour: blue")));
        assertThat(strict.exitCode()).isNotZero();
        assertThat(strict.stderr()).contains("Error from server (BadRequest)",
                "CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: "
                        + "unknown field \"spec.colour\"");

        ExternalTools.Result warn = kubectl("apply", "--validate=warn", "-f", dir.resolve("unknown.yaml").toString());
        assertThat(warn.exitCode()).as(warn.stderr()).isZero();
        assertThat(warn.stderr()).contains("Warning: unknown field \"spec.colour\"");
        // Pruned from the object (kubectl's last-applied annotation still quotes it, as upstream).
        assertThat(ok("get", "ct", "unknown", "-o", "jsonpath={.spec}")).doesNotContain("colour");

        ExternalTools.Result invalid = kubectl("apply", "-f", manifest("invalid.yaml",
                cronTab("invalid", "replicas: -1")));
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.stderr()).contains("The CronTab \"invalid\" is invalid: spec.replicas: "
                + "Invalid value: -1: spec.replicas in body should be greater than or equal to 0");
    }

    @Test
    @Order(4)
    void scaleAndStatusSubresources() throws Exception {
        assertThat(ok("scale", "ct", "nightly", "--replicas=3")).contains("crontab.stable.example.com/nightly scaled");
        assertThat(ok("get", "ct", "nightly", "-o", "jsonpath={.spec.replicas} {.metadata.generation}"))
                .isEqualTo("3 2");

        ok("patch", "ct", "nightly", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"replicas\":3,\"labelSelector\":\"app=nightly\"}}");
        assertThat(ok("get", "ct", "nightly", "-o", "jsonpath={.status.replicas} {.metadata.generation}"))
                .isEqualTo("3 2");
        assertThat(ok("get", "--raw", "/apis/stable.example.com/v1/namespaces/default/crontabs/nightly/scale"))
                .contains("\"kind\":\"Scale\"", "\"replicas\":3", "\"selector\":\"app=nightly\"");

        // The main resource ignores status; status ignores the rest.
        ok("patch", "ct", "nightly", "--type=merge", "-p", "{\"status\":{\"replicas\":9}}");
        assertThat(ok("get", "ct", "nightly", "-o", "jsonpath={.status.replicas}")).isEqualTo("3");

        ExternalTools.Result strategic = kubectl("patch", "ct", "nightly", "--type=strategic", "-p",
                "{\"spec\":{\"replicas\":4}}");
        assertThat(strategic.exitCode()).isNotZero();
        assertThat(strategic.stderr()).contains("the body of the request was in an unknown format - accepted media "
                + "types include: application/json-patch+json, application/merge-patch+json, "
                + "application/apply-patch+yaml");
    }

    @Test
    @Order(5)
    void kubectlExplainsTheCustomResourceFromItsSchema() throws Exception {
        String cronTab = ok("explain", "crontab");
        assertThat(cronTab).contains("GROUP:      stable.example.com", "KIND:       CronTab", "VERSION:    v1");
        assertThat(cronTab).containsPattern("metadata\\t<ObjectMeta>");
        assertThat(cronTab).containsPattern("spec\\t<Object>");
        String spec = ok("explain", "crontab.spec", "--recursive");
        assertThat(spec).contains("FIELD: spec <Object>");
        assertThat(spec).containsPattern("cronSpec\\t<string> -required-");
        assertThat(spec).containsPattern("replicas\\t<integer>");
        // ObjectMeta is described in full in the custom resource's document too.
        assertThat(ok("explain", "crontab.metadata")).containsPattern("ownerReferences\\t<\\[\\]OwnerReference>");
    }

    @Test
    @Order(6)
    void deletingTheCrdDeletesItsResourcesAndStopsServingThem() throws Exception {
        assertThat(ok("delete", "crd", "crontabs.stable.example.com", "--timeout=60s"))
                .contains("customresourcedefinition.apiextensions.k8s.io \"crontabs.stable.example.com\" deleted");
        // With its discovery cache refreshed, kubectl no longer knows the resource. The CRD controller stops serving
        // it when its watch sees the deletion, a moment after the delete returns (as upstream's, eventually).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            ExternalTools.Result gone = kubectl("get", "crontabs", "--cache-dir=" + dir.resolve("fresh-cache-"
                    + System.nanoTime()));
            assertThat(gone.exitCode()).isNotZero();
            assertThat(gone.stderr()).contains("the server doesn't have a resource type \"crontabs\"");
        });
        // With the stale cache it asks anyway and gets upstream's 404.
        assertThat(kubectl("get", "crontabs").stderr()).contains("the server could not find the requested resource");
        assertThat(cluster.backend().list(dev.skiff.storage.KeyRange.prefix("/registry/stable.example.com/"), 0, 0)
                .items()).isEmpty();
    }
}
