package dev.skiff.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.discovery.GroupVersionKind;
import dev.skiff.apiserver.discovery.KubernetesVersion;
import dev.skiff.apiserver.resource.ResourceCatalog;
import dev.skiff.apiserver.resource.ResourceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OpenApiDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesVersion VERSION = KubernetesVersion.skiff("0.1.0", "", Instant.EPOCH);

    private static final ResourceCatalog catalog = ResourceCatalog.builtin();
    /** Built once: the documents are immutable, and building them is the slow part. */
    private static final OpenApiDocuments openapi = new OpenApiDocuments(catalog, VERSION);

    @Test
    void indexPointsAtEveryServedGroupVersionWithItsHash() throws Exception {
        ObjectNode index = openapi.v3Index();
        assertThat(index.size()).isEqualTo(1);
        Set<String> expected = new TreeSet<>();
        catalog.all().forEach(t -> expected.add(OpenApiDocuments.path(t.group(), t.version())));
        assertThat(names(index.get("paths"))).containsExactlyElementsOf(expected)
                .contains("api/v1", "apis/apps/v1", "apis/autoscaling/v1", "apis/autoscaling/v2");
        String url = index.get("paths").get("apis/apps/v1").get("serverRelativeURL").asText();
        String hash = openapi.v3Hash("apps", "v1").orElseThrow();
        assertThat(url).isEqualTo("/openapi/v3/apis/apps/v1?hash=" + hash);
        assertThat(hash).matches("[0-9A-F]{128}");
        byte[] bytes = openapi.answer("/openapi/v3/apis/apps/v1", "application/json").orElseThrow().body();
        assertThat(OpenApiDocuments.sha512(bytes)).isEqualTo(hash);
        assertThat(JSON.readTree(bytes)).isEqualTo(openapi.v3Document("apps", "v1").orElseThrow());
    }

    @Test
    void deploymentPatchCarriesFieldValidationLikeUpstream() throws Exception {
        ObjectNode doc = openapi.v3Document("apps", "v1").orElseThrow();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.get("info").get("title").asText()).isEqualTo("Kubernetes");
        JsonNode item = doc.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
        assertThat(names(item)).containsExactly("delete", "get", "parameters", "patch", "put");
        assertThat(paramNames(item.get("parameters"))).containsExactly("name", "namespace", "pretty");
        JsonNode patch = item.get("patch");
        assertThat(patch.get("operationId").asText()).isEqualTo("patchAppsV1NamespacedDeployment");
        assertThat(patch.get("x-kubernetes-action").asText()).isEqualTo("patch");
        assertThat(patch.get("x-kubernetes-group-version-kind"))
                .isEqualTo(JSON.readTree("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}"));
        assertThat(paramNames(patch.get("parameters"))).containsExactly("dryRun", "fieldManager", "fieldValidation",
                "force");
        assertThat(names(patch.get("requestBody").get("content"))).containsExactly("application/apply-patch+yaml",
                "application/json-patch+json", "application/merge-patch+json");
        assertThat(patch.get("requestBody").get("content").get("application/merge-patch+json").get("schema")
                .get("$ref").asText()).isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch");
        assertThat(patch.get("responses").get("200").get("content").get("application/json").get("schema")
                .get("$ref").asText()).isEqualTo("#/components/schemas/io.k8s.api.apps.v1.Deployment");
        assertThat(patch.get("tags")).isEqualTo(JSON.readTree("[\"apps_v1\"]"));
        JsonNode scale = doc.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
        assertThat(scale.get("patch").get("operationId").asText()).isEqualTo("patchAppsV1NamespacedDeploymentScale");
        assertThat(scale.get("patch").get("x-kubernetes-group-version-kind").get("group").asText())
                .isEqualTo("autoscaling");
    }

    @Test
    void collectionAndListPathsAreShapedAsUpstream() {
        JsonNode paths = openapi.v3Document("apps", "v1").orElseThrow().get("paths");
        JsonNode collection = paths.get("/apis/apps/v1/namespaces/{namespace}/deployments");
        assertThat(collection.get("get").get("operationId").asText()).isEqualTo("listAppsV1NamespacedDeployment");
        assertThat(collection.get("post").get("operationId").asText()).isEqualTo("createAppsV1NamespacedDeployment");
        assertThat(collection.get("post").get("x-kubernetes-action").asText()).isEqualTo("post");
        assertThat(paramNames(collection.get("post").get("parameters")))
                .containsExactly("dryRun", "fieldManager", "fieldValidation");
        assertThat(collection.get("delete").get("operationId").asText())
                .isEqualTo("deleteAppsV1CollectionNamespacedDeployment");
        assertThat(collection.get("delete").get("x-kubernetes-action").asText()).isEqualTo("deletecollection");
        JsonNode all = paths.get("/apis/apps/v1/deployments");
        assertThat(all.get("get").get("operationId").asText()).isEqualTo("listAppsV1DeploymentForAllNamespaces");
        assertThat(paramNames(all.get("parameters"))).contains("labelSelector", "watch", "limit", "continue");
        assertThat(paths.get("/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}").get("get")
                .get("x-kubernetes-action").asText()).isEqualTo("watch");
        assertThat(paths.get("/apis/apps/v1/").get("get").get("operationId").asText())
                .isEqualTo("getAppsV1APIResources");
    }

    @Test
    void coreDocumentHasPodSubresourceOperations() {
        JsonNode paths = openapi.v3Document("", "v1").orElseThrow().get("paths");
        String pod = "/api/v1/namespaces/{namespace}/pods/{name}";
        assertThat(paths.get(pod).get("get").get("operationId").asText()).isEqualTo("readCoreV1NamespacedPod");
        assertThat(paths.get(pod + "/log").get("get").get("operationId").asText())
                .isEqualTo("readCoreV1NamespacedPodLog");
        JsonNode exec = paths.get(pod + "/exec").get("get");
        assertThat(exec.get("operationId").asText()).isEqualTo("connectCoreV1GetNamespacedPodExec");
        assertThat(exec.get("x-kubernetes-action").asText()).isEqualTo("connect");
        assertThat(exec.get("x-kubernetes-group-version-kind").get("kind").asText()).isEqualTo("PodExecOptions");
        assertThat(paths.get(pod + "/eviction").get("post").get("x-kubernetes-group-version-kind").get("group")
                .asText()).isEqualTo("policy");
        assertThat(paths.get(pod + "/binding").get("post").get("operationId").asText())
                .isEqualTo("createCoreV1NamespacedPodBinding");
        assertThat(paths.get("/api/v1/namespaces/{name}/finalize").get("put").get("operationId").asText())
                .isEqualTo("replaceCoreV1NamespaceFinalize");
        assertThat(paths.get("/api/v1/nodes/{name}/proxy/{path}").get("delete").get("operationId").asText())
                .isEqualTo("connectCoreV1DeleteNodeProxyWithPath");
        assertThat(paths.get("/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token").get("post")
                .get("x-kubernetes-group-version-kind").get("kind").asText()).isEqualTo("TokenRequest");
        JsonNode schemas = openapi.v3Document("", "v1").orElseThrow().get("components").get("schemas");
        assertThat(schemas.has("io.k8s.api.policy.v1.Eviction")).isTrue();
        assertThat(schemas.has("io.k8s.api.authentication.v1.TokenRequest")).isTrue();
    }

    /**
     * Re-enacts kubectl's check (cli-runtime query_param_verifier_v3.go, supportsQueryParamV3): for every served
     * kind with a patch verb, its group version's document must have a PATCH operation for that kind listing
     * fieldValidation, so kubectl leaves validation to the server.
     */
    @Test
    void kubectlFindsFieldValidationForEveryPatchableKind() {
        int checked = 0;
        for (ResourceType type : catalog.all()) {
            if (!type.supports("patch")) {
                continue;
            }
            ObjectNode doc = openapi.v3Document(type.group(), type.version()).orElseThrow();
            assertThat(supportsQueryParam(doc, new GroupVersionKind(type.group(), type.version(), type.kind()),
                    "fieldValidation")).as(type.groupResource() + " " + type.version()).isTrue();
            checked++;
        }
        assertThat(checked).isGreaterThan(30);
    }

    /**
     * Re-enacts kubectl's apply patcher (cmd/apply/patcher.go, buildStrategicMergePatchFromOpenAPIV3): its kind's
     * component schema must be found by x-kubernetes-group-version-kind (an array), and no PATCH operation may
     * offer strategic merge patch, so kubectl computes it from its compiled-in types instead of Skiff's minimal
     * schemas.
     */
    @Test
    void kubectlFindsEveryKindSchemaAndComputesStrategicPatchesItself() {
        for (ResourceType type : catalog.all()) {
            ObjectNode doc = openapi.v3Document(type.group(), type.version()).orElseThrow();
            GroupVersionKind gvk = new GroupVersionKind(type.group(), type.version(), type.kind());
            List<String> found = new ArrayList<>();
            for (Map.Entry<String, JsonNode> schema : fields(doc.get("components").get("schemas"))) {
                for (JsonNode candidate : schema.getValue().path("x-kubernetes-group-version-kind")) {
                    if (matches(candidate, gvk)) {
                        found.add(schema.getKey());
                    }
                }
            }
            assertThat(found).as(type.kind()).hasSize(1);
            for (Map.Entry<String, JsonNode> path : fields(doc.get("paths"))) {
                JsonNode patch = path.getValue().get("patch");
                if (patch != null && patch.has("requestBody")) {
                    assertThat(patch.get("requestBody").get("content").has("application/strategic-merge-patch+json"))
                            .as(path.getKey()).isFalse();
                }
            }
        }
    }

    @Test
    void strategicMergePatchCanBeAdvertisedForBuiltinsOnly() {
        List<ResourceType> types = new ArrayList<>(catalog.all());
        types.add(new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true, List.of("ct"),
                List.of(), ResourceType.ALL_VERBS, List.of("status", "scale")));
        OpenApiDocuments full = new OpenApiDocuments(types, VERSION, true);
        JsonNode deployment = full.v3Document("apps", "v1").orElseThrow().get("paths")
                .get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").get("patch");
        assertThat(deployment.get("requestBody").get("content").has("application/strategic-merge-patch+json"))
                .isTrue();
        ObjectNode crd = full.v3Document("stable.example.com", "v1").orElseThrow();
        JsonNode cronTab = crd.get("paths").get("/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}")
                .get("patch");
        assertThat(cronTab.get("requestBody").get("content").has("application/strategic-merge-patch+json"))
                .isFalse();
        assertThat(cronTab.get("operationId").asText()).isEqualTo("patchStableExampleComV1NamespacedCronTab");
        assertThat(crd.get("components").get("schemas").has("com.example.stable.v1.CronTab")).isTrue();
    }

    @Test
    void kindSchemasAreCompleteAndFindable() {
        JsonNode schemas = openapi.v3Document("apps", "v1").orElseThrow().get("components").get("schemas");
        JsonNode deployment = schemas.get("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.get("type").asText()).isEqualTo("object");
        assertThat(deployment.has("x-kubernetes-preserve-unknown-fields")).isFalse();
        assertThat(names(deployment.get("properties"))).containsExactly("apiVersion", "kind", "metadata", "spec",
                "status");
        assertThat(deployment.get("description").asText()).startsWith("Deployment enables declarative updates");
        assertThat(refOf(deployment.get("properties").get("spec")))
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec");
        // The apps/v1 document carries the core/v1 types its kinds contain.
        assertThat(schemas.get("io.k8s.api.core.v1.Container").get("properties").get("image").get("type").asText())
                .isEqualTo("string");
        assertThat(schemas.has("io.k8s.api.core.v1.Pod")).isFalse();
        assertThat(refOf(deployment.get("properties").get("metadata")))
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        JsonNode list = schemas.get("io.k8s.api.apps.v1.DeploymentList");
        assertThat(list.get("properties").get("items").get("items").get("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.Deployment");
        assertThat(schemas.has("io.k8s.api.autoscaling.v1.Scale")).isTrue();
        assertThat(names(schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties")))
                .contains("name", "namespace", "labels", "annotations", "ownerReferences", "managedFields");
        ObjectNode core = openapi.v3Document("", "v1").orElseThrow();
        for (JsonNode ref : refs(core, new ArrayList<>())) {
            String name = ref.asText().substring("#/components/schemas/".length());
            assertThat(core.get("components").get("schemas").has(name)).as(name).isTrue();
        }
    }

    @Test
    void everyDocumentCarriesEveryDefinitionItRefersTo() {
        for (String gv : names(openapi.v3Index().get("paths"))) {
            String[] parts = gv.split("/");
            ObjectNode doc = parts.length == 2 ? openapi.v3Document("", parts[1]).orElseThrow()
                    : openapi.v3Document(parts[1], parts[2]).orElseThrow();
            List<JsonNode> refs = refs(doc, new ArrayList<>());
            assertThat(refs).as(gv).isNotEmpty();
            for (JsonNode ref : refs) {
                String name = ref.asText().substring("#/components/schemas/".length());
                assertThat(doc.get("components").get("schemas").has(name)).as(gv + ": " + name).isTrue();
            }
        }
    }

    @Test
    void fieldsCarryTheirTypesDescriptionsAndListMergesInBothFlavours() {
        ListMergeFacts containersByName = (kind, path, field) -> field.equals("containers")
                ? Optional.of(ListMergeFacts.ListMerge.byKey("name"))
                : field.equals("finalizers") ? Optional.of(ListMergeFacts.ListMerge.primitiveSet()) : Optional.empty();
        OpenApiDocuments docs = new OpenApiDocuments(catalog, VERSION, containersByName);
        JsonNode v3 = docs.v3Document("", "v1").orElseThrow().get("components").get("schemas");
        JsonNode v2 = docs.v2Document().get("definitions");

        JsonNode containers = v3.get("io.k8s.api.core.v1.PodSpec").get("properties").get("containers");
        assertThat(containers.get("type").asText()).isEqualTo("array");
        assertThat(containers.get("items").get("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(containers.get("description").asText()).startsWith("List of containers belonging to the pod.");
        assertThat(v2.get("io.k8s.api.core.v1.PodSpec").get("properties").get("containers")
                .get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        JsonNode finalizers = v3.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties")
                .get("finalizers");
        assertThat(finalizers.get("x-kubernetes-list-type").asText()).isEqualTo("set");
        assertThat(v3.get("io.k8s.api.core.v1.PodSpec").get("properties").get("volumes")
                .has("x-kubernetes-patch-merge-key")).isFalse();

        JsonNode image = v3.get("io.k8s.api.core.v1.Container").get("properties").get("image");
        assertThat(image.get("type").asText()).isEqualTo("string");
        assertThat(image.get("description").asText()).startsWith("Container image name.");
        assertThat(v2.get("io.k8s.api.core.v1.Container").get("properties").get("image"))
                .isEqualTo(v3.get("io.k8s.api.core.v1.Container").get("properties").get("image"));
        assertThat(v3.get("io.k8s.api.core.v1.Container").get("required")).isEqualTo(JSON.valueToTree(
                List.of("name")));
        // A described reference: wrapped in allOf in OpenAPI 3, beside its description in Swagger 2.
        // The models keep no description for a field that is a struct (the generator dropped descriptions beside
        // $ref): a plain reference, in both flavours; kubectl explain shows the referenced type's description.
        assertThat(v3.get("io.k8s.api.core.v1.Container").get("properties").get("livenessProbe"))
                .isEqualTo(JSON.valueToTree(Map.of("$ref", "#/components/schemas/io.k8s.api.core.v1.Probe")));
        assertThat(v2.get("io.k8s.api.core.v1.Container").get("properties").get("livenessProbe"))
                .isEqualTo(JSON.valueToTree(Map.of("$ref", "#/definitions/io.k8s.api.core.v1.Probe")));
        assertThat(v3.get("io.k8s.api.core.v1.Probe").get("description").asText())
                .startsWith("Probe describes a health check");
        // int-or-string and quantity as kube-openapi writes them.
        JsonNode intOrString = v3.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrString.get("format").asText()).isEqualTo("int-or-string");
        assertThat(intOrString.get("oneOf")).isEqualTo(JSON.valueToTree(List.of(Map.of("type", "integer"),
                Map.of("type", "string"))));
        assertThat(intOrString.has("type")).isFalse();
        JsonNode intOrStringV2 = v2.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrStringV2.get("type").asText()).isEqualTo("string");
        assertThat(intOrStringV2.get("format").asText()).isEqualTo("int-or-string");
        assertThat(v3.get("io.k8s.apimachinery.pkg.api.resource.Quantity").get("oneOf"))
                .isEqualTo(JSON.valueToTree(List.of(Map.of("type", "string"), Map.of("type", "number"))));
        assertThat(v2.get("io.k8s.apimachinery.pkg.api.resource.Quantity").get("type").asText())
                .isEqualTo("string");
        assertThat(v3.get("io.k8s.api.core.v1.Pod").get("x-kubernetes-group-version-kind"))
                .isEqualTo(JSON.valueToTree(List.of(Map.of("group", "", "kind", "Pod", "version", "v1"))));
        assertThat(v2.get("io.k8s.api.core.v1.PodList").get("x-kubernetes-group-version-kind").get(0).get("kind")
                .asText()).isEqualTo("PodList");
    }

    @Test
    void withoutTheModelsKindSchemasAreMinimalButFindable() {
        OpenApiDocuments minimal = new OpenApiDocuments(catalog.all(), VERSION, false, type -> Optional.empty(),
                ListMergeFacts.NONE, Optional::empty);
        JsonNode schemas = minimal.v3Document("apps", "v1").orElseThrow().get("components").get("schemas");
        JsonNode deployment = schemas.get("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.get("x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(names(deployment.get("properties"))).containsExactly("apiVersion", "kind", "metadata");
        assertThat(deployment.get("x-kubernetes-group-version-kind").get(0).get("kind").asText())
                .isEqualTo("Deployment");
        assertThat(schemas.get("io.k8s.api.apps.v1.DeploymentList").get("properties").get("items").get("items")
                .get("$ref").asText()).isEqualTo("#/components/schemas/io.k8s.api.apps.v1.Deployment");
        assertThat(names(schemas.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("properties")))
                .contains("name", "namespace", "labels", "annotations", "ownerReferences", "managedFields");
    }

    @Test
    void swaggerV2CarriesPathsAndDefinitionsWithKinds() {
        ObjectNode v2 = openapi.v2Document();
        assertThat(v2.get("swagger").asText()).isEqualTo("2.0");
        assertThat(v2.get("info").get("version").asText()).isEqualTo(VERSION.gitVersion());
        JsonNode deployment = v2.get("definitions").get("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.get("x-kubernetes-group-version-kind").get(0).get("kind").asText())
                .isEqualTo("Deployment");
        assertThat(deployment.get("properties").get("metadata").get("$ref").asText())
                .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        JsonNode patch = v2.get("paths").get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").get("patch");
        assertThat(patch.get("consumes")).isEqualTo(JSON.valueToTree(List.of("application/apply-patch+yaml",
                "application/json-patch+json", "application/merge-patch+json")));
        assertThat(patch.get("parameters").get(0).get("in").asText()).isEqualTo("body");
        assertThat(paramNames(patch.get("parameters"))).contains("fieldValidation");
        for (JsonNode param : patch.get("parameters")) {
            if (!param.get("in").asText().equals("body")) {
                assertThat(param.has("type")).as(param.toString()).isTrue();
            }
        }
        assertThat(v2.get("paths").has("/api/v1/namespaces/{namespace}/pods/{name}")).isTrue();
        for (JsonNode ref : refs(v2, new ArrayList<>())) {
            assertThat(v2.get("definitions").has(ref.asText().substring("#/definitions/".length())))
                    .as(ref.asText()).isTrue();
        }
    }

    @Test
    void swaggerV2AnswersClientGoInProtobuf() {
        String clientGo = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
        OpenApiDocuments.Answer pb = openapi.answer("/openapi/v2", clientGo).orElseThrow();
        assertThat(pb.contentType()).isEqualTo("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
        String version = VERSION.gitVersion();
        String expected = "0a03" + hex("2.0") + "12" + String.format("%02x", 2 + 10 + 2 + version.length())
                + "0a0a" + hex("Kubernetes") + "12" + String.format("%02x", version.length()) + hex(version) + "4200";
        assertThat(HexFormat.of().formatHex(pb.body())).isEqualTo(expected);
        assertThat(openapi.answer("/openapi/v2", "application/json").orElseThrow().contentType())
                .isEqualTo("application/json");
        assertThat(openapi.answer("/openapi/v2", null).orElseThrow().contentType()).isEqualTo("application/json");
        assertThat(OpenApiDocuments.wantsV2Protobuf("application/json, " + clientGo)).isFalse();
        assertThat(OpenApiDocuments.wantsV2Protobuf(clientGo + ", application/json")).isTrue();
    }

    @Test
    void answerRoutes() {
        assertThat(openapi.answer("/openapi/v3", null).orElseThrow().etag()).isNull();
        assertThat(openapi.answer("/openapi/v3/api/v1/", null).orElseThrow().etag())
                .isEqualTo(openapi.v3Hash("", "v1").orElseThrow());
        assertThat(openapi.answer("/openapi/v3/apis/apps/v2", null)).isEmpty();
        assertThat(openapi.answer("/openapi/v4", null)).isEmpty();
        assertThat(openapi.v3Document("nope", "v1")).isEmpty();
    }

    /** kubectl's supportsQueryParamV3: the first PATCH for the kind decides. */
    private static boolean supportsQueryParam(JsonNode doc, GroupVersionKind gvk, String param) {
        for (Map.Entry<String, JsonNode> path : fields(doc.get("paths"))) {
            JsonNode patch = path.getValue().get("patch");
            if (patch == null || !matches(patch.path("x-kubernetes-group-version-kind"), gvk)) {
                continue;
            }
            return paramNames(patch.path("parameters")).contains(param);
        }
        return false;
    }

    private static boolean matches(JsonNode node, GroupVersionKind gvk) {
        return node.path("group").asText("").equals(gvk.group()) && node.path("version").asText("")
                .equals(gvk.version()) && node.path("kind").asText("").equals(gvk.kind());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> paramNames(JsonNode params) {
        List<String> names = new ArrayList<>();
        params.forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return new ArrayList<>(node.properties());
    }

    private static List<JsonNode> refs(JsonNode node, List<JsonNode> found) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : fields(node)) {
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                    found.add(field.getValue());
                } else {
                    refs(field.getValue(), found);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> refs(n, found));
        }
        return found;
    }

    /** The target of a reference, plain or (OpenAPI 3, with a description) wrapped in allOf. */
    private static String refOf(JsonNode property) {
        return property.has("$ref") ? property.get("$ref").asText() : property.get("allOf").get(0).get("$ref").asText();
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
