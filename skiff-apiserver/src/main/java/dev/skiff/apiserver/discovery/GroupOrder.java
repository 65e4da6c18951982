package dev.skiff.apiserver.discovery;

import java.util.Comparator;
import java.util.Map;

/**
 * The order kube-apiserver lists API groups in: by the group priorities its aggregator registers the built-in
 * groups with (highest first, ties by name), then every other group (custom resources, priority 1000) by name.
 * kubectl's REST mapper prefers earlier groups when a resource name is ambiguous ("events" is core before
 * events.k8s.io), so the order is part of the contract, not cosmetics.
 */
final class GroupOrder {

    private static final int CUSTOM_PRIORITY = 1000;

    private static final Map<String, Integer> PRIORITIES = Map.ofEntries(
            Map.entry("", 18000),
            Map.entry("apiregistration.k8s.io", 18000),
            Map.entry("apps", 17800),
            Map.entry("events.k8s.io", 17750),
            Map.entry("authentication.k8s.io", 17700),
            Map.entry("authorization.k8s.io", 17600),
            Map.entry("autoscaling", 17500),
            Map.entry("batch", 17400),
            Map.entry("certificates.k8s.io", 17300),
            Map.entry("networking.k8s.io", 17200),
            Map.entry("policy", 17100),
            Map.entry("rbac.authorization.k8s.io", 17000),
            Map.entry("storage.k8s.io", 16800),
            Map.entry("admissionregistration.k8s.io", 16700),
            Map.entry("apiextensions.k8s.io", 16700),
            Map.entry("scheduling.k8s.io", 16600),
            Map.entry("coordination.k8s.io", 16500),
            Map.entry("node.k8s.io", 16300),
            Map.entry("discovery.k8s.io", 16200),
            Map.entry("flowcontrol.apiserver.k8s.io", 16100),
            Map.entry("internal.apiserver.k8s.io", 16000),
            Map.entry("resource.k8s.io", 15900),
            Map.entry("storagemigration.k8s.io", 15800));

    static final Comparator<String> UPSTREAM = Comparator
            .comparingInt((String group) -> PRIORITIES.getOrDefault(group, CUSTOM_PRIORITY)).reversed()
            .thenComparing(Comparator.naturalOrder());

    private GroupOrder() {
    }
}
