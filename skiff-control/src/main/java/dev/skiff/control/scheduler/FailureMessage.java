package dev.skiff.control.scheduler;

import dev.skiff.control.scheduler.framework.FilterStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the FailedScheduling message as upstream's {@code FitError.Error()} and the DefaultPreemption post-filter
 * do, e.g. {@code 0/3 nodes are available: 1 node(s) had untolerated taint {virtual-kubelet.io/provider: skiff},
 * 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No
 * preemption victims found for incoming pod.}
 *
 * <p>Each node contributes every reason of its rejection; the histogram entries {@code "<count> <reason>"} are
 * sorted as strings (so {@code "10 ..."} sorts before {@code "2 ..."}, as upstream). Skiff never preempts: the
 * second sentence is what upstream prints when no lower-priority victim exists, nodes rejected for unresolvable
 * reasons being ones where preemption "is not helpful".
 */
final class FailureMessage {

    /** Upstream's {@code ErrNoNodesAvailable}. */
    static final String NO_NODES = "no nodes available to schedule pods";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";

    private FailureMessage() {
    }

    static String of(int nodes, Collection<FilterStatus.Rejected> rejections) {
        Map<String, Integer> reasons = new HashMap<>();
        Map<String, Integer> preemption = new HashMap<>();
        for (FilterStatus.Rejected rejection : rejections) {
            for (String reason : rejection.reasons()) {
                reasons.merge(reason, 1, Integer::sum);
            }
            preemption.merge(rejection.unresolvable() ? NOT_HELPFUL : NO_VICTIMS, 1, Integer::sum);
        }
        return "0/" + nodes + " nodes are available: " + histogram(reasons) + "."
                + " preemption: 0/" + nodes + " nodes are available: " + histogram(preemption) + ".";
    }

    private static String histogram(Map<String, Integer> counts) {
        List<String> entries = new ArrayList<>(counts.size());
        counts.forEach((reason, count) -> entries.add(count + " " + reason));
        entries.sort(null);
        return String.join(", ", entries);
    }
}
