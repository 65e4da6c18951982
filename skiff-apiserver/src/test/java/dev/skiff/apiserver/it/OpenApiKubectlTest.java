package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.ExternalTools;
import dev.skiff.apiserver.pki.Kubeconfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (v1.32) explains built-in kinds from Skiff's OpenAPI v3 documents: field lists with their types
 * and descriptions, nested fields, recursion, as against kube-apiserver.
 */
class OpenApiKubectlTest {

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

    private static String explain(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig=" + kubeconfig,
                "--cache-dir=" + dir.resolve("cache"), "--request-timeout=30s", "explain"));
        command.addAll(List.of(args));
        ExternalTools.Result result = ExternalTools.run(command, 90);
        assertThat(result.exitCode()).as("kubectl explain %s: %s%s", String.join(" ", args), result.stderr(),
                result.stdout()).isZero();
        return result.stdout();
    }

    @Test
    void explainsPod() throws Exception {
        String pod = explain("pod");
        assertThat(pod).contains("KIND:       Pod", "VERSION:    v1");
        assertThat(pod).containsPattern("DESCRIPTION:\\s+Pod is a collection of containers that can run on a host.");
        assertThat(pod).containsPattern("apiVersion\\t<string>\\n\\s+APIVersion defines the versioned schema");
        assertThat(pod).containsPattern("metadata\\t<ObjectMeta>\\n\\s+Standard object's metadata.");
        assertThat(pod).containsPattern("spec\\t<PodSpec>");
        assertThat(pod).containsPattern("status\\t<PodStatus>");
    }

    @Test
    void explainsPodContainers() throws Exception {
        String containers = explain("pod.spec.containers");
        assertThat(containers).contains("KIND:       Pod", "FIELD: containers <[]Container>");
        assertThat(containers).containsPattern("DESCRIPTION:\\s+List of containers belonging to the pod.");
        assertThat(containers).containsPattern("A single application container that you want to run within a pod.");
        assertThat(containers).containsPattern("image\\t<string>\\n\\s+Container image name. More info:");
        assertThat(containers).containsPattern("name\\t<string> -required-\\n\\s+Name of the container");
        assertThat(containers).containsPattern("ports\\t<\\[\\]ContainerPort>");
        assertThat(containers).containsPattern("resources\\t<ResourceRequirements>");
        assertThat(containers).containsPattern("env\\t<\\[\\]EnvVar>");
    }

    @Test
    void explainsDeploymentStrategyRecursively() throws Exception {
        String strategy = explain("deployment.spec.strategy", "--recursive");
        assertThat(strategy).contains("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1",
                "FIELD: strategy <DeploymentStrategy>");
        assertThat(strategy).containsPattern(
                "FIELDS:\\n  rollingUpdate\\t<RollingUpdateDeployment>\\n    maxSurge\\t<IntOrString>\\n"
                        + "    maxUnavailable\\t<IntOrString>\\n  type\\t<string>");
    }

    @Test
    void explainsServicePorts() throws Exception {
        String ports = explain("svc.spec.ports");
        assertThat(ports).contains("KIND:       Service", "FIELD: ports <[]ServicePort>");
        assertThat(ports).containsPattern("port\\t<integer> -required-\\n\\s+The port that will be exposed");
        assertThat(ports).containsPattern("targetPort\\t<IntOrString>");
        assertThat(ports).containsPattern("protocol\\t<string>");
    }
}
