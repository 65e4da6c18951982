package dev.skiff.bench;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;

/**
 * The pod every API benchmark writes: what a Deployment's pod looks like when it reaches the API server — labels
 * and annotations, an application container with environment, resources, ports, probes and a volume mount, and a
 * log-shipping sidecar. About 2 KiB of JSON.
 */
final class BenchPods {

    private static final Pod TEMPLATE = template();

    private BenchPods() {
    }

    /** The pod {@code name} in {@code namespace}; a fresh object each time (the client may modify it). */
    static Pod pod(String namespace, String name) {
        return new PodBuilder(TEMPLATE).editMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    }

    /** The pod's JSON as a client sends it. */
    static byte[] json(String namespace, String name) {
        return new KubernetesSerialization().asJson(pod(namespace, name)).getBytes(StandardCharsets.UTF_8);
    }

    private static Pod template() {
        return new PodBuilder()
                .withNewMetadata()
                    .withName("template")
                    .addToLabels("app.kubernetes.io/name", "checkout")
                    .addToLabels("app.kubernetes.io/part-of", "shop")
                    .addToLabels("app.kubernetes.io/version", "1.42.0")
                    .addToLabels("tier", "backend")
                    .addToLabels("pod-template-hash", "7d4f9c6b8d")
                    .addToAnnotations("prometheus.io/scrape", "true")
                    .addToAnnotations("prometheus.io/port", "9090")
                    .addNewOwnerReference()
                        .withApiVersion("apps/v1").withKind("ReplicaSet").withName("checkout-7d4f9c6b8d")
                        .withUid("0b6e4a5c-2f1d-4e8b-9a37-5c1d2e3f4a5b").withController(true)
                        .withBlockOwnerDeletion(true)
                    .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                    .withServiceAccountName("checkout")
                    .withTerminationGracePeriodSeconds(30L)
                    .withRestartPolicy("Always")
                    .withDnsPolicy("ClusterFirst")
                    .addNewContainer()
                        .withName("app")
                        .withImage("registry.example.com/shop/checkout:1.42.0")
                        .withImagePullPolicy("IfNotPresent")
                        .withArgs("--config=/etc/checkout/config.yaml", "--log-level=info")
                        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                        .addNewPort().withName("metrics").withContainerPort(9090).withProtocol("TCP").endPort()
                        .addToEnv(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS")
                                .withValue("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError").build())
                        .addToEnv(new EnvVarBuilder().withName("DATABASE_URL")
                                .withValue("postgres://checkout@orders-db.shop.svc.cluster.local:5432/orders").build())
                        .addToEnv(new EnvVarBuilder().withName("CACHE_URL")
                                .withValue("redis://cache.shop.svc.cluster.local:6379/0").build())
                        .addToEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build())
                        .addToEnv(new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
                                .withFieldPath("status.podIP").endFieldRef().endValueFrom().build())
                        .withNewResources()
                            .addToRequests("cpu", new Quantity("500m"))
                            .addToRequests("memory", new Quantity("512Mi"))
                            .addToLimits("cpu", new Quantity("2"))
                            .addToLimits("memory", new Quantity("1Gi"))
                        .endResources()
                        .withNewLivenessProbe()
                            .withNewHttpGet().withPath("/healthz").withPort(new IntOrString("http")).endHttpGet()
                            .withInitialDelaySeconds(10).withPeriodSeconds(10).withTimeoutSeconds(2)
                            .withFailureThreshold(3)
                        .endLivenessProbe()
                        .withNewReadinessProbe()
                            .withNewHttpGet().withPath("/readyz").withPort(new IntOrString("http")).endHttpGet()
                            .withPeriodSeconds(5).withTimeoutSeconds(2).withSuccessThreshold(1)
                        .endReadinessProbe()
                        .addNewVolumeMount().withName("config").withMountPath("/etc/checkout").withReadOnly(true)
                        .endVolumeMount()
                    .endContainer()
                    .addNewContainer()
                        .withName("log-shipper")
                        .withImage("registry.example.com/infra/fluent-bit:3.1.9")
                        .addToEnv(new EnvVarBuilder().withName("FLUENT_ELASTICSEARCH_HOST")
                                .withValue("logs.infra.svc.cluster.local").build())
                        .withNewResources()
                            .addToRequests("cpu", new Quantity("50m"))
                            .addToRequests("memory", new Quantity("64Mi"))
                            .addToLimits("memory", new Quantity("128Mi"))
                        .endResources()
                        .addNewVolumeMount().withName("varlog").withMountPath("/var/log").endVolumeMount()
                    .endContainer()
                    .addNewVolume().withName("config").withNewConfigMap().withName("checkout-config")
                        .endConfigMap().endVolume()
                    .addNewVolume().withName("varlog").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .build();
    }
}
