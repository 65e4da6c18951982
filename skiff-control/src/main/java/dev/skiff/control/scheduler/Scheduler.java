package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.ClusterSnapshot;
import dev.skiff.control.scheduler.framework.FilterStatus;
import dev.skiff.control.scheduler.framework.NodeFilter;
import dev.skiff.control.scheduler.framework.NodeInfo;
import dev.skiff.control.scheduler.framework.NodeScorer;
import dev.skiff.control.scheduler.framework.PodCycle;
import dev.skiff.control.scheduler.framework.PodInfo;
import dev.skiff.control.scheduler.framework.Profile;
import dev.skiff.control.scheduler.framework.SnapshotView;
import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The scheduler's decision logic: for each pod, run the profile's filters over every node, score the feasible
 * nodes, pick one (upstream's {@code schedulePod}: {@code findNodesThatFitPod}, {@code prioritizeNodes},
 * {@code selectHost}, with every node evaluated: virtual nodes are few).
 *
 * <p>Pure with respect to the outside world: no I/O, no clock; randomness comes from the configured seed. The
 * caller (the scheduling loop) owns the {@link ClusterSnapshot}, feeds it informer changes between batches, and
 * turns decisions into {@code pods/binding} calls or PodScheduled=False conditions and events.
 *
 * <p>Not thread-safe (the random generator and the snapshot it updates are confined to one scheduling thread).
 */
public final class Scheduler {

    private final SchedulerConfig config;
    private final SplittableRandom random;

    public Scheduler(SchedulerConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.randomSeed());
    }

    public SchedulerConfig config() {
        return config;
    }

    /** Whether a pod is this scheduler's and still needs a node. */
    public boolean needsScheduling(Pod pod) {
        return config.names().needsScheduling(pod);
    }

    /**
     * Schedules a batch in order against one snapshot, assuming each placed pod into it before deciding the next,
     * so later pods see earlier ones (resources, spreading, affinity). Assumed pods stay in the snapshot: the
     * caller replaces them when the binding is observed ({@link ClusterSnapshot#upsertPod}) or removes them when
     * the binding fails ({@link ClusterSnapshot#removePod(String)}). The caller filters pods with
     * {@link #needsScheduling}.
     */
    public List<Decision> scheduleBatch(ClusterSnapshot snapshot, List<Pod> pods) {
        List<Decision> decisions = new ArrayList<>(pods.size());
        for (Pod pod : pods) {
            PodInfo info = PodInfo.of(pod);
            ScheduleResult result = schedule(snapshot, info);
            if (result instanceof ScheduleResult.Scheduled scheduled) {
                snapshot.assume(info, scheduled.nodeName());
            }
            decisions.add(new Decision(pod, result));
        }
        return decisions;
    }

    /** Decides one pod without changing the snapshot. */
    public ScheduleResult schedule(SnapshotView snapshot, Pod pod) {
        return schedule(snapshot, PodInfo.of(pod));
    }

    /** Decides one compiled pod without changing the snapshot. */
    public ScheduleResult schedule(SnapshotView snapshot, PodInfo pod) {
        List<NodeInfo> nodes = snapshot.nodes();
        if (nodes.isEmpty()) {
            return new ScheduleResult.Unschedulable(FailureMessage.NO_NODES, Map.of(), Set.of());
        }
        PodCycle cycle = new PodCycle(pod, snapshot);
        List<NodeInfo> feasible = new ArrayList<>(nodes.size());
        Map<String, FilterStatus.Rejected> rejected = new LinkedHashMap<>();
        Set<String> failedPlugins = new HashSet<>();
        filter(cycle, nodes, feasible, rejected, failedPlugins);

        if (feasible.isEmpty()) {
            Map<String, List<String>> reasons = new LinkedHashMap<>();
            rejected.forEach((node, r) -> reasons.put(node, r.reasons()));
            return new ScheduleResult.Unschedulable(FailureMessage.of(nodes.size(), rejected.values()), reasons,
                    failedPlugins);
        }
        if (feasible.size() == 1) {
            return new ScheduleResult.Scheduled(feasible.getFirst().name(), List.of(), 1);
        }
        return score(cycle, feasible);
    }

    private void filter(PodCycle cycle, List<NodeInfo> nodes, List<NodeInfo> feasible,
                        Map<String, FilterStatus.Rejected> rejected, Set<String> failedPlugins) {
        Profile profile = config.profile();
        int n = profile.filters().size();
        NodeFilter[] filters = new NodeFilter[n];
        for (int i = 0; i < n; i++) {
            filters[i] = profile.filters().get(i).prepare(cycle);
        }
        nodes:
        for (NodeInfo node : nodes) {
            for (int i = 0; i < n; i++) {
                if (filters[i].filter(node) instanceof FilterStatus.Rejected r) {
                    rejected.put(node.name(), r);
                    failedPlugins.add(profile.filters().get(i).name());
                    continue nodes;
                }
            }
            feasible.add(node);
        }
    }

    private ScheduleResult score(PodCycle cycle, List<NodeInfo> feasible) {
        int f = feasible.size();
        long[] totals = new long[f];
        List<Map<String, Long>> byPlugin = new ArrayList<>(f);
        for (int j = 0; j < f; j++) {
            byPlugin.add(new HashMap<>());
        }
        for (Profile.WeightedScore weighted : config.profile().scores()) {
            NodeScorer scorer = weighted.plugin().prepare(cycle, feasible);
            if (scorer == NodeScorer.SKIP) {
                continue;
            }
            long[] scores = new long[f];
            for (int j = 0; j < f; j++) {
                scores[j] = scorer.score(feasible.get(j));
            }
            scorer.normalize(feasible, scores);
            for (int j = 0; j < f; j++) {
                totals[j] += scores[j] * weighted.weight();
                byPlugin.get(j).merge(weighted.plugin().name(), scores[j], Long::sum);
            }
        }
        int chosen = HostSelection.pick(feasible, totals, cycle.pod().eci(), config.defaultVSwitchOrder(), random);
        List<ScheduleResult.NodeScore> scores = new ArrayList<>(f);
        for (int j = 0; j < f; j++) {
            scores.add(new ScheduleResult.NodeScore(feasible.get(j).name(), totals[j], byPlugin.get(j)));
        }
        scores.sort(Comparator.comparingLong(ScheduleResult.NodeScore::total).reversed());
        return new ScheduleResult.Scheduled(feasible.get(chosen).name(), scores, f);
    }
}
