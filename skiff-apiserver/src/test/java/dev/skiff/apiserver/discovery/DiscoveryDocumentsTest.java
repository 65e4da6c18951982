package dev.skiff.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DiscoveryDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KUBECTL_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private final ResourceCatalog catalog = ResourceCatalog.builtin();
    private final DiscoveryDocuments discovery = new DiscoveryDocuments(catalog,
            KubernetesVersion.skiff("0.1.0", "abc123", Instant.parse("2025-01-02T03:04:05Z")));

    @Test
    void apiListsTheCoreVersionWithoutApiVersionField() throws Exception {
        assertThat(discovery.apiVersions("10.0.0.1:6443")).isEqualTo(JSON.readTree("""
                {"kind":"APIVersions","versions":["v1"],
                 "serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}]}"""));
    }

    @Test
    void apisListsGroupsInUpstreamOrderWithPreferredVersions() {
        ObjectNode list = discovery.apiGroupList();
        assertThat(list.get("kind").asText()).isEqualTo("APIGroupList");
        assertThat(list.get("apiVersion").asText()).isEqualTo("v1");
        List<String> names = new ArrayList<>();
        list.get("groups").forEach(g -> names.add(g.get("name").asText()));
        assertThat(names).startsWith("apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
                "autoscaling", "batch", "networking.k8s.io", "policy", "rbac.authorization.k8s.io", "storage.k8s.io",
                "apiextensions.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "node.k8s.io",
                "discovery.k8s.io").doesNotContain("");
        JsonNode autoscaling = list.get("groups").get(names.indexOf("autoscaling"));
        assertThat(autoscaling.get("versions").get(0).get("groupVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(autoscaling.get("versions").get(1).get("version").asText()).isEqualTo("v1");
        assertThat(autoscaling.get("preferredVersion").get("groupVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(autoscaling.has("serverAddressByClientCIDRs")).isFalse();
    }

    @Test
    void apisGroupIsOneGroup() throws Exception {
        assertThat(discovery.apiGroup("apps")).contains((ObjectNode) JSON.readTree("""
                {"kind":"APIGroup","apiVersion":"v1","name":"apps",
                 "versions":[{"groupVersion":"apps/v1","version":"v1"}],
                 "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}"""));
        assertThat(discovery.apiGroup("nope.example.com")).isEmpty();
        assertThat(discovery.apiGroup("")).isEmpty();
    }

    @Test
    void coreResourceListHasPodsAndTheirSubresourcesAsUpstream() throws Exception {
        ObjectNode list = discovery.apiResourceList("", "v1").orElseThrow();
        assertThat(list.get("kind").asText()).isEqualTo("APIResourceList");
        assertThat(list.has("apiVersion")).isFalse();
        assertThat(list.get("groupVersion").asText()).isEqualTo("v1");
        Map<String, JsonNode> byName = byName(list);
        assertThat(byName.get("pods")).isEqualTo(JSON.readTree("""
                {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod",
                 "verbs":["create","delete","deletecollection","get","list","patch","update","watch"],
                 "shortNames":["po"],"categories":["all"],"storageVersionHash":"xPOwRZ+Yhw8="}"""));
        assertThat(byName.get("pods/status")).isEqualTo(JSON.readTree("""
                {"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod",
                 "verbs":["get","patch","update"]}"""));
        assertThat(byName.get("pods/log")).isEqualTo(JSON.readTree("""
                {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]}"""));
        assertThat(byName.get("pods/exec")).isEqualTo(JSON.readTree("""
                {"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions",
                 "verbs":["create","get"]}"""));
        assertThat(byName.get("pods/attach").get("kind").asText()).isEqualTo("PodAttachOptions");
        assertThat(byName.get("pods/portforward").get("kind").asText()).isEqualTo("PodPortForwardOptions");
        assertThat(byName.get("pods/binding")).isEqualTo(JSON.readTree("""
                {"name":"pods/binding","singularName":"","namespaced":true,"kind":"Binding","verbs":["create"]}"""));
        assertThat(byName.get("pods/eviction")).isEqualTo(JSON.readTree("""
                {"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1",
                 "kind":"Eviction","verbs":["create"]}"""));
        assertThat(byName.get("pods/ephemeralcontainers").get("verbs"))
                .isEqualTo(JSON.readTree("[\"get\",\"patch\",\"update\"]"));
        assertThat(byName.get("serviceaccounts/token")).isEqualTo(JSON.readTree("""
                {"name":"serviceaccounts/token","singularName":"","namespaced":true,"group":"authentication.k8s.io",
                 "version":"v1","kind":"TokenRequest","verbs":["create"]}"""));
        assertThat(byName.get("nodes/proxy")).isEqualTo(JSON.readTree("""
                {"name":"nodes/proxy","singularName":"","namespaced":false,"kind":"NodeProxyOptions",
                 "verbs":["create","delete","get","patch","update"]}"""));
        assertThat(byName.get("services/proxy").get("kind").asText()).isEqualTo("ServiceProxyOptions");
        assertThat(byName.get("replicationcontrollers/scale").get("group").asText()).isEqualTo("autoscaling");
        assertThat(byName.get("bindings").has("storageVersionHash")).isFalse();
        List<String> names = new ArrayList<>(byName.keySet());
        assertThat(names).isSorted();
    }

    @Test
    void namespacesAreClusterScopedWithFinalizeAndStatus() throws Exception {
        Map<String, JsonNode> byName = byName(discovery.apiResourceList("", "v1").orElseThrow());
        assertThat(byName.get("namespaces").get("namespaced").asBoolean()).isFalse();
        assertThat(byName.get("namespaces").get("shortNames")).isEqualTo(JSON.readTree("[\"ns\"]"));
        assertThat(byName.get("namespaces").get("storageVersionHash").asText()).isEqualTo("Q3oi5N2YM8M=");
        assertThat(byName.get("namespaces/finalize")).isEqualTo(JSON.readTree("""
                {"name":"namespaces/finalize","singularName":"","namespaced":false,"kind":"Namespace",
                 "verbs":["update"]}"""));
        assertThat(byName.get("namespaces/status").get("verbs"))
                .isEqualTo(JSON.readTree("[\"get\",\"patch\",\"update\"]"));
    }

    @Test
    void appsResourceListHasDeploymentsWithScale() throws Exception {
        ObjectNode list = discovery.apiResourceList("apps", "v1").orElseThrow();
        assertThat(list.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(list.get("groupVersion").asText()).isEqualTo("apps/v1");
        Map<String, JsonNode> byName = byName(list);
        assertThat(byName.get("deployments")).isEqualTo(JSON.readTree("""
                {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment",
                 "verbs":["create","delete","deletecollection","get","list","patch","update","watch"],
                 "shortNames":["deploy"],"categories":["all"],"storageVersionHash":"8aSe+NMegvE="}"""));
        assertThat(byName.get("deployments/scale")).isEqualTo(JSON.readTree("""
                {"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling",
                 "version":"v1","kind":"Scale","verbs":["get","patch","update"]}"""));
        assertThat(discovery.apiResourceList("apps", "v2")).isEmpty();
    }

    @Test
    void storageVersionHashesFollowTheStorageVersion() {
        Map<String, JsonNode> core = byName(discovery.apiResourceList("", "v1").orElseThrow());
        Map<String, JsonNode> events = byName(discovery.apiResourceList("events.k8s.io", "v1").orElseThrow());
        assertThat(events.get("events").get("storageVersionHash")).isEqualTo(core.get("events")
                .get("storageVersionHash"));
        Map<String, JsonNode> hpaV1 = byName(discovery.apiResourceList("autoscaling", "v1").orElseThrow());
        Map<String, JsonNode> hpaV2 = byName(discovery.apiResourceList("autoscaling", "v2").orElseThrow());
        assertThat(hpaV1.get("horizontalpodautoscalers").get("storageVersionHash"))
                .isEqualTo(hpaV2.get("horizontalpodautoscalers").get("storageVersionHash"));
    }

    @Test
    void aggregatedGroupsHaveUpstreamShape() throws Exception {
        ObjectNode list = discovery.aggregatedGroups(AggregatedDiscoveryVersion.V2);
        assertThat(list.get("kind").asText()).isEqualTo("APIGroupDiscoveryList");
        assertThat(list.get("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2");
        assertThat(list.get("metadata").isEmpty()).isTrue();
        JsonNode apps = list.get("items").get(0);
        assertThat(apps.get("metadata").get("name").asText()).isEqualTo("apps");
        JsonNode v1 = apps.get("versions").get(0);
        assertThat(v1.get("version").asText()).isEqualTo("v1");
        assertThat(v1.get("freshness").asText()).isEqualTo("Current");
        JsonNode deployments = find(v1.get("resources"), "deployments");
        assertThat(deployments).isEqualTo(JSON.readTree("""
                {"resource":"deployments","responseKind":{"group":"","version":"","kind":"Deployment"},
                 "scope":"Namespaced","singularResource":"deployment",
                 "verbs":["create","delete","deletecollection","get","list","patch","update","watch"],
                 "shortNames":["deploy"],"categories":["all"],
                 "subresources":[
                   {"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"},
                    "verbs":["get","patch","update"]},
                   {"subresource":"status","responseKind":{"group":"","version":"","kind":"Deployment"},
                    "verbs":["get","patch","update"]}]}"""));
        assertThat(discovery.aggregatedGroups(AggregatedDiscoveryVersion.V2BETA1).get("apiVersion").asText())
                .isEqualTo("apidiscovery.k8s.io/v2beta1");
        JsonNode autoscaling = findGroup(list, "autoscaling");
        assertThat(autoscaling.get("versions").get(0).get("version").asText()).isEqualTo("v2");
        assertThat(autoscaling.get("versions").get(1).get("version").asText()).isEqualTo("v1");
    }

    @Test
    void aggregatedCoreIsOneNamelessGroup() {
        ObjectNode list = discovery.aggregatedCore(AggregatedDiscoveryVersion.V2);
        assertThat(list.get("items")).hasSize(1);
        JsonNode core = list.get("items").get(0);
        assertThat(core.get("metadata").has("name")).isFalse();
        JsonNode resources = core.get("versions").get(0).get("resources");
        JsonNode namespaces = find(resources, "namespaces");
        assertThat(namespaces.get("scope").asText()).isEqualTo("Cluster");
        JsonNode pods = find(resources, "pods");
        List<String> subresources = new ArrayList<>();
        pods.get("subresources").forEach(s -> subresources.add(s.get("subresource").asText()));
        assertThat(subresources).containsExactly("attach", "binding", "ephemeralcontainers", "eviction", "exec",
                "log", "portforward", "status");
        assertThat(find(pods.get("subresources"), "eviction", "subresource").get("responseKind"))
                .isEqualTo(new GroupVersionKind("policy", "v1", "Eviction").toJson());
    }

    /**
     * What client-go's SplitGroupsAndResources makes of the aggregated documents must equal the legacy ones, for
     * every served resource: kubectl sees the same API either way.
     */
    @Test
    void aggregatedFormConvertsToTheLegacyFormForEveryServedResource() {
        Map<String, Map<String, JsonNode>> fromAggregated = new TreeMap<>();
        List<JsonNode> items = new ArrayList<>();
        discovery.aggregatedCore(AggregatedDiscoveryVersion.V2).get("items").forEach(items::add);
        discovery.aggregatedGroups(AggregatedDiscoveryVersion.V2).get("items").forEach(items::add);
        for (JsonNode group : items) {
            String name = group.get("metadata").path("name").asText("");
            for (JsonNode version : group.get("versions")) {
                String gv = name.isEmpty() ? version.get("version").asText()
                        : name + "/" + version.get("version").asText();
                Map<String, JsonNode> resources = fromAggregated.computeIfAbsent(gv, k -> new TreeMap<>());
                for (JsonNode r : version.get("resources")) {
                    ObjectNode converted = JSON.createObjectNode();
                    converted.put("name", r.get("resource").asText());
                    converted.put("namespaced", r.get("scope").asText().equals("Namespaced"));
                    converted.put("kind", r.get("responseKind").get("kind").asText());
                    converted.set("verbs", r.get("verbs"));
                    resources.put(r.get("resource").asText(), converted);
                    for (JsonNode s : r.path("subresources")) {
                        ObjectNode sub = JSON.createObjectNode();
                        sub.put("name", r.get("resource").asText() + "/" + s.get("subresource").asText());
                        sub.put("namespaced", r.get("scope").asText().equals("Namespaced"));
                        sub.put("kind", s.get("responseKind").get("kind").asText());
                        sub.set("verbs", s.get("verbs"));
                        resources.put(sub.get("name").asText(), sub);
                    }
                }
            }
        }
        int checked = 0;
        for (ResourceType type : catalog.all()) {
            Map<String, JsonNode> legacy = byName(discovery.apiResourceList(type.group(), type.version())
                    .orElseThrow());
            Map<String, JsonNode> aggregated = fromAggregated.get(type.apiVersion());
            assertThat(aggregated).as(type.apiVersion()).isNotNull();
            for (ApiResource entry : ApiResource.of(type)) {
                JsonNode l = legacy.get(entry.name());
                JsonNode a = aggregated.get(entry.name());
                assertThat(l).as(entry.name()).isNotNull();
                assertThat(a).as(entry.name()).isNotNull();
                assertThat(a.get("kind")).as(entry.name()).isEqualTo(l.get("kind"));
                assertThat(a.get("verbs")).as(entry.name()).isEqualTo(l.get("verbs"));
                assertThat(a.get("namespaced")).as(entry.name()).isEqualTo(l.get("namespaced"));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(catalog.all().size());
    }

    @Test
    void answerRoutesAndNegotiates() {
        assertThat(discovery.answer("/api", KUBECTL_ACCEPT, "h:1")).hasValueSatisfying(a -> {
            assertThat(a.contentType())
                    .isEqualTo("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
            assertThat(a.body().get("kind").asText()).isEqualTo("APIGroupDiscoveryList");
        });
        assertThat(discovery.answer("/apis/", "application/json, */*", "h:1")).hasValueSatisfying(a -> {
            assertThat(a.contentType()).isEqualTo("application/json");
            assertThat(a.body().get("kind").asText()).isEqualTo("APIGroupList");
        });
        assertThat(discovery.answer("/api", null, "h:1").orElseThrow().body().get("kind").asText())
                .isEqualTo("APIVersions");
        assertThat(discovery.answer("/api/v1", KUBECTL_ACCEPT, "h:1").orElseThrow().body().get("kind").asText())
                .isEqualTo("APIResourceList");
        assertThat(discovery.answer("/apis/apps", null, "h:1").orElseThrow().body().get("kind").asText())
                .isEqualTo("APIGroup");
        assertThat(discovery.answer("/apis/apps/v1", null, "h:1").orElseThrow().contentType())
                .isEqualTo("application/json");
        assertThat(discovery.answer("/version", null, "h:1").orElseThrow().body().get("minor").asText())
                .isEqualTo("32");
        assertThat(discovery.answer("/api/v2", null, "h:1")).isEmpty();
        assertThat(discovery.answer("/apis/nope", null, "h:1")).isEmpty();
        assertThat(discovery.answer("/apis/apps/v1/deployments", null, "h:1")).isEmpty();
    }

    @Test
    void customResourcesJoinAfterBuiltinGroups() {
        List<ResourceType> types = new ArrayList<>(catalog.all());
        types.add(new ResourceType("scheduling.alibabacloud.com", "v1alpha1", "ResourcePolicy", "resourcepolicies",
                "resourcepolicy", true, List.of("rp"), List.of(), ResourceType.ALL_VERBS, List.of("status")));
        DiscoveryDocuments withCrd = new DiscoveryDocuments(types, KubernetesVersion.skiff("0", "", Instant.EPOCH));
        assertThat(withCrd.groups()).endsWith("scheduling.alibabacloud.com");
        assertThat(byName(withCrd.apiResourceList("scheduling.alibabacloud.com", "v1alpha1").orElseThrow())
                .get("resourcepolicies/status").get("kind").asText()).isEqualTo("ResourcePolicy");
    }

    private static Map<String, JsonNode> byName(JsonNode list) {
        Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
        list.get("resources").forEach(r -> byName.put(r.get("name").asText(), r));
        return byName;
    }

    private static JsonNode find(JsonNode array, String name) {
        return find(array, name, "resource");
    }

    private static JsonNode find(JsonNode array, String name, String field) {
        for (JsonNode node : array) {
            if (node.get(field).asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError(name + " not found");
    }

    private static JsonNode findGroup(JsonNode list, String name) {
        for (JsonNode item : list.get("items")) {
            if (item.get("metadata").path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " not found");
    }
}
