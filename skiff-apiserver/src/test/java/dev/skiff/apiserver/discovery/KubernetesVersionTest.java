package dev.skiff.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KubernetesVersionTest {

    /** The grammar of apimachinery's version.ParseSemantic, which kubectl's skew warning uses. */
    private static final Pattern SEMANTIC = Pattern.compile(
            "^v?([0-9]+)\\.([0-9]+)\\.([0-9]+)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
                    + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$");

    @Test
    void gitVersionIsV1320WithSkiffAsBuildMetadata() {
        KubernetesVersion version = KubernetesVersion.skiff("0.1.0-SNAPSHOT", "abc", Instant.EPOCH);
        assertThat(version.gitVersion()).isEqualTo("v1.32.0+skiff.0.1.0-SNAPSHOT");
        Matcher m = SEMANTIC.matcher(version.gitVersion());
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).isEqualTo("1");
        assertThat(m.group(2)).isEqualTo("32");
        assertThat(m.group(4)).as("no pre-release, so Helm's >=1.x constraints match").isNull();
        assertThat(version.major()).isEqualTo("1");
        assertThat(version.minor()).isEqualTo("32");
    }

    @Test
    void oddSkiffVersionsStayValidSemver() {
        for (String skiff : List.of("", "1.0 beta/2", "..x..", "dev+build")) {
            assertThat(SEMANTIC.matcher(KubernetesVersion.skiff(skiff, "", Instant.EPOCH).gitVersion()).matches())
                    .as(skiff).isTrue();
        }
    }

    @Test
    void documentHasUpstreamFieldsInOrder() {
        ObjectNode json = KubernetesVersion.skiff("0.1.0", "abc", Instant.parse("2025-01-02T03:04:05.678Z"))
                .toJson();
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate",
                "goVersion", "compiler", "platform");
        assertThat(json.get("buildDate").asText()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(json.get("gitCommit").asText()).isEqualTo("abc");
        assertThat(json.get("platform").asText()).matches("[a-z0-9]+/[a-z0-9]+");
    }

    @Test
    void platformUsesGoNames() {
        assertThat(KubernetesVersion.platform("Linux", "amd64")).isEqualTo("linux/amd64");
        assertThat(KubernetesVersion.platform("Linux", "aarch64")).isEqualTo("linux/arm64");
        assertThat(KubernetesVersion.platform("Mac OS X", "x86_64")).isEqualTo("darwin/amd64");
    }
}
