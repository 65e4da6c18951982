package dev.skiff.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.TestClock;
import dev.skiff.apiserver.status.ApiException;
import dev.skiff.apiserver.status.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ownership across creates, updates and applies, as upstream's field manager records it. */
class FieldManagerTest {

    private final TestClock clock = new TestClock(Instant.parse("2025-01-02T03:04:05Z"));
    private final FieldManager fields = new FieldManager(clock);

    private static Writer writer(String manager) {
        return writer(manager, "", Scope.WHOLE);
    }

    private static Writer writer(String manager, String subresource, Scope scope) {
        return new Writer(manager, "apps/v1", subresource, scope, Json.podLike());
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1
                    env: [{name: A, value: '1'}, {name: B, value: '2'}]
            """;

    private ObjectNode apply(ObjectNode live, String config, String manager, boolean force) {
        return fields.apply(live, Json.object(config), writer(manager), force);
    }

    private static JsonNode entry(ObjectNode object, String manager) {
        return entry(object, manager, "");
    }

    private static JsonNode entry(ObjectNode object, String manager, String subresource) {
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (entry.path("manager").asText().equals(manager)
                    && entry.path("subresource").asText("").equals(subresource)) {
                return entry;
            }
        }
        return null;
    }

    private static List<String> owned(ObjectNode object, String manager) {
        return owned(object, manager, "");
    }

    private static List<String> owned(ObjectNode object, String manager, String subresource) {
        JsonNode entry = entry(object, manager, subresource);
        List<String> paths = new ArrayList<>();
        if (entry != null) {
            FieldsV1.decode(entry.get("fieldsV1")).paths().forEach(p -> paths.add(FieldSet.display(p)));
        }
        return paths;
    }

    @Test
    void applyCreatesAndOwnsExactlyTheConfiguration() {
        ObjectNode created = apply(null, DEPLOYMENT, "kubectl", false);
        assertThat(created.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode entry = entry(created, "kubectl");
        assertThat(entry.path("operation").asText()).isEqualTo("Apply");
        assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(entry.path("time").asText()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
        assertThat(entry.has("subresource")).isFalse();
        // Identity fields belong to nobody.
        assertThat(owned(created, "kubectl")).doesNotContain(".metadata.name", ".apiVersion", ".kind")
                .contains(".spec.replicas", ".spec.template.spec.containers[name=\"web\"]",
                        ".spec.template.spec.containers[name=\"web\"].env[name=\"B\"].value");
    }

    @Test
    void reapplyRemovesWhatTheApplierDroppedButKeepsWhatOthersOwn() {
        ObjectNode live = apply(null, DEPLOYMENT, "kubectl", false);
        // Another manager adds env C and an annotation through an update.
        ObjectNode edited = live.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) edited.at("/spec/template/spec/containers/0/env"))
                .addObject().put("name", "C").put("value", "3");
        edited.withObjectProperty("metadata").withObjectProperty("annotations").put("note", "x");
        fields.update(live, edited, writer("kubectl-edit"));
        assertThat(owned(edited, "kubectl-edit")).containsExactly(".metadata.annotations.note",
                ".spec.template.spec.containers[name=\"web\"].env[name=\"C\"]",
                ".spec.template.spec.containers[name=\"web\"].env[name=\"C\"].name",
                ".spec.template.spec.containers[name=\"web\"].env[name=\"C\"].value");

        ObjectNode next = apply(edited, DEPLOYMENT.replace("nginx:1", "nginx:2")
                .replace(", {name: B, value: '2'}", ""), "kubectl", false);
        JsonNode container = next.at("/spec/template/spec/containers/0");
        assertThat(container.path("image").asText()).isEqualTo("nginx:2");
        assertThat(container.path("env").findValuesAsText("name")).containsExactly("A", "C");
        assertThat(next.at("/metadata/annotations/note").asText()).isEqualTo("x");
        assertThat(owned(next, "kubectl")).doesNotContain(
                ".spec.template.spec.containers[name=\"web\"].env[name=\"B\"]");
    }

    @Test
    void droppingAWholeFieldRemovesItUnlessSomeoneElseOwnsPartOfIt() {
        ObjectNode live = apply(null, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, "
                + "data: {a: '1', b: '2'}}", "mine", false);
        ObjectNode shared = apply(live, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {b: '2'}}",
                "theirs", false);
        ObjectNode next = apply(shared, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}", "mine", false);
        assertThat(next.path("data")).isEqualTo(Json.node("{b: '2'}"));
        assertThat(entry(next, "mine")).isNull();
        ObjectNode last = apply(next, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}", "theirs", false);
        assertThat(last.has("data")).isFalse();
        assertThat(last.path("metadata").has("managedFields")).isFalse();
    }

    @Test
    void changingAFieldAnotherManagerOwnsConflictsUnlessForced() {
        ObjectNode live = apply(null, DEPLOYMENT, "kubectl", false);
        ObjectNode scaled = live.deepCopy();
        scaled.withObjectProperty("spec").put("replicas", 5);
        fields.update(live, scaled, writer("kubectl", "scale", Scope.WITHOUT_STATUS));
        assertThat(owned(scaled, "kubectl", "scale")).containsExactly(".spec.replicas");
        assertThat(owned(scaled, "kubectl")).doesNotContain(".spec.replicas");

        assertThatThrownBy(() -> apply(scaled, DEPLOYMENT.replace("replicas: 2", "replicas: 3"), "kubectl", false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    Status status = e.status();
                    assertThat(status.code()).isEqualTo(409);
                    assertThat(status.reason()).isEqualTo("Conflict");
                    assertThat(status.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"kubectl\""
                            + " with subresource \"scale\" using apps/v1: .spec.replicas");
                    assertThat(status.details().causes()).containsExactly(new Status.Cause("FieldManagerConflict",
                            "conflict with \"kubectl\" with subresource \"scale\" using apps/v1", ".spec.replicas"));
                });
        // The same value as the live one is no conflict: both own it.
        ObjectNode same = apply(scaled, DEPLOYMENT.replace("replicas: 2", "replicas: 5"), "kubectl", false);
        assertThat(same.path("metadata").path("managedFields")).hasSize(2);

        ObjectNode forced = apply(scaled, DEPLOYMENT.replace("replicas: 2", "replicas: 3"), "kubectl", true);
        assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(forced.path("metadata").path("managedFields")).hasSize(1);
    }

    @Test
    void conflictsWithSeveralManagersAreListedByManager() {
        ObjectNode live = apply(null, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '1'}}",
                "first", false);
        live = apply(live, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {b: '1', c: '1'}}",
                "second", false);
        ObjectNode current = live;
        assertThatThrownBy(() -> apply(current, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, "
                + "data: {a: '2', b: '2', c: '2'}}", "third", false))
                .isInstanceOf(ApiException.class)
                .hasMessage("Apply failed with 3 conflicts: conflicts with \"first\":\n- .data.a\n"
                        + "conflicts with \"second\":\n- .data.b\n- .data.c");
    }

    @Test
    void updatesAccumulateAndTakeFieldsFromOthers() {
        ObjectNode created = Json.object(DEPLOYMENT);
        fields.update(null, created, writer("kubectl-create"));
        assertThat(entry(created, "kubectl-create").path("operation").asText()).isEqualTo("Update");

        clock.advance(Duration.ofMinutes(1));
        ObjectNode next = created.deepCopy();
        next.withObjectProperty("spec").put("replicas", 7);
        next.withObjectProperty("spec").put("paused", true);
        fields.update(created, next, writer("kubectl-edit"));
        assertThat(owned(next, "kubectl-edit")).containsExactly(".spec.paused", ".spec.replicas");
        assertThat(owned(next, "kubectl-create")).doesNotContain(".spec.replicas");
        assertThat(entry(next, "kubectl-edit").path("time").asText()).isEqualTo("2025-01-02T03:05:05Z");

        // A write that changes nothing leaves the entries alone.
        ObjectNode again = next.deepCopy();
        fields.update(next, again, writer("someone"));
        assertThat(again.path("metadata").path("managedFields")).isEqualTo(next.path("metadata").path("managedFields"));

        // Removing a field removes it from every manager.
        ObjectNode removed = next.deepCopy();
        ((ObjectNode) removed.get("spec")).remove("paused");
        fields.update(next, removed, writer("kubectl-create"));
        assertThat(owned(removed, "kubectl-edit")).containsExactly(".spec.replicas");
    }

    @Test
    void managedFieldsSentByTheClientAreTakenAndCanBeReset() {
        ObjectNode live = apply(null, DEPLOYMENT, "kubectl", false);
        ObjectNode edited = live.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) edited.at("/metadata/managedFields")).removeAll()
                .addObject();
        fields.update(live, edited, writer("kubectl-patch"));
        assertThat(edited.path("metadata").has("managedFields")).isFalse();

        // Untracked objects stay untracked on update...
        ObjectNode later = edited.deepCopy();
        later.withObjectProperty("spec").put("replicas", 9);
        fields.update(edited, later, writer("kubectl-edit"));
        assertThat(later.path("metadata").has("managedFields")).isFalse();

        // ...and the first apply gives the existing fields to before-first-apply.
        ObjectNode applied = apply(later, "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, "
                + "spec: {paused: true}}", "kubectl", false);
        assertThat(owned(applied, "before-first-apply")).contains(".spec.replicas");
        assertThat(entry(applied, "before-first-apply").path("operation").asText()).isEqualTo("Update");

        // Garbage is ignored in favour of the live object's entries.
        ObjectNode garbage = applied.deepCopy();
        garbage.withObjectProperty("metadata").putArray("managedFields").addObject().put("fieldsType", "FieldsV2");
        fields.update(applied, garbage, writer("x"));
        assertThat(garbage.path("metadata").path("managedFields"))
                .isEqualTo(applied.path("metadata").path("managedFields"));
    }

    @Test
    void statusWritesOwnOnlyStatusAndMainWritesNone() {
        ObjectNode live = apply(null, DEPLOYMENT, "kubectl", false);
        ObjectNode withStatus = live.deepCopy();
        withStatus.putObject("status").put("replicas", 2);
        fields.update(live, withStatus, writer("controller", "status", Scope.STATUS));
        assertThat(owned(withStatus, "controller", "status")).containsExactly(".status.replicas");

        ObjectNode main = fields.apply(withStatus, Json.object(DEPLOYMENT.replace("spec:", "status: {replicas: 9}\n"
                + "spec:")), writer("kubectl", "", Scope.WITHOUT_STATUS), false);
        assertThat(owned(main, "kubectl")).noneMatch(p -> p.startsWith(".status"));
    }

    @Test
    void updateManagersAreCapped() {
        ObjectNode live = Json.object("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {x: y}}");
        fields.update(null, live, writer("creator"));
        for (int i = 0; i < 15; i++) {
            clock.advance(Duration.ofSeconds(1));
            ObjectNode next = live.deepCopy();
            next.withObjectProperty("data").put("k" + i, "v");
            fields.update(live, next, writer("writer-" + i));
            live = next;
        }
        List<String> managers = live.path("metadata").path("managedFields").findValuesAsText("manager");
        assertThat(managers).hasSize(ManagedFields.MAX_UPDATE_MANAGERS).contains("ancient-changes", "writer-14");
        assertThat(owned(live, "ancient-changes")).contains(".data.k0", ".data.k5");
    }

    @Test
    void kubectlTakesOverWhatItsLastClientSideApplySet() {
        ObjectNode live = Json.object("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"apps/v1","kind":"ConfigMap","data":{"a":"1","b":"1"}}'
                data: {a: '1', b: '1', c: '1'}
                """);
        fields.update(null, live, writer("kubectl-client-side-apply"));
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.get("data")).put("b", "edited");
        fields.update(live, edited, writer("kubectl-edit"));
        String config = "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '2', b: '2', c: '2'}}";
        // a is as last applied: allowed; b was changed by someone else and c never applied: still conflicts.
        assertThatThrownBy(() -> apply(edited, config, "kubectl", false)).isInstanceOf(ApiException.class)
                .hasMessage("Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using "
                        + "apps/v1:\n- .data.c\nconflicts with \"kubectl-edit\" using apps/v1:\n- .data.b");
        ObjectNode applied = apply(edited, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, "
                + "data: {a: '2'}}", "kubectl", false);
        assertThat(applied.at("/data/a").asText()).isEqualTo("2");
        // Another manager name gets no such allowance.
        assertThatThrownBy(() -> apply(edited, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, "
                + "data: {a: '2'}}", "helm", false)).isInstanceOf(ApiException.class);
    }

    @Test
    void anObjectCreatedWithNothingToOwnIsNotTracked() {
        ObjectNode empty = Json.object("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
        fields.update(null, empty, writer("creator"));
        assertThat(empty.path("metadata").has("managedFields")).isFalse();
    }

    @Test
    void anAppliedConfigurationMayNotCarryManagedFields() {
        assertThatThrownBy(() -> apply(null, "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, "
                + "managedFields: []}}", "kubectl", false))
                .isInstanceOf(ApiException.class).hasMessage("metadata.managedFields must be nil");
    }
}
