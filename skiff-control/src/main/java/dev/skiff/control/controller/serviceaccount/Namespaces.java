package dev.skiff.control.controller.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;

/** Namespace predicates shared by the per-namespace controllers. */
final class Namespaces {

    private Namespaces() {
    }

    /**
     * Whether per-namespace defaults belong in it: it exists and is not being deleted (upstream checks the phase
     * and the deletionTimestamp; either means content creation would be refused).
     */
    static boolean active(Namespace ns) {
        return ns != null && ns.getMetadata().getDeletionTimestamp() == null
                && (ns.getStatus() == null || !"Terminating".equals(ns.getStatus().getPhase()));
    }
}
