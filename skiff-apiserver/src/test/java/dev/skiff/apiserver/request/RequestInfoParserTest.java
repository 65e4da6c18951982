package dev.skiff.apiserver.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestInfoParserTest {

    @ParameterizedTest(name = "{0} {1} watch={2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        GET    | /api/v1/namespaces/default/pods          | false | list             | ''    | v1 | default | pods        | ''      | ''
        GET    | /api/v1/namespaces/default/pods/web      | false | get              | ''    | v1 | default | pods        | web     | ''
        GET    | /api/v1/namespaces/default/pods          | true  | watch            | ''    | v1 | default | pods        | ''      | ''
        GET    | /api/v1/watch/namespaces/default/pods    | false | watch            | ''    | v1 | default | pods        | ''      | ''
        GET    | /api/v1/namespaces/default/pods/web/log  | false | get              | ''    | v1 | default | pods        | web     | log
        POST   | /api/v1/namespaces/default/pods          | false | create           | ''    | v1 | default | pods        | ''      | ''
        PUT    | /api/v1/namespaces/default/pods/web      | false | update           | ''    | v1 | default | pods        | web     | ''
        PATCH  | /apis/apps/v1/namespaces/d/deployments/x/scale | false | patch      | apps  | v1 | d       | deployments | x       | scale
        DELETE | /api/v1/namespaces/default/pods/web      | false | delete           | ''    | v1 | default | pods        | web     | ''
        DELETE | /api/v1/namespaces/default/pods          | false | deletecollection | ''    | v1 | default | pods        | ''      | ''
        GET    | /api/v1/namespaces                       | false | list             | ''    | v1 | ''      | namespaces  | ''      | ''
        GET    | /api/v1/namespaces/kube-system           | false | get              | ''    | v1 | ''      | namespaces  | kube-system | ''
        PUT    | /api/v1/namespaces/gone/finalize         | false | update           | ''    | v1 | ''      | namespaces  | gone    | finalize
        GET    | /api/v1/namespaces/gone/status           | false | get              | ''    | v1 | ''      | namespaces  | gone    | status
        GET    | /apis/apps/v1/deployments                | false | list             | apps  | v1 | ''      | deployments | ''      | ''
        GET    | /api/v1/nodes/n1/                        | false | get              | ''    | v1 | ''      | nodes       | n1      | ''
        """)
    void parsesResourceRequestsLikeKubeApiserver(String method, String path, boolean watch, String verb, String group,
            String version, String namespace, String resource, String name, String subresource) {
        RequestInfo info = RequestInfoParser.parse(method, path, watch);

        assertThat(info.resourceRequest()).isTrue();
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.group()).isEqualTo(group);
        assertThat(info.version()).isEqualTo(version);
        assertThat(info.namespace()).isEqualTo(namespace);
        assertThat(info.resource()).isEqualTo(resource);
        assertThat(info.name()).isEqualTo(name);
        assertThat(info.subresource()).isEqualTo(subresource);
    }

    @ParameterizedTest
    @CsvSource({"GET,/healthz", "GET,/api", "GET,/api/v1", "GET,/apis", "GET,/apis/apps", "GET,/apis/apps/v1",
            "GET,/openapi/v2", "GET,/version", "GET,/"})
    void everythingElseIsANonResourceRequest(String method, String path) {
        RequestInfo info = RequestInfoParser.parse(method, path, false);

        assertThat(info.resourceRequest()).isFalse();
        assertThat(info.verb()).isEqualTo("get");
        assertThat(info.path()).isEqualTo(path);
    }

    @org.junit.jupiter.api.Test
    void keepsTheSegmentsAfterASubresource() {
        RequestInfo info = RequestInfoParser.parse("GET", "/api/v1/namespaces/d/services/web:80/proxy/a/b", false);

        assertThat(info.subresource()).isEqualTo("proxy");
        assertThat(info.name()).isEqualTo("web:80");
        assertThat(info.extraParts()).isEqualTo(List.of("a", "b"));
    }
}
