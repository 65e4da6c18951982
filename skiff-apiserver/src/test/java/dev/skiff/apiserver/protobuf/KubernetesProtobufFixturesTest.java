package dev.skiff.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request bodies captured from the real kubectl v1.32 ({@code kubectl ... -v=10} logs them as hex dumps), decoded and
 * compared with the JSON the same kubectl command prints with {@code --dry-run=client -o json} (the object the client
 * built), or, for the commands that have no such output (auth can-i, auth whoami, create token, autoscale), with the
 * JSON written by hand from the command line's meaning. See {@code README.md} beside the fixtures.
 */
class KubernetesProtobufFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "configmap", "cm-files", "secret", "secret-docker", "secret-tls-gen", "namespace", "ns2", "sa",
        "deployment", "deploy-multi", "job", "cronjob", "job-from-cronjob",
        "role", "rolebinding", "clusterrole", "clusterrole-agg", "crb",
        "quota", "priorityclass", "pdb", "pdb2", "ingress",
        "svc-clusterip", "svc-nodeport", "svc-lb", "svc-ext",
        "cani", "cani-sub", "cani-nr", "canilist", "whoami", "token", "autoscale"})
    void decodesWhatKubectlSends(String name) throws IOException {
        byte[] body = resource("kubectl-" + name + ".pb");
        JsonNode expected = JSON.readTree(resource("kubectl-" + name + ".json"));

        KubernetesProtobuf.Decoded decoded = KubernetesProtobuf.decodeReportingUnknownFields(body);

        assertThat(decoded.unknownFields()).isEmpty();
        assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(decoded.object()))
                .isEqualTo(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = KubernetesProtobufFixturesTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
