package dev.skiff.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace's life with the real kubectl on the simulated runtime: it gets its default ServiceAccount and the
 * cluster CA, a service exposing a deployment gets Endpoints and EndpointSlices with the pods' addresses, and
 * {@code kubectl delete namespace} returns once everything in it is gone.
 */
class NamespaceLifecycleEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

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

    @Test
    void aNamespaceGetsItsDefaultsServesEndpointsAndIsDeletedWithEverythingInIt() throws Exception {
        kubectl.run("create", "namespace", "shop").ok();

        // The default ServiceAccount and the cluster CA arrive, and come back when deleted.
        String clusterCa = new String(Base64.getDecoder().decode(kubectl.run("config", "view", "--raw", "-o",
                "jsonpath={.clusters[0].cluster.certificate-authority-data}").ok().out()), StandardCharsets.UTF_8);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(kubectl.run("get", "serviceaccount", "default", "-n", "shop", "-o", "name").ok().out())
                    .isEqualTo("serviceaccount/default\n");
            assertThat(kubectl.run("get", "configmap", "kube-root-ca.crt", "-n", "shop", "-o",
                    "jsonpath={.data.ca\\.crt}").ok().out()).isEqualTo(clusterCa);
        });
        kubectl.run("delete", "serviceaccount", "default", "-n", "shop").ok();
        kubectl.run("delete", "configmap", "kube-root-ca.crt", "-n", "shop").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "serviceaccount/default",
                "configmap/kube-root-ca.crt", "-n", "shop", "-o", "name").ok().out())
                .isEqualTo("serviceaccount/default\nconfigmap/kube-root-ca.crt\n"));

        // A service over a deployment, the target port by name: endpoints are the pods' addresses on 8080.
        kubectl.run("apply", "-n", "shop", "-f", kubectl.manifest("web.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                        ports:
                        - {name: http, containerPort: 8080}
                """).toString()).ok();
        kubectl.run("create", "configmap", "settings", "-n", "shop", "--from-literal=color=blue").ok();
        kubectl.run("rollout", "status", "deployment/web", "-n", "shop", "--timeout=120s").ok();
        kubectl.run("expose", "deployment", "web", "-n", "shop", "--port=80", "--target-port=http").ok();
        String[] ips = kubectl.run("get", "pods", "-n", "shop", "-l", "app=web", "-o",
                "jsonpath={.items[*].status.podIP}").ok().out().split(" ");
        assertThat(ips).hasSize(2);
        Arrays.sort(ips);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(kubectl.run("get", "endpoints", "web", "-n", "shop").ok().out())
                    .containsPattern("web\\s+" + ips[0] + ":8080," + ips[1] + ":8080\\s+");
            assertThat(kubectl.run("get", "endpointslices", "-n", "shop", "-l", "kubernetes.io/service-name=web")
                    .ok().out()).containsPattern("web-\\w+\\s+IPv4\\s+8080\\s+(" + ips[0] + "," + ips[1] + "|"
                            + ips[1] + "," + ips[0] + ")\\s+"); // a slice's endpoints follow pod names, not IPs
        });
        String slice = kubectl.run("get", "endpointslices", "-n", "shop", "-l", "kubernetes.io/service-name=web",
                "-o", "jsonpath={.items[0].metadata.labels.endpointslice\\.kubernetes\\.io/managed-by} "
                        + "{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name} "
                        + "{.items[0].endpoints[0].conditions.ready} {.items[0].endpoints[0].targetRef.kind} "
                        + "{.items[0].endpoints[0].zone}").ok().out();
        assertThat(slice).matches("endpointslice-controller\\.k8s\\.io Service/web true Pod local-[ab]");
        assertThat(kubectl.run("get", "endpoints", "web", "-n", "shop", "-o",
                "jsonpath={.metadata.annotations.endpoints\\.kubernetes\\.io/last-change-trigger-time}").ok().out())
                .isNotBlank();

        // Deleting the service removes its Endpoints and EndpointSlices.
        kubectl.run("delete", "service", "web", "-n", "shop").ok();
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "endpoints,endpointslices", "-n",
                "shop", "-o", "name").ok().out()).isBlank());

        // kubectl waits until the namespace is gone; then nothing of it is left.
        assertThat(kubectl.run("delete", "namespace", "shop", "--timeout=120s").ok().out())
                .contains("namespace \"shop\" deleted");
        assertThat(kubectl.run("get", "namespace", "shop").err()).contains("namespaces \"shop\" not found");
        assertThat(kubectl.run("get", "pods,deployments,replicasets,configmaps,serviceaccounts", "-n", "shop",
                "-o", "name").ok().out()).isBlank();
    }
}
