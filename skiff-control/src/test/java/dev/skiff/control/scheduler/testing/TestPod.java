package dev.skiff.control.scheduler.testing;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fluent builder of test pods: one container, no requests, namespace {@code default} unless told otherwise. */
public final class TestPod {

    private final String name;
    private String namespace = "default";
    private String nodeName;
    private String schedulerName;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final Map<String, Quantity> requests = new HashMap<>();
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<TopologySpreadConstraint> spread = new ArrayList<>();
    private final List<Container> initContainers = new ArrayList<>();
    private Affinity affinity;
    private boolean terminating;

    private TestPod(String name) {
        this.name = name;
    }

    public static TestPod pod(String name) {
        return new TestPod(name);
    }

    public TestPod namespace(String ns) {
        this.namespace = ns;
        return this;
    }

    public TestPod label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public TestPod annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    public TestPod cpu(String q) {
        return request("cpu", q);
    }

    public TestPod memory(String q) {
        return request("memory", q);
    }

    public TestPod request(String resource, String q) {
        requests.put(resource, new Quantity(q));
        return this;
    }

    public TestPod nodeName(String node) {
        this.nodeName = node;
        return this;
    }

    public TestPod schedulerName(String name) {
        this.schedulerName = name;
        return this;
    }

    public TestPod nodeSelector(String key, String value) {
        nodeSelector.put(key, value);
        return this;
    }

    public TestPod tolerate(String key, String operator, String value, String effect) {
        tolerations.add(new Toleration(effect, key, operator, null, value));
        return this;
    }

    /** Tolerates Skiff's virtual node taint. */
    public TestPod tolerateVirtualNodes() {
        return tolerate("virtual-kubelet.io/provider", "Exists", null, "NoSchedule");
    }

    public TestPod affinity(Affinity affinity) {
        this.affinity = affinity;
        return this;
    }

    public TestPod spread(int maxSkew, String key, String whenUnsatisfiable, LabelSelector selector) {
        TopologySpreadConstraint c = new TopologySpreadConstraint();
        c.setMaxSkew(maxSkew);
        c.setTopologyKey(key);
        c.setWhenUnsatisfiable(whenUnsatisfiable);
        c.setLabelSelector(selector);
        spread.add(c);
        return this;
    }

    public TestPod spread(TopologySpreadConstraint c) {
        spread.add(c);
        return this;
    }

    public TestPod initContainer(Container c) {
        initContainers.add(c);
        return this;
    }

    public TestPod terminating() {
        this.terminating = true;
        return this;
    }

    public Pod build() {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(new LinkedHashMap<>(labels))
                .withAnnotations(new LinkedHashMap<>(annotations))
                .withDeletionTimestamp(terminating ? "2025-01-01T00:00:00Z" : null).endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder().withName("c").withImage("nginx")
                        .withNewResources().withRequests(new HashMap<>(requests)).endResources().build())
                .withInitContainers(new ArrayList<>(initContainers))
                .withNodeName(nodeName).withSchedulerName(schedulerName)
                .withNodeSelector(new LinkedHashMap<>(nodeSelector))
                .withTolerations(new ArrayList<>(tolerations))
                .withTopologySpreadConstraints(new ArrayList<>(spread))
                .withAffinity(affinity)
                .endSpec()
                .build();
    }

    // ---- small builders of selectors and terms ---------------------------------------------------------------

    public static LabelSelector selector(String key, String value) {
        return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
    }

    public static PodAffinityTerm term(String topologyKey, LabelSelector selector) {
        PodAffinityTerm t = new PodAffinityTerm();
        t.setTopologyKey(topologyKey);
        t.setLabelSelector(selector);
        return t;
    }

    public static NodeSelectorTerm nodeTerm(String key, String operator, String... values) {
        NodeSelectorTerm t = new NodeSelectorTerm();
        t.setMatchExpressions(List.of(new NodeSelectorRequirement(key, operator, List.of(values))));
        return t;
    }

    public static NodeSelectorTerm fieldTerm(String operator, String nodeName) {
        NodeSelectorTerm t = new NodeSelectorTerm();
        t.setMatchFields(List.of(new NodeSelectorRequirement("metadata.name", operator, List.of(nodeName))));
        return t;
    }
}
