package dev.skiff.apiserver.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.skiff.apiserver.apply.ListKind;
import dev.skiff.apiserver.apply.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The apply shapes of built-in kinds, from the strategic merge patch table plus the list-map-key markers. */
class BuiltinShapeTest {

    private static Shape at(String kind, String... path) {
        Shape shape = BuiltinShape.of(kind);
        for (String field : path) {
            shape = field.equals("[]") ? shape.items() : shape.field(field);
        }
        return shape;
    }

    @Test
    void podTemplateLists() {
        Shape podSpec = at("Deployment", "spec", "template", "spec");
        assertThat(podSpec.field("containers").list()).isEqualTo(new ListKind.Map(List.of("name")));
        Shape container = podSpec.field("containers").items();
        assertThat(container.field("env").list()).isEqualTo(new ListKind.Map(List.of("name")));
        assertThat(container.field("volumeMounts").list()).isEqualTo(new ListKind.Map(List.of("mountPath")));
        assertThat(container.field("ports").list()).isEqualTo(new ListKind.Map(
                List.of("containerPort", "protocol"), Map.of("protocol", TextNode.valueOf("TCP"))));
        assertThat(container.field("args").list()).isEqualTo(ListKind.ATOMIC);
        assertThat(podSpec.field("tolerations").list()).isEqualTo(ListKind.ATOMIC);
        assertThat(podSpec.field("volumes").list()).isEqualTo(new ListKind.Map(List.of("name")));
    }

    @Test
    void serviceMetadataAndAtomicObjects() {
        assertThat(at("Service", "spec", "ports").list()).isEqualTo(new ListKind.Map(List.of("port", "protocol"),
                Map.of("protocol", TextNode.valueOf("TCP"))));
        assertThat(at("Service", "spec", "selector").atomicObject()).isTrue();
        assertThat(at("Deployment", "spec", "selector").atomicObject()).isTrue();
        assertThat(at("ConfigMap", "metadata", "finalizers").list()).isEqualTo(ListKind.SET);
        assertThat(at("ConfigMap", "metadata", "ownerReferences").list())
                .isEqualTo(new ListKind.Map(List.of("uid")));
        assertThat(at("ConfigMap", "metadata", "labels").atomicObject()).isFalse();
        assertThat(at("Pod", "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
                .atomicObject()).isTrue();
    }
}
