package dev.skiff.apiserver.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceCatalogTest {

    private final ResourceCatalog catalog = ResourceCatalog.builtin();

    @Test
    void servesTheIssuesSurface() {
        assertThat(catalog.find("", "v1", "pods")).hasValueSatisfying(pods -> {
            assertThat(pods.kind()).isEqualTo("Pod");
            assertThat(pods.namespaced()).isTrue();
            assertThat(pods.shortNames()).containsExactly("po");
            assertThat(pods.categories()).containsExactly("all");
            assertThat(pods.subresources()).contains("status", "binding", "eviction", "log", "exec");
        });
        assertThat(catalog.find("apps", "v1", "deployments")).hasValueSatisfying(d -> {
            assertThat(d.apiVersion()).isEqualTo("apps/v1");
            assertThat(d.groupResource()).isEqualTo("deployments.apps");
            assertThat(d.hasSubresource("scale")).isTrue();
        });
        assertThat(catalog.find("", "v1", "namespaces")).hasValueSatisfying(n -> assertThat(n.namespaced()).isFalse());
        assertThat(catalog.versions("autoscaling")).containsExactly("v2", "v1");
        assertThat(catalog.groups()).contains("apps", "batch", "rbac.authorization.k8s.io",
                "apiextensions.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "policy");
        assertThat(catalog.find("", "v1", "nothing")).isEmpty();
    }

    @Test
    void customResourcesComeAndGo() {
        ResourceType policy = new ResourceType("scheduling.alibabacloud.com", "v1alpha1", "ResourcePolicy",
                "resourcepolicies", "resourcepolicy", true, List.of("rp"), List.of(), ResourceType.ALL_VERBS,
                List.of());
        catalog.replaceCustom("scheduling.alibabacloud.com", "resourcepolicies", List.of(policy));
        assertThat(catalog.find("scheduling.alibabacloud.com", "v1alpha1", "resourcepolicies")).contains(policy);

        catalog.replaceCustom("scheduling.alibabacloud.com", "resourcepolicies", List.of());
        assertThat(catalog.find("scheduling.alibabacloud.com", "v1alpha1", "resourcepolicies")).isEmpty();
    }
}
