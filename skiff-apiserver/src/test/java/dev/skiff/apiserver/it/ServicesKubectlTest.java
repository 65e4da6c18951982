package dev.skiff.apiserver.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.ExternalTools;
import dev.skiff.apiserver.pki.Kubeconfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (v1.32) against a real Skiff API server: services get cluster IPs and node ports as on any
 * cluster ({@code create service}, {@code expose}, {@code get svc}, the errors users meet), a pod on a node shows
 * Terminating after {@code delete --wait=false}, and a namespace stays Terminating until its finalizers are cleared
 * through {@code /finalize}.
 */
class ServicesKubectlTest {

    private static final Pattern IP = Pattern.compile("10\\.96\\.\\d+\\.\\d+");

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

    private static String fails(String... args) throws Exception {
        ExternalTools.Result result = kubectl(args);
        assertThat(result.exitCode()).as("kubectl %s should fail: %s", String.join(" ", args), result.stdout())
                .isNotZero();
        return result.stderr();
    }

    private static String clusterIP(String table) {
        Matcher matcher = IP.matcher(table);
        assertThat(matcher.find()).as("a cluster IP in %s", table).isTrue();
        return matcher.group();
    }

    private static String manifest(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }

    @Test
    void createServiceAndGetShowTheClusterIP() throws Exception {
        assertThat(ok("create", "service", "clusterip", "web", "--tcp=80:8080")).contains("service/web created");

        String table = ok("get", "svc", "web");
        assertThat(table).containsPattern("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE");
        assertThat(table).containsPattern("web\\s+ClusterIP\\s+10\\.96\\.\\d+\\.\\d+\\s+<none>\\s+80/TCP\\s+\\d+s");
        assertThat(ok("get", "svc", "kubernetes")).containsPattern("kubernetes\\s+ClusterIP\\s+10\\.96\\.0\\.1\\s+"
                + "<none>\\s+443/TCP");

        String ip = clusterIP(table);
        // kubectl's create service words the prefix itself; the rest is the server's Status message.
        assertThat(fails("create", "service", "clusterip", "copy", "--tcp=80", "--clusterip=" + ip)).contains(
                "error: failed to create ClusterIP service: Service \"copy\" is invalid: spec.clusterIPs: "
                        + "Invalid value: []string{\"" + ip + "\"}: "
                        + "failed to allocate IP " + ip + ": provided IP is already allocated");
        assertThat(fails("patch", "svc", "web", "-p", "{\"spec\":{\"clusterIP\":\"10.96.0.99\"}}")).contains(
                "The Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.99\"}: "
                        + "may not change once set");

        assertThat(ok("create", "service", "clusterip", "db", "--clusterip=None")).contains("service/db created");
        assertThat(ok("get", "svc", "db")).containsPattern("db\\s+ClusterIP\\s+None\\s+<none>\\s+<none>");

        ok("create", "service", "externalname", "ext", "--external-name=example.com");
        assertThat(ok("get", "svc", "ext")).containsPattern("ext\\s+ExternalName\\s+<none>\\s+example.com\\s+"
                + "<none>");
    }

    @Test
    void exposeCreatesANodePortService() throws Exception {
        ok("create", "deployment", "shop", "--image=nginx:1.27", "--port=80");

        assertThat(ok("expose", "deployment", "shop", "--port=80", "--target-port=8080", "--type=NodePort"))
                .contains("service/shop exposed");

        String table = ok("get", "svc", "shop", "-o", "wide");
        assertThat(table).containsPattern("shop\\s+NodePort\\s+10\\.96\\.\\d+\\.\\d+\\s+<none>\\s+80:3\\d{4}/TCP"
                + "\\s+\\d+s\\s+app=shop");
        assertThat(ok("get", "svc", "shop", "-o", "jsonpath={.spec.ipFamilies} {.spec.ipFamilyPolicy}"))
                .isEqualTo("[\"IPv4\"] SingleStack");
    }

    @Test
    void aPodOnANodeShowsTerminatingUntilForced() throws Exception {
        ok("apply", "-f", manifest("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: sleeper
                  namespace: default
                spec:
                  nodeName: virtual-node-a
                  terminationGracePeriodSeconds: 120
                  containers:
                  - name: main
                    image: busybox:1.36
                """));

        assertThat(ok("delete", "pod", "sleeper", "--wait=false")).contains("pod \"sleeper\" deleted");
        assertThat(ok("get", "pod", "sleeper")).containsPattern("sleeper\\s+0/1\\s+Terminating\\s+0\\s+\\d+s");
        assertThat(ok("get", "pod", "sleeper", "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}"))
                .isEqualTo("120");

        ExternalTools.Result forced = kubectl("delete", "pod", "sleeper", "--force", "--grace-period=0");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(forced.stdout()).contains("pod \"sleeper\" force deleted");
        assertThat(fails("get", "pod", "sleeper")).contains("pods \"sleeper\" not found");
    }

    @Test
    void aNamespaceIsTerminatingUntilItsFinalizersAreCleared() throws Exception {
        ok("create", "namespace", "doomed");

        assertThat(ok("delete", "namespace", "doomed", "--wait=false")).contains("namespace \"doomed\" deleted");
        assertThat(ok("get", "namespace", "doomed")).containsPattern("doomed\\s+Terminating\\s+\\d+s");

        ObjectMapper json = new ObjectMapper();
        ObjectNode namespace = (ObjectNode) json.readTree(ok("get", "namespace", "doomed", "-o", "json"));
        namespace.withObjectProperty("spec").putArray("finalizers");
        Path body = dir.resolve("finalize.json");
        Files.writeString(body, json.writeValueAsString(namespace));
        ok("replace", "--raw", "/api/v1/namespaces/doomed/finalize", "-f", body.toString());

        assertThat(fails("get", "namespace", "doomed")).contains("namespaces \"doomed\" not found");
    }
}
