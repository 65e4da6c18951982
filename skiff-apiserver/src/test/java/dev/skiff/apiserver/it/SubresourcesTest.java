package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding, scale, eviction and TokenRequest through the fabric8 client. */
class SubresourcesTest {

    @TempDir
    Path dir;

    private ApiServerFixture cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = ApiServerFixture.start(dir);
        client = cluster.adminClient();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private Pod pod(String name) {
        return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("app", "guarded")).endMetadata().withNewSpec().addNewContainer()
                .withName("main").withImage("busybox").endContainer().endSpec().build()).create();
    }

    @Test
    void bindingAssignsANodeOnce() {
        pod("p1");
        client.bindings().inNamespace("default").resource(new BindingBuilder().withNewMetadata().withName("p1")
                .endMetadata().withNewTarget().withKind("Node").withName("virtual-node-a").endTarget().build())
                .create();

        Pod bound = client.pods().inNamespace("default").withName("p1").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("virtual-node-a");
        assertThat(bound.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThatThrownBy(() -> client.bindings().inNamespace("default").resource(new BindingBuilder()
                .withNewMetadata().withName("p1").endMetadata().withNewTarget().withKind("Node").withName("other")
                .endTarget().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void logsOfAPodAnswerAsUpstreamBeforeTheNodeIsDialled() {
        assertThatThrownBy(() -> client.pods().inNamespace("default").withName("absent").getLog())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        pod("unbound");
        assertThatThrownBy(() -> client.pods().inNamespace("default").withName("unbound").getLog())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getStatus().getMessage()).isEqualTo("pod unbound does not have a host assigned");
                });
        client.bindings().inNamespace("default").resource(new BindingBuilder().withNewMetadata().withName("unbound")
                .endMetadata().withNewTarget().withKind("Node").withName("virtual-node-a").endTarget().build())
                .create();
        assertThatThrownBy(() -> client.pods().inNamespace("default").withName("unbound").getLog())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(503));
    }

    @Test
    void scaleChangesTheWorkloadsReplicas() {
        client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata()
                .withName("web").endMetadata().withNewSpec().withReplicas(1).withNewSelector()
                .addToMatchLabels("app", "web").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("web")
                .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build()).create();

        io.fabric8.kubernetes.api.model.autoscaling.v1.Scale scale = client.apps().deployments().inNamespace("default")
                .withName("web").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(1);
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=web");
        Deployment scaled = client.apps().deployments().inNamespace("default").withName("web").scale(4, false);

        assertThat(client.apps().deployments().inNamespace("default").withName("web").get().getSpec()
                .getReplicas()).isEqualTo(4);
        assertThat(client.apps().deployments().inNamespace("default").withName("web").get().getMetadata()
                .getGeneration()).isEqualTo(2);
        assertThat(scaled).isNotNull();
    }

    /** A pod bound to a node and Running, Ready or not, as a kubelet would report it. */
    private void running(String name, boolean ready) {
        client.bindings().inNamespace("default").resource(new BindingBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewTarget().withKind("Node").withName("node-a").endTarget().build()).create();
        Pod current = client.pods().inNamespace("default").withName(name).get();
        client.pods().inNamespace("default").resource(new PodBuilder(current).editStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build()).updateStatus();
    }

    /** POSTs an Eviction and answers the HTTP status and body (fabric8's evict() hides the Status). */
    private String[] evict(String name) throws Exception {
        String body = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"default\"}}";
        var http = client.getHttpClient();
        var request = http.newHttpRequestBuilder()
                .uri(cluster.url().replaceAll("/+$", "") + "/api/v1/namespaces/default/pods/" + name + "/eviction")
                .post("application/json", body).build();
        var response = http.sendAsync(request, String.class).get(30, java.util.concurrent.TimeUnit.SECONDS);
        return new String[] {Integer.toString(response.code()), response.body()};
    }

    private void budgetStatus(int observedGeneration, int allowed, int current, int desired) {
        var budget = client.policy().v1().podDisruptionBudget().inNamespace("default").withName("budget").get();
        budget.setStatus(new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder()
                .withObservedGeneration((long) observedGeneration).withDisruptionsAllowed(allowed)
                .withCurrentHealthy(current).withDesiredHealthy(desired).withExpectedPods(current).build());
        client.policy().v1().podDisruptionBudget().inNamespace("default").resource(budget).updateStatus();
    }

    @Test
    void evictionHonoursDisruptionBudgets() throws Exception {
        // A Pending pod has caused its disruption already: no budget is consulted (upstream's canIgnorePDB).
        pod("free");
        client.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("budget").endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app", "guarded").endSelector()
                .withMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(1)).endSpec().build()).create();
        assertThat(client.pods().inNamespace("default").withName("free").evict()).isTrue();
        assertThat(client.pods().inNamespace("default").withName("free").get()).isNull();

        pod("guarded");
        running("guarded", true);
        pod("sibling");
        running("sibling", true);
        // The controller has not processed the budget yet: 429, retry later.
        String[] unprocessed = evict("guarded");
        assertThat(unprocessed[0]).isEqualTo("429");
        assertThat(unprocessed[1]).contains("\"reason\":\"TooManyRequests\"",
                "Cannot evict pod as it would violate the pod's disruption budget.",
                "The disruption budget budget is still being processed by the server.");

        // One disruption allowed: the first eviction spends it and is recorded, the second is refused.
        budgetStatus(1, 1, 2, 1);
        assertThat(evict("guarded")[0]).isEqualTo("201");
        var budget = client.policy().v1().podDisruptionBudget().inNamespace("default").withName("budget").get();
        assertThat(budget.getStatus().getDisruptionsAllowed()).isZero();
        assertThat(budget.getStatus().getDisruptedPods()).containsOnlyKeys("guarded");
        assertThat(budget.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionAllowed");
            assertThat(c.getReason()).isEqualTo("InsufficientPods");
        });
        Pod evicted = client.pods().inNamespace("default").withName("guarded").get();
        assertThat(evicted.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(evicted.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionTarget");
            assertThat(c.getReason()).isEqualTo("EvictionByEvictionAPI");
        });
        String[] refused = evict("sibling");
        assertThat(refused[0]).isEqualTo("429");
        assertThat(refused[1]).contains("\"reason\":\"DisruptionBudget\"",
                "The disruption budget budget needs 1 healthy pods and has 2 currently");
        assertThat(client.pods().inNamespace("default").withName("sibling").get().getMetadata()
                .getDeletionTimestamp()).isNull();

        // A pod that is not ready may go while the budget is healthy, without spending it.
        pod("sick");
        running("sick", false);
        assertThat(evict("sick")[0]).isEqualTo("201");
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace("default").withName("budget").get()
                .getStatus().getDisruptedPods()).containsOnlyKeys("guarded");
    }

    @Test
    void aTerminatingNamespaceRefusesNewContentUntilFinalizedThroughFinalize() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("doomed").endMetadata().build()).create();
        client.namespaces().withName("doomed").delete();
        io.fabric8.kubernetes.api.model.Namespace terminating = client.namespaces().withName("doomed").get();
        assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
        assertThat(terminating.getSpec().getFinalizers()).containsExactly("kubernetes");

        // As upstream's NamespaceLifecycle admission: 403 with the NamespaceTerminating cause controllers look for.
        assertThatThrownBy(() -> client.configMaps().inNamespace("doomed").resource(
                new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("late")
                        .endMetadata().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                    assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"late\" is forbidden: unable to "
                            + "create new content in namespace doomed because it is being terminated");
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(cause -> {
                        assertThat(cause.getReason()).isEqualTo("NamespaceTerminating");
                        assertThat(cause.getField()).isEqualTo("metadata.namespace");
                        assertThat(cause.getMessage()).isEqualTo("namespace doomed is being terminated");
                    });
                });

        client.namespaces().withName("doomed").edit(ns -> {
            ns.getSpec().setFinalizers(java.util.List.of());
            return ns;
        });
        assertThat(client.namespaces().withName("doomed").get()).as("spec.finalizers change only via finalize")
                .isNotNull();
    }

    @Test
    void tokenRequestsIssueTokensTheServerAccepts() {
        client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("robot").endMetadata().build()).create();

        TokenRequest response = client.serviceAccounts().inNamespace("default").withName("robot")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build());

        String token = response.getStatus().getToken();
        assertThat(token).isNotBlank();
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder(
                io.fabric8.kubernetes.client.Config.empty()).withMasterUrl(cluster.url())
                .withCaCertData(java.util.Base64.getEncoder().encodeToString(
                        cluster.pki().caCertificatePem().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .withOauthToken(token).build();
        try (KubernetesClient robot = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config)
                .build()) {
            // Authenticated (not 401) but not authorized to list pods (403): the default policy grants nothing.
            assertThatThrownBy(() -> robot.pods().inNamespace("default").list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getStatus().getMessage()).contains(
                                "User \"system:serviceaccount:default:robot\" cannot list resource \"pods\"");
                    });
        }
    }
}
