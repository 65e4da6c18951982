package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.AffinityTerm;
import dev.skiff.control.scheduler.model.Selector;
import dev.skiff.control.scheduler.model.WeightedAffinityTerm;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scheduler's picture of the cluster: nodes, the pods assigned to them (bound, or assumed by this scheduler
 * before the binding is observed) and namespace labels. Upstream keeps a cache and takes an immutable snapshot of it
 * per cycle; here one object plays both parts: it never changes <em>during</em> a cycle (plugins get it as a
 * read-only {@link SnapshotView}), and between cycles the scheduling loop applies informer deltas
 * ({@code upsertNode}, {@code upsertPod}, ...) and its own decisions ({@link #assume}).
 *
 * <p>Aggregates are incremental: per-node request sums, an index of per-node counts for every {@link PodMatcher}
 * asked so far, and the distinct affinity terms held by assigned pods. Adding a pod costs O(indexed matchers + its
 * own terms), so a batch of 50,000 pods costs no O(pods x pods) work. Adding or removing a node renumbers the nodes
 * and rebuilds the indexes (O(pods)); nodes change rarely.
 *
 * <p>Which pods belong here is upstream's: pods with a {@code spec.nodeName} that are not Succeeded/Failed
 * (terminating pods stay until deleted). Pods bound to a node the snapshot does not know are kept and counted once
 * the node appears.
 *
 * <p>Not thread-safe: confine it to the scheduling thread.
 */
public final class ClusterSnapshot implements SnapshotView {

    /** Beyond this many indexed matchers the index is dropped and rebuilt on demand (bounds a long-lived cache). */
    static final int MAX_INDEXED_MATCHERS = 1024;

    private final Map<String, NodeInfo> nodesByName = new TreeMap<>();
    private final Map<String, PodInfo> pods = new HashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final Map<PodMatcher, int[]> matchIndex = new LinkedHashMap<>();
    private final Map<HeldTerm.Kind, Map<HeldTerm, int[]>> heldTerms = new EnumMap<>(HeldTerm.Kind.class);
    private final WorkloadSelectors workloads = new WorkloadSelectors();
    private List<NodeInfo> nodeList = List.of();
    private boolean nodesChanged;

    public ClusterSnapshot() {
        for (HeldTerm.Kind kind : HeldTerm.Kind.values()) {
            heldTerms.put(kind, new LinkedHashMap<>());
        }
    }

    /** A snapshot of these nodes, pods (unassigned and terminal pods are skipped) and namespace labels. */
    public static ClusterSnapshot of(Collection<Node> nodes, Collection<Pod> pods,
                                     Map<String, Map<String, String>> namespaceLabels) {
        ClusterSnapshot snapshot = new ClusterSnapshot();
        namespaceLabels.forEach(snapshot::putNamespace);
        nodes.forEach(snapshot::upsertNode);
        pods.forEach(snapshot::upsertPod);
        return snapshot;
    }

    // ---- changes between cycles -------------------------------------------------------------------------------

    /** Adds a node or replaces its object (labels, taints, conditions, allocatable). */
    public void upsertNode(Node node) {
        String name = node.getMetadata().getName();
        NodeInfo existing = nodesByName.get(name);
        if (existing != null) {
            // Counts are kept per node, not per topology domain, so a label change invalidates nothing.
            existing.update(node);
            return;
        }
        nodesByName.put(name, new NodeInfo(node));
        nodesChanged = true;
    }

    public void removeNode(String name) {
        if (nodesByName.remove(name) != null) {
            nodesChanged = true;
        }
    }

    /** The Services and workload controllers whose selectors default a pod's spreading; the loop keeps them current. */
    public WorkloadSelectors workloads() {
        return workloads;
    }

    /** Sets a namespace's labels (namespace selectors of affinity terms read them). */
    public void putNamespace(String namespace, Map<String, String> labels) {
        Map<String, String> copy = labels == null ? Map.of() : Map.copyOf(labels);
        if (!copy.equals(namespaceLabels.put(namespace, copy))) {
            matchIndex.clear();
        }
    }

    public void removeNamespace(String namespace) {
        if (namespaceLabels.remove(namespace) != null) {
            matchIndex.clear();
        }
    }

    /**
     * Adds or replaces a pod as the API reports it. A pod without a node or in a terminal phase is removed instead,
     * so a confirmed binding replaces its assumed copy and a finished pod frees its node.
     */
    public void upsertPod(Pod pod) {
        PodInfo info = PodInfo.of(pod);
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!info.isAssigned() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            removePod(info.key());
            return;
        }
        put(info);
    }

    /** Records the scheduler's decision to place {@code pod} on {@code nodeName} before the binding is observed. */
    public void assume(PodInfo pod, String nodeName) {
        put(pod.withNodeName(nodeName));
    }

    /** Removes a pod (deleted, finished, or an assumption whose binding failed); a no-op when absent. */
    public void removePod(String key) {
        PodInfo old = pods.remove(key);
        if (old != null) {
            account(old, -1);
        }
    }

    public void removePod(String namespace, String name) {
        removePod(namespace + "/" + name);
    }

    private void put(PodInfo info) {
        removePod(info.key());
        pods.put(info.key(), info);
        account(info, 1);
    }

    /** Applies a pod to the per-node aggregates and indexes, unless the node set is about to be rebuilt anyway. */
    private void account(PodInfo pod, int sign) {
        if (nodesChanged) {
            return;
        }
        NodeInfo node = nodesByName.get(pod.nodeName());
        if (node == null) {
            return;
        }
        if (sign > 0) {
            node.add(pod);
        } else {
            node.remove(pod);
        }
        int ordinal = node.ordinal();
        if (!matchIndex.isEmpty()) {
            Map<String, String> nsLabels = namespaceLabels(pod.namespace());
            for (Map.Entry<PodMatcher, int[]> e : matchIndex.entrySet()) {
                if (e.getKey().matches(pod, nsLabels)) {
                    e.getValue()[ordinal] += sign;
                }
            }
        }
        if (pod.hasPodAffinityTerms()) {
            holdTerms(pod, ordinal, sign);
        }
    }

    private void holdTerms(PodInfo pod, int ordinal, int sign) {
        for (AffinityTerm t : pod.requiredAffinity()) {
            hold(new HeldTerm(HeldTerm.Kind.REQUIRED_AFFINITY, t, 0), ordinal, sign);
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            hold(new HeldTerm(HeldTerm.Kind.REQUIRED_ANTI_AFFINITY, t, 0), ordinal, sign);
        }
        for (WeightedAffinityTerm t : pod.preferredAffinity()) {
            hold(new HeldTerm(HeldTerm.Kind.PREFERRED_AFFINITY, t.term(), t.weight()), ordinal, sign);
        }
        for (WeightedAffinityTerm t : pod.preferredAntiAffinity()) {
            hold(new HeldTerm(HeldTerm.Kind.PREFERRED_ANTI_AFFINITY, t.term(), t.weight()), ordinal, sign);
        }
    }

    private void hold(HeldTerm term, int ordinal, int sign) {
        Map<HeldTerm, int[]> byTerm = heldTerms.get(term.kind());
        int[] counts = byTerm.computeIfAbsent(term, k -> new int[nodeList.size()]);
        counts[ordinal] += sign;
        if (sign < 0 && allZero(counts)) {
            byTerm.remove(term);
        }
    }

    private static boolean allZero(int[] counts) {
        for (int c : counts) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    /** Renumbers nodes and recomputes every aggregate after nodes were added or removed. */
    private void rebuildIfNodesChanged() {
        if (!nodesChanged) {
            return;
        }
        nodesChanged = false;
        List<NodeInfo> list = new ArrayList<>(nodesByName.values());
        for (int i = 0; i < list.size(); i++) {
            list.get(i).ordinal(i);
            list.get(i).clearPods();
        }
        nodeList = Collections.unmodifiableList(list);
        matchIndex.clear();
        heldTerms.values().forEach(Map::clear);
        for (PodInfo pod : pods.values()) {
            account(pod, 1);
        }
    }

    // ---- the read-only view -----------------------------------------------------------------------------------

    @Override
    public List<NodeInfo> nodes() {
        rebuildIfNodesChanged();
        return nodeList;
    }

    /** The node of that name, or null. */
    public NodeInfo node(String name) {
        rebuildIfNodesChanged();
        return nodesByName.get(name);
    }

    /** The pod with that {@code namespace/name} key, or null. */
    public PodInfo pod(String key) {
        return pods.get(key);
    }

    /** How many pods the snapshot holds (including pods on unknown nodes). */
    public int podCount() {
        return pods.size();
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    @Override
    public int[] countMatching(PodMatcher matcher) {
        rebuildIfNodesChanged();
        int[] counts = matchIndex.get(matcher);
        if (counts != null) {
            return counts;
        }
        if (matchIndex.size() >= MAX_INDEXED_MATCHERS) {
            // Evict the oldest entry: matchers of workloads long gone stop costing on every pod add.
            Iterator<PodMatcher> oldest = matchIndex.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        counts = new int[nodeList.size()];
        for (NodeInfo node : nodeList) {
            int n = 0;
            for (PodInfo pod : node.pods()) {
                if (matcher.matches(pod, namespaceLabels(pod.namespace()))) {
                    n++;
                }
            }
            counts[node.ordinal()] = n;
        }
        matchIndex.put(matcher, counts);
        return counts;
    }

    @Override
    public Map<HeldTerm, int[]> heldTerms(HeldTerm.Kind kind) {
        rebuildIfNodesChanged();
        return Collections.unmodifiableMap(heldTerms.get(kind));
    }

    @Override
    public Optional<Selector> defaultSpreadSelector(PodInfo pod) {
        return workloads.defaultSelector(pod);
    }

    /** How many matchers the index holds (tests). */
    int indexedMatchers() {
        return matchIndex.size();
    }
}
