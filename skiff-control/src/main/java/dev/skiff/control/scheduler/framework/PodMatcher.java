package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.PodClause;

import java.util.List;
import java.util.Map;

/**
 * A question the snapshot can count per node: how many pods satisfy all {@code clauses}.
 *
 * <p>Used as the key of the snapshot's incremental match index. One clause answers a topology spread constraint
 * (with {@code skipTerminating}, as upstream's {@code countPodsMatchSelector} bypasses terminating pods) or one
 * pod (anti-)affinity term; several clauses answer upstream's "existing pod matches all the incoming pod's required
 * affinity terms".
 */
public record PodMatcher(List<PodClause> clauses, boolean skipTerminating) {

    public PodMatcher {
        clauses = List.copyOf(clauses);
    }

    public static PodMatcher of(PodClause clause, boolean skipTerminating) {
        return new PodMatcher(List.of(clause), skipTerminating);
    }

    public boolean matches(PodInfo pod, Map<String, String> namespaceLabels) {
        if (skipTerminating && pod.terminating()) {
            return false;
        }
        for (PodClause clause : clauses) {
            if (!clause.matches(pod.namespace(), pod.labels(), namespaceLabels)) {
                return false;
            }
        }
        return true;
    }
}
