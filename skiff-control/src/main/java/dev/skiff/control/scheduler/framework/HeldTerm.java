package dev.skiff.control.scheduler.framework;

import dev.skiff.control.scheduler.model.AffinityTerm;

/**
 * A pod affinity term carried by pods already in the snapshot, as the key of the snapshot's "held terms" index.
 *
 * <p>Upstream walks every existing pod with affinity for each incoming pod (symmetry of required anti-affinity,
 * and the scores existing pods' terms give). Identical terms held by many pods (the replicas of one workload) are
 * counted once per node here, so the cost per incoming pod is the number of distinct terms, not of pods.
 *
 * @param weight the preference weight; 0 for required terms
 */
public record HeldTerm(Kind kind, AffinityTerm term, int weight) {

    /** Which list of the holder's affinity the term comes from. */
    public enum Kind {
        REQUIRED_AFFINITY, REQUIRED_ANTI_AFFINITY, PREFERRED_AFFINITY, PREFERRED_ANTI_AFFINITY
    }
}
