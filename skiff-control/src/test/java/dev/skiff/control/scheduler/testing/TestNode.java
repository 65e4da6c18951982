package dev.skiff.control.scheduler.testing;

import dev.skiff.control.scheduler.model.EciPlacement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fluent builder of test nodes: Ready, 4 CPUs, 16Gi, 110 pods unless told otherwise. */
public final class TestNode {

    private final String name;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Quantity> allocatable = new HashMap<>();
    private final List<Taint> taints = new ArrayList<>();
    private String ready = "True";
    private boolean unschedulable;

    private TestNode(String name) {
        this.name = name;
        labels.put("kubernetes.io/hostname", name);
        allocatable.put("cpu", new Quantity("4"));
        allocatable.put("memory", new Quantity("16Gi"));
        allocatable.put("pods", new Quantity("110"));
    }

    public static TestNode node(String name) {
        return new TestNode(name);
    }

    /** A virtual node as Skiff generates them: one per vSwitch, in a zone, huge capacity, tainted. */
    public static TestNode virtualNode(String name, String zone, String vSwitch) {
        return node(name).zone(zone).vSwitch(vSwitch).label("type", "virtual-kubelet")
                .cpu("10000").memory("100Ti").pods(1_000_000)
                .taint("virtual-kubelet.io/provider", "skiff", "NoSchedule");
    }

    public TestNode label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public TestNode zone(String zone) {
        return label(EciPlacement.ZONE_LABEL, zone);
    }

    public TestNode vSwitch(String id) {
        return label(EciPlacement.VSWITCH_LABEL, id);
    }

    public TestNode cpu(String q) {
        return resource("cpu", q);
    }

    public TestNode memory(String q) {
        return resource("memory", q);
    }

    public TestNode pods(long n) {
        return resource("pods", Long.toString(n));
    }

    public TestNode resource(String name, String q) {
        allocatable.put(name, new Quantity(q));
        return this;
    }

    public TestNode noResource(String name) {
        allocatable.remove(name);
        return this;
    }

    public TestNode taint(String key, String value, String effect) {
        taints.add(new Taint(effect, key, null, value));
        return this;
    }

    public TestNode ready(String status) {
        this.ready = status;
        return this;
    }

    public TestNode unschedulable() {
        this.unschedulable = true;
        return this;
    }

    public Node build() {
        List<NodeCondition> conditions = ready == null ? List.of()
                : List.of(new NodeCondition(null, null, "", "", ready, "Ready"));
        return new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(new LinkedHashMap<>(labels)).endMetadata()
                .withNewSpec().withTaints(new ArrayList<>(taints)).withUnschedulable(unschedulable ? true : null).endSpec()
                .withNewStatus().withAllocatable(new HashMap<>(allocatable)).withCapacity(new HashMap<>(allocatable))
                .withConditions(conditions).endStatus()
                .build();
    }
}
