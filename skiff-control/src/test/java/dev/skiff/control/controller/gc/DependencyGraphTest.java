package dev.skiff.control.controller.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The graph's owner index follows each object's latest owner references. */
class DependencyGraphTest {

    private static final ResourceKind CONFIG_MAPS = new ResourceKind("", "v1", "configmaps", "ConfigMap", true);

    private static Node node(String uid, String... ownerUids) {
        List<OwnerRef> owners = java.util.Arrays.stream(ownerUids)
                .map(o -> new OwnerRef("v1", "ConfigMap", "owner-" + o, o, false, false)).toList();
        return new Node(new ObjectId(CONFIG_MAPS, "ns", "cm-" + uid, uid), owners, List.of(), false);
    }

    @Test
    void dependentsFollowUpdatesAndRemovals() {
        DependencyGraph graph = new DependencyGraph();
        graph.put(node("a"));
        graph.put(node("b", "a"));
        graph.put(node("c", "a", "x"));
        assertThat(graph.dependents("a")).extracting(Node::uid).containsExactlyInAnyOrder("b", "c");
        assertThat(graph.dependents("x")).extracting(Node::uid).containsExactly("c");

        Node previous = graph.put(node("c", "x"));
        assertThat(previous.owners()).hasSize(2);
        assertThat(graph.dependents("a")).extracting(Node::uid).containsExactly("b");

        graph.remove("b");
        assertThat(graph.dependents("a")).isEmpty();
        assertThat(graph.get("b")).isNull();
        assertThat(graph.size()).isEqualTo(2);
    }
}
