/**
 * The node's resource figures as the kubelet publishes them: the stats Summary API ({@code GET /stats/summary},
 * {@code stats/v1alpha1}) that metrics pipelines read, and the ephemeral storage measurement the node agent's
 * eviction shares with it. A virtual node has no host of its own: its totals are the sums over its pods.
 */
package dev.skiff.node.stats;
