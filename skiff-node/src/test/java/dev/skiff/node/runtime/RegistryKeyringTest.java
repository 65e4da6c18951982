package dev.skiff.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kubelet keyring's matching of credentials to an image's registry, and ECI's registry annotations. */
class RegistryKeyringTest {

    @Test
    void credentialsMatchByHostPartsGlobsAndPortMostSpecificFirst() {
        RegistryCredential exact = new RegistryCredential("registry.example.com", "exact", "1");
        RegistryCredential glob = new RegistryCredential("*.example.com", "glob", "2");
        RegistryCredential withPort = new RegistryCredential("registry.example.com:5000", "port", "3");
        RegistryCredential hub = new RegistryCredential("https://index.docker.io/v1/", "hub", "4");
        List<RegistryCredential> all = List.of(glob, exact, withPort, hub);

        assertThat(RegistryKeyring.lookup("registry.example.com/team/app:v1", all)).containsExactly(exact, glob);
        assertThat(RegistryKeyring.lookup("registry.example.com:5000/app", all)).containsExactly(withPort);
        assertThat(RegistryKeyring.lookup("other.example.com/app", all)).containsExactly(glob);
        assertThat(RegistryKeyring.lookup("a.b.example.com/app", all)).as("a glob covers one part").isEmpty();
        assertThat(RegistryKeyring.lookup("busybox", all)).containsExactly(hub);
        assertThat(RegistryKeyring.lookup("example.org/app", all)).isEmpty();
        assertThat(RegistryKeyring.matches("registry-?.test", "registry-1.test")).isTrue();
        assertThat(RegistryKeyring.matches("REGISTRY.test", "registry.TEST")).isTrue();
    }

    @Test
    void annotationsChooseTheTransportPerRegistry() {
        RegistryAccess access = RegistryAccess.fromAnnotations(Map.of(
                RegistryAccess.PLAIN_HTTP_ANNOTATION, "harbor*.pre.com, 192.168.1.2:5000,reg*.test.com:80",
                RegistryAccess.INSECURE_ANNOTATION, "secure.example, 192.168.1.2:5000,"));

        assertThat(access.modeFor("harbor1.pre.com")).isEqualTo(RegistryAccess.Mode.PLAIN_HTTP);
        assertThat(access.modeFor("harbor1.pre.com:8080")).as("no port: any port").isEqualTo(
                RegistryAccess.Mode.PLAIN_HTTP);
        assertThat(access.modeFor("192.168.1.2:5000")).as("plain HTTP wins").isEqualTo(RegistryAccess.Mode.PLAIN_HTTP);
        assertThat(access.modeFor("192.168.1.2:5001")).isEqualTo(RegistryAccess.Mode.DEFAULT);
        assertThat(access.modeFor("reg7.test.com")).as(":80 is HTTP's own port").isEqualTo(
                RegistryAccess.Mode.PLAIN_HTTP);
        assertThat(access.modeFor("reg7.test.com:8080")).isEqualTo(RegistryAccess.Mode.DEFAULT);
        assertThat(access.modeFor("secure.example:443")).isEqualTo(RegistryAccess.Mode.INSECURE);
        assertThat(access.modeFor("docker.io")).isEqualTo(RegistryAccess.Mode.DEFAULT);
        assertThat(RegistryAccess.fromAnnotations(Map.of())).isEqualTo(RegistryAccess.DEFAULT);
        assertThat(RegistryAccess.fromAnnotations(null).modeFor("x.example")).isEqualTo(RegistryAccess.Mode.DEFAULT);
    }
}
