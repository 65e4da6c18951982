package dev.skiff.control.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The decision for one pod: a node to bind it to, or why none fits. */
public sealed interface ScheduleResult {

    /**
     * Bind the pod to {@code nodeName} (through {@code pods/binding}).
     *
     * @param scores        the weighted scores of every feasible node, best first (empty when only one node was
     *                      feasible: upstream skips scoring then)
     * @param feasibleNodes how many nodes passed every filter
     */
    record Scheduled(String nodeName, List<NodeScore> scores, int feasibleNodes) implements ScheduleResult {
        public Scheduled {
            scores = List.copyOf(scores);
        }
    }

    /**
     * No node fits.
     *
     * @param message        the FailedScheduling event message and PodScheduled condition message, in upstream's
     *                       wording ({@code 0/3 nodes are available: ...})
     * @param reasonsByNode  each node's rejection reasons (from the first filter that rejected it)
     * @param failedPlugins  the filters that rejected some node: the cluster events worth a retry (upstream's
     *                       {@code UnschedulablePlugins})
     */
    record Unschedulable(String message, Map<String, List<String>> reasonsByNode, Set<String> failedPlugins)
            implements ScheduleResult {
        public Unschedulable {
            reasonsByNode = Map.copyOf(reasonsByNode);
            failedPlugins = Set.copyOf(failedPlugins);
        }
    }

    /**
     * A feasible node's score.
     *
     * @param total    the sum over score plugins of weight x normalized score
     * @param byPlugin each plugin's normalized (unweighted) score
     */
    record NodeScore(String node, long total, Map<String, Long> byPlugin) {
        public NodeScore {
            byPlugin = Map.copyOf(byPlugin);
        }
    }
}
